/**
 * Stored rows outlive the code that wrote them, in both directions: a newer version reads what an
 * older one left, and an older version (a rollback, a slot swap, a second instance not yet
 * upgraded) meets rows a newer one wrote. So every kind of stored row names the schema version it
 * was written under, and is read through one `versioned` reader:
 *
 * - an older row is migrated in memory, one version at a time, then validated as the current
 *   shape; the next write stores it in that shape (nothing rewrites rows in bulk);
 * - a row of a newer version is refused with NewerSchemaError, which says what to do. It is not
 *   an unreadable row: nothing may move it aside, overwrite it, or count it as a failed check;
 * - a row whose version is no whole number, or that does not validate, is invalid as before.
 *
 * The rules for changing a stored shape are in docs/storage.md.
 */
import type { z } from "zod";

export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    readonly what = "a stored row",
  ) {
    super(
      `${what} was written by a newer version of Drift Monitor (schema ${found}, this version reads up to ${known}): ` +
        "upgrade Drift Monitor (every instance) to read it; the row is left as it is",
    );
    this.name = "NewerSchemaError";
  }
}

/** One step: a value of version n (schemaVersion already read) to the shape of version n + 1. */
type Migration = (value: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export interface Versioned<T> {
  /** The version this code writes. */
  readonly current: number;
  /**
   * A stored value migrated to the current version and validated. Throws NewerSchemaError for a
   * newer version; an invalid value (or version) is a failed parse, as zod reports it.
   */
  read(value: unknown): z.ZodSafeParseResult<T>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The reader of one kind of row. `schema` is the current shape (its schemaVersion a literal of
 * `migrations.length + 1`); `migrations[i]` takes version i + 1 to i + 2. A value without a
 * schemaVersion is version `unversioned` (rows written before their kind carried one), or invalid
 * when that is not given.
 */
export function versioned<T>(spec: { schema: z.ZodType<T>; migrations: readonly Migration[]; unversioned?: number }): Versioned<T> {
  const current = spec.migrations.length + 1;
  return {
    current,
    read(value) {
      if (!isRecord(value)) return spec.schema.safeParse(value);
      const version = value.schemaVersion ?? spec.unversioned;
      if (typeof version !== "number" || !Number.isInteger(version) || version < 1) return spec.schema.safeParse(value);
      if (version > current) throw new NewerSchemaError(version, current);
      let migrated: Record<string, unknown> = { ...value, schemaVersion: version };
      for (let v = version; v < current; v++) {
        // The index is below migrations.length by the loop's bound.
        migrated = { ...(spec.migrations[v - 1] as Migration)(migrated), schemaVersion: v + 1 };
      }
      return spec.schema.safeParse(migrated);
    },
  };
}
