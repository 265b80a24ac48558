/** The simulator's partner side: GDAP lists for the partner's admin agents only, and customer reads gated by the relationships' roles. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { generatePartnerEstate } from "../../sim/estate/partner.js";
import { getJson } from "./sim-helpers.js";

const MSP = generatePartnerEstate({ customers: 20, seed: 7 });
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ estate: MSP.estate });
});
afterAll(() => sim?.stop());

async function get(tenantId: string, path: string, userId: string = MSP.adminAgentId): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = sim.mintDelegatedToken(tenantId, { homeTenantId: MSP.partnerTenantId, userId });
  const res = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const customer = (scenario: string) => MSP.customers.find((c) => c.scenario === scenario)!;

describe("partner side of GDAP", () => {
  it("lists customers and relationships in pages, with their roles and status", async () => {
    const first = await get(MSP.partnerTenantId, "/v1.0/tenantRelationships/delegatedAdminCustomers?$top=15");
    expect(first.status).toBe(200);
    expect((first.body.value as unknown[]).length).toBe(15);
    const next = await get(
      MSP.partnerTenantId,
      new URL(first.body["@odata.nextLink"] as string).pathname + new URL(first.body["@odata.nextLink"] as string).search,
    );
    expect((next.body.value as unknown[]).length).toBe(5);
    expect(next.body["@odata.nextLink"]).toBeUndefined();
    expect(first.body.value).toContainEqual({
      id: MSP.customers[0]!.tenantId,
      tenantId: MSP.customers[0]!.tenantId,
      displayName: MSP.customers[0]!.displayName,
    });

    const expired = customer("expired");
    const rels = await get(MSP.partnerTenantId, `/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=customer/tenantId eq '${expired.tenantId}'`);
    expect((rels.body.value as { status: string; accessDetails: unknown }[]).map((r) => [r.status, r.accessDetails])).toEqual([
      ["expired", { unifiedRoles: [{ roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10" }] }],
      ["active", { unifiedRoles: [{ roleDefinitionId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" }] }],
    ]);
  });

  it("refuses a partner user outside Admin agents, and a tenant that is no partner", async () => {
    expect((await get(MSP.partnerTenantId, "/v1.0/tenantRelationships/delegatedAdminCustomers", MSP.outsiderId)).status).toBe(403);
    expect((await getJson(sim, MSP.customers[0]!.tenantId, "/v1.0/tenantRelationships/delegatedAdminRelationships")).status).toBe(403);
  });

  it.each([
    { scenario: "ga", path: "/v1.0/users?$filter=startswith(userPrincipalName,'svc-connect@')", status: 200 },
    { scenario: "least", path: "/v1.0/users?$filter=startswith(userPrincipalName,'svc-connect@')", status: 200 },
    { scenario: "no-read", path: "/v1.0/users?$filter=startswith(userPrincipalName,'svc-connect@')", status: 403 },
    { scenario: "least", path: "/v1.0/identity/conditionalAccess/policies", status: 403 },
    { scenario: "reader", path: "/v1.0/identity/conditionalAccess/policies", status: 200 },
  ])("an admin agent in a $scenario customer: $path → $status", async ({ scenario, path, status }) => {
    const c = customer(scenario);
    const answer = await get(c.tenantId, path);
    expect(answer.status).toBe(status);
    if (status === 200 && path.startsWith("/v1.0/users"))
      expect((answer.body.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName)).toEqual([c.account]);
  });

  it("leaves the app's own token and the outsider apart: the app reads, an outsider in a customer does not", async () => {
    const c = customer("no-read");
    expect((await getJson(sim, c.tenantId, "/v1.0/users?$filter=startswith(userPrincipalName,'svc-connect@')")).status).toBe(200);
    expect((await get(customer("ga").tenantId, "/v1.0/users", MSP.outsiderId)).status).toBe(403);
  });
});
