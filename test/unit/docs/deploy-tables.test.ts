/**
 * docs/deploy.md's permission table and `az` commands are generated from the facts' registry: a
 * permission a new check needs, added without `npm run docs`, fails here, as does a hand edit.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GRAPH_APP_ROLE_IDS } from "../../../lib/graph/app-roles.js";
import { requiredPermissions } from "../../../lib/graph/permissions.js";
import { DEPLOY_TABLES } from "../../../scripts/deploy-tables.js";
import { withTables } from "../../../scripts/readme-tables.js";

const guide = readFileSync(fileURLToPath(new URL("../../../docs/deploy.md", import.meta.url)), "utf8");

describe("docs/deploy.md's generated permissions", () => {
  it("are what the registry generates (run `npm run docs` after adding a check or a fact)", () => {
    expect(guide).toBe(withTables(guide, DEPLOY_TABLES, "docs/deploy.md"));
  });

  it("grant every required permission by its app role id, Domain.Read.All and IdentityRiskyUser.Read.All included", () => {
    const az = DEPLOY_TABLES["deploy-az"]();
    for (const p of requiredPermissions()) expect(az, p).toContain(`${GRAPH_APP_ROLE_IDS[p]}=Role`);
    expect(requiredPermissions()).toEqual(expect.arrayContaining(["Domain.Read.All", "IdentityRiskyUser.Read.All"]));
  });

  it("refuse a guide without the markers, saying which", () => {
    expect(() => withTables("# no tables\n", DEPLOY_TABLES, "docs/deploy.md")).toThrow(/docs\/deploy.md lacks the markers .*deploy-permissions/);
  });
});
