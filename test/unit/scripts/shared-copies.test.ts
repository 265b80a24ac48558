/**
 * The guard that no file under sim/ or test/ copies the reference data beside the repository
 * (scripts/shared-copies.ts), on reference and repository trees this test writes itself.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findSharedCopies } from "../../../scripts/shared-copies.js";

const POLICY = {
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  id: "3c1f0a52-7d4e-4b8a-9e61-2f5d8c7b1a04",
  displayName: "Reference policy: block legacy protocols",
  "state@odata.type": "#microsoft.graph.conditionalAccessPolicyState",
  state: "enabled",
  conditions: { clientAppTypes: ["exchangeActiveSync", "other"], users: { includeUsers: ["All"], excludeGroups: [] } },
  grantControls: { operator: "OR", builtInControls: ["block"] },
};
const GROUP = { id: "9a7e4c21-0b3d-4f6e-8a15-c2d9e0f7b368", displayName: "Reference exclusion group", securityEnabled: true };
const LICENCE = "Reference licence\r\n\r\nPermission is granted   \r\nto read this.\r\n";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "shared-copies-"));
  dirs.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

function copies(repoFiles: Record<string, string | Buffer>) {
  const shared = tree({
    "vendor/policies.json": JSON.stringify([POLICY], null, 2),
    "vendor/groups.json": JSON.stringify({ "@odata.context": "https://graph.microsoft.com/beta/$metadata#groups", value: [GROUP] }),
    "vendor/LICENSE": LICENCE,
    "vendor/.keep": "",
  });
  return findSharedCopies(shared, tree(repoFiles));
}

const { "@odata.type": _type, "state@odata.type": _stateType, ...bare } = POLICY;
const reordered = Object.fromEntries(Object.entries(POLICY).reverse());

describe("findSharedCopies", () => {
  it.each([
    ["the same bytes", { "sim/p.json": JSON.stringify([POLICY], null, 2) }, /^same bytes as vendor\/policies\.json$/],
    ["the same text with other line endings", { "test/LICENSE": LICENCE.replace(/\r\n/g, "\n").replace(/ +\n/g, "\n") }, /^same text as vendor\/LICENSE$/],
    [
      "the same text in UTF-16 with a byte-order mark",
      { "test/LICENSE": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LICENCE, "utf16le")]) },
      /same text/,
    ],
    ["the same JSON re-indented and reordered", { "sim/p.json": JSON.stringify([reordered]) }, /^same JSON as vendor\/policies\.json$/],
    [
      "one element pasted into a bigger file",
      { "sim/tenant.json": JSON.stringify({ tenantId: "x", conditionalAccessPolicies: [{ id: "own" }, reordered] }) },
      /^same JSON as vendor\/policies\.json \[0\] \(Reference policy: block legacy protocols\)$/,
    ],
    [
      "an element without its @odata annotations",
      { "test/f.json": JSON.stringify({ policies: [{ id: "own" }, bare] }) },
      /same JSON as vendor\/policies\.json \[0\]/,
    ],
    [
      "an element of a Graph `value` list",
      { "test/g.json": JSON.stringify([{ ...GROUP }]) },
      /^same JSON as vendor\/groups\.json \[0\] \(Reference exclusion group\)$/,
    ],
    [
      "a renamed element, by its id",
      { "sim/p.json": JSON.stringify([{ ...POLICY, displayName: "Our own name" }]) },
      /^names 3c1f0a52-.*, the id of vendor\/policies\.json \[0\]/,
    ],
    ["a file wired to a reference group's id", { "sim/t.ts": `const excluded = "${GROUP.id.toUpperCase()}";\n` }, /the id of vendor\/groups\.json \[0\]/],
  ])("catches %s", (_what, files, match) => {
    const found = copies(files);
    expect(found).toHaveLength(1);
    expect(found[0]!.match).toMatch(match);
  });

  it("names the file relative to the repository", () => {
    expect(copies({ "sim/estate/baseline/p.json": JSON.stringify([POLICY]) }).map((c) => c.file)).toEqual(["sim/estate/baseline/p.json"]);
  });

  it.each([
    ["the project's own policy of the same shape", { "sim/p.json": JSON.stringify([{ ...POLICY, id: "own-policy-0001-id", displayName: "Ours" }]) }],
    ["small values any file may share (an empty list, `All`)", { "test/a.json": JSON.stringify({ a: [], b: { includeUsers: ["All"] }, c: "enabled" }) }],
    ["a reference file's name or a sentence about it", { "test/readme.md": "Compared with vendor/policies.json and vendor/LICENSE.\n" }],
    ["a part of an element (its conditions) reused", { "sim/c.json": JSON.stringify({ conditions: POLICY.conditions }) }],
    ["files outside sim/ and test/", { "docs/p.json": JSON.stringify([POLICY]), "lib/LICENSE": LICENCE }],
    ["invalid JSON", { "sim/broken.json": "[{" }],
    ["an empty file, as empty as one in the reference data", { "test/.keep": "", "sim/empty.json": "\n" }],
  ])("leaves alone %s", (_what, files) => {
    expect(copies(files)).toEqual([]);
  });
});
