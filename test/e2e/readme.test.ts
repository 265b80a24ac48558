/**
 * The README is the newcomer's reference: its settings table must name every setting the code
 * reads, and nothing the code no longer reads; the commands it shows must exist.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ALL_SETTING_NAMES } from "../../lib/config/names.js";
import { buildProgram } from "../../cli/program.js";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

function section(title: string): string {
  const start = README.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
  it("lists every setting the code reads, and only those", () => {
    const table = section("Settings");
    const listed = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...(m[1] ?? "").matchAll(/`([A-Za-z_]+)`/g)].map((n) => n[1])));
    expect([...ALL_SETTING_NAMES].filter((n) => !listed.has(n))).toEqual([]);
    expect([...listed].filter((n) => n !== undefined && !(ALL_SETTING_NAMES as readonly string[]).includes(n))).toEqual([]);
  });

  it("shows only drift-monitor commands that exist", () => {
    const program = buildProgram({ env: {}, stdout: () => {}, stderr: () => {}, setExitCode: () => {} });
    const names = new Set(program.commands.map((c) => c.name()));
    const used = [...README.matchAll(/drift-monitor ([a-z-]+)/g)].map((m) => m[1]);
    expect(used.filter((c) => c !== undefined && !names.has(c))).toEqual([]);
    const tenants = program.commands.find((c) => c.name() === "tenants");
    expect(tenants?.commands.map((c) => c.name())).toEqual(["add", "list", "remove", "import", "discover", "consent"]);
  });
});
