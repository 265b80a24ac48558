/** The versioned row reader: which stored versions are migrated, read as they are, refused or invalid. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NewerSchemaError, versioned } from "../../../lib/model/versioned.js";

/** A row kind at version 3: 1 → 2 renamed `n` to `count`, 2 → 3 added `tags` (none in older rows). */
const spec = {
  schema: z.object({ schemaVersion: z.literal(3), count: z.number(), tags: z.array(z.string()) }),
  migrations: [
    ({ n, ...rest }: Readonly<Record<string, unknown>>) => ({ ...rest, count: n }),
    (v2: Readonly<Record<string, unknown>>) => ({ ...v2, tags: [] }),
  ],
};
const reader = versioned(spec);
const unversionedIsOne = versioned({ ...spec, unversioned: 1 });

describe("versioned", () => {
  it("writes the version after its last migration", () => {
    expect(reader.current).toBe(3);
    expect(versioned({ schema: z.object({ schemaVersion: z.literal(1) }), migrations: [] }).current).toBe(1);
  });

  it.each([
    ["version 1: both steps", { schemaVersion: 1, n: 4 }, { schemaVersion: 3, count: 4, tags: [] }],
    ["version 2: the last step", { schemaVersion: 2, count: 4 }, { schemaVersion: 3, count: 4, tags: [] }],
    ["version 3: as it is", { schemaVersion: 3, count: 4, tags: ["a"] }, { schemaVersion: 3, count: 4, tags: ["a"] }],
  ])("reads %s", (_, stored, expected) => {
    expect(reader.read(stored)).toEqual({ success: true, data: expected });
  });

  it("does not change the value it was given", () => {
    const stored = { schemaVersion: 1, n: 4 };
    reader.read(stored);
    expect(stored).toEqual({ schemaVersion: 1, n: 4 });
  });

  it.each([4, 5, 1000])("refuses version %i with what to do, as NewerSchemaError", (version) => {
    const read = () => reader.read({ schemaVersion: version, whatever: true });
    expect(read).toThrow(NewerSchemaError);
    expect(read).toThrow(
      `a stored row was written by a newer version of Drift Monitor (schema ${version}, this version reads up to 3): ` +
        "upgrade Drift Monitor (every instance) to read it; the row is left as it is",
    );
  });

  it.each([
    ["no version", { count: 4, tags: [] }],
    ["version 0", { schemaVersion: 0, count: 4, tags: [] }],
    ["a fractional version", { schemaVersion: 2.5, count: 4 }],
    ["a version as text", { schemaVersion: "3", count: 4, tags: [] }],
    ["not an object", [1, 2]],
    ["null", null],
    ["a current row that does not validate", { schemaVersion: 3, count: "4", tags: [] }],
    ["an old row that does not validate once migrated", { schemaVersion: 1, n: "4" }],
  ])("finds %s invalid (not newer)", (_, stored) => {
    expect(reader.read(stored).success).toBe(false);
  });

  it("reads a row without a version as `unversioned` when the kind predates versions", () => {
    expect(unversionedIsOne.read({ n: 4 })).toEqual({ success: true, data: { schemaVersion: 3, count: 4, tags: [] } });
    expect(() => unversionedIsOne.read({ schemaVersion: 4 })).toThrow(NewerSchemaError);
  });
});
