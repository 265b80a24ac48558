/**
 * README's tables of checks and permissions are generated from the registries: a check or fact
 * added without `npm run docs` fails here, and so does a hand edit that the registries disagree with.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../../../lib/checks/registry.js";
import { TABLES, withTables } from "../../../scripts/readme-tables.js";

const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");

describe("README's generated tables", () => {
  it("are what the registries generate (run `npm run docs` after adding a check or a fact)", () => {
    expect(readme).toBe(withTables(readme));
  });

  it("list every registered check, in order, with its requirement", () => {
    const rows = [...TABLES.checks().matchAll(/^\| `([a-z-]+)` \| (R\d+) \| .+ \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(REGISTRY.map((c) => [c.meta.id, c.meta.requirement]));
  });

  it("refuse a README without the markers, saying which", () => {
    expect(() => withTables("# no tables here\n")).toThrow(/generated:checks/);
  });
});
