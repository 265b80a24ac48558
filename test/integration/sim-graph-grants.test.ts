/**
 * The simulator's app grants: the app's own app role assignments per tenant, changed through the
 * control API, and the 403 an endpoint answers when its permission is not granted.
 */
import { describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import { sim, useSimulator, type Obj } from "./sim-graph-helpers.js";

useSimulator();

const APP = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";
const DOMAIN_READ_ALL = "dbb9058a-0e50-45d7-ae91-66909b5d4664";
const path = `/v1.0/servicePrincipals(appId='${APP}')/appRoleAssignments?$select=appRoleId`;

async function patch(tenantId: string, body: unknown): Promise<number> {
  const res = await fetch(`${sim.url}/_sim/tenants/${tenantId}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

describe("simulator: the app's grants", () => {
  it("one assignment per granted permission; revoked through the control API it is gone and its endpoint answers 403; restored, back", async () => {
    const t = sampleTenant("Fabrikam");
    const ids = async () => ((await getJson(sim, t.tenantId, path)).body.value as Obj[]).map((a) => a.appRoleId);
    expect(await ids()).toContain(DOMAIN_READ_ALL);
    expect((await getJson(sim, t.tenantId, "/v1.0/domains")).status).toBe(200);

    expect(await patch(t.tenantId, { grantedPermissions: ["User.Read.All", "Application.Read.All"] })).toBe(200);
    expect(await ids()).not.toContain(DOMAIN_READ_ALL);
    expect(await ids()).toHaveLength(2);
    const denied = await getJson(sim, t.tenantId, "/v1.0/domains");
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: "Authorization_RequestDenied" } });

    expect(await patch(t.tenantId, { grantedPermissions: ["User.Read.All"] })).toBe(200);
    expect((await getJson(sim, t.tenantId, path)).status).toBe(403);

    expect(await patch(t.tenantId, { grantedPermissions: null })).toBe(200);
    expect(await ids()).toContain(DOMAIN_READ_ALL);
    expect((await getJson(sim, t.tenantId, "/v1.0/domains")).status).toBe(200);
  });
});
