import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openProgressFile } from "../../../cli/tenants-consent/progress-file.js";

const dir = mkdtempSync(join(tmpdir(), "consent-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the consent progress file", () => {
  it("starts empty when absent, and records what finishes", async () => {
    const path = join(dir, "new.jsonl");
    const p = await openProgressFile(path);
    expect(p.finished.size).toBe(0);
    await p.record("AAAAAAAA-0000-0000-0000-000000000001", "consented", new Date("2026-12-06T00:00:00Z"));
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      v: 1,
      tenantId: "aaaaaaaa-0000-0000-0000-000000000001",
      outcome: "consented",
      at: "2026-12-06T00:00:00.000Z",
    });
    expect((await openProgressFile(path)).finished).toEqual(new Set(["aaaaaaaa-0000-0000-0000-000000000001"]));
  });

  it("ignores a torn last line and lines of another version, so those tenants are planned again", async () => {
    const path = join(dir, "torn.jsonl");
    const line = (tenantId: string, v = 1) => JSON.stringify({ v, tenantId, outcome: "already", at: "2026-12-06T00:00:00.000Z" });
    writeFileSync(path, [line("t1"), line("t2", 2), "", line("t3").slice(0, 20)].join("\n"));
    expect((await openProgressFile(path)).finished).toEqual(new Set(["t1"]));
  });
});
