/** The simulator's directory endpoints (users, transitive membership, role assignments and eligibility) over real HTTPS, against the sample estate. */
import { describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import type { Obj } from "./sim-graph-helpers.js";
import { GA, all, sim, useSimulator } from "./sim-graph-helpers.js";

describe("simulated Graph endpoints", () => {
  useSimulator();

  describe("users", () => {
    const contoso = sampleTenant("Contoso");
    const select = "$select=id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled,userType";

    it.each([
      ["percent-encoded", "/v1.0/users/o%27neil%40contoso.com"],
      ["different case", "/v1.0/users/O%27Neil%40Contoso.com"],
      ["key syntax with doubled quote", "/v1.0/users('o''neil@contoso.com')"],
      ["key syntax, value encoded", "/v1.0/users('o%27%27neil%40contoso.com')"],
    ])("finds o'neil@contoso.com by UPN (%s)", async (_label, path) => {
      const res = await getJson(sim, contoso.tenantId, `${path}?${select}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userPrincipalName: "o'neil@contoso.com", accountEnabled: true, onPremisesSyncEnabled: null, userType: "Member" });
      expect(Object.keys(res.body).sort()).toEqual(
        ["@odata.context", "id", "userPrincipalName", "displayName", "accountEnabled", "onPremisesSyncEnabled", "userType"].sort(),
      );
    });

    it.each([
      ["a raw quote in a plain segment", "/v1.0/users/o'neil@contoso.com"],
      ["an undoubled quote in a key", "/v1.0/users('o'neil@contoso.com')"],
      ["an undoubled, encoded quote in a key", "/v1.0/users('o%27neil%40contoso.com')"],
      ["a plain segment starting with $", "/v1.0/users/$svc@contoso.com"],
      ["a plain segment starting with an encoded $", "/v1.0/users/%24svc%40contoso.com"],
    ])("answers 400, like Graph, to %s", async (_label, path) => {
      const res = await getJson(sim, contoso.tenantId, `${path}?${select}`);
      expect(res.status).toBe(400);
    });

    it("finds a UPN that starts with $ in key syntax, raw or encoded", async () => {
      const t = sim.state.tenant(contoso.tenantId);
      if (!t.users.some((u) => u.userPrincipalName === "$svc@contoso.com")) {
        t.users.push({
          id: "d7f11300-0000-4000-8000-0000000000d0",
          userPrincipalName: "$svc@contoso.com",
          displayName: "Dollar service",
          accountEnabled: true,
          onPremisesSyncEnabled: null,
          userType: "Member",
        });
      }
      for (const path of ["/v1.0/users('$svc@contoso.com')", "/v1.0/users('%24svc%40contoso.com')"]) {
        const res = await getJson(sim, contoso.tenantId, `${path}?${select}`);
        expect(res.status, path).toBe(200);
        expect(res.body).toMatchObject({ userPrincipalName: "$svc@contoso.com", id: "d7f11300-0000-4000-8000-0000000000d0" });
      }
    });

    it("finds a user by object id and answers Graph's default properties without $select", async () => {
      const byUpn = await getJson(sim, contoso.tenantId, "/v1.0/users/o%27neil%40contoso.com?$select=id");
      const res = await getJson(sim, contoso.tenantId, `/v1.0/users/${String(byUpn.body.id)}`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveProperty("businessPhones");
      expect(res.body).not.toHaveProperty("accountEnabled");
    });

    it("answers 404 Request_ResourceNotFound for an account that does not exist", async () => {
      const t = sampleTenant("Bellows");
      const res = await getJson(sim, t.tenantId, `/v1.0/users/${encodeURIComponent(t.account)}?${select}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "Request_ResourceNotFound" });
      expect((res.body.error as Obj).message).toContain(t.account);
    });

    it("answers 400 for a property user does not have", async () => {
      const res = await getJson(sim, contoso.tenantId, "/v1.0/users('o''neil@contoso.com')?$select=id,nonsense");
      expect(res.status).toBe(400);
    });

    it("reports disabled and synced accounts", async () => {
      const disabled = sampleTenant("Alpine");
      const synced = sampleTenant("Coho");
      expect((await getJson(sim, disabled.tenantId, `/v1.0/users/${disabled.account}?${select}`)).body.accountEnabled).toBe(false);
      expect((await getJson(sim, synced.tenantId, `/v1.0/users/${synced.account}?${select}`)).body.onPremisesSyncEnabled).toBe(true);
    });
  });

  describe("transitiveMemberOf", () => {
    it("computes nested groups and the active role", async () => {
      const t = sampleTenant("Fabrikam");
      const { items } = await all(t.tenantId, `/v1.0/users/${t.account}/transitiveMemberOf?$select=id,displayName,roleTemplateId&$top=999`);
      const groups = items.filter((o) => o["@odata.type"] === "#microsoft.graph.group").map((o) => o.displayName);
      expect(groups.sort()).toEqual(["CA Exclusion - Service accounts", "IT Department", "Platform Engineering", "Sync Automation"]);
      const roles = items.filter((o) => o["@odata.type"] === "#microsoft.graph.directoryRole");
      expect(roles).toEqual([expect.objectContaining({ roleTemplateId: GA, displayName: "Global Administrator" })]);
      expect(groups.every((g) => typeof g === "string")).toBe(true);
      expect(items.find((o) => o["@odata.type"] === "#microsoft.graph.group")).not.toHaveProperty("roleTemplateId");
    });

    it("activates a role held through a role-assignable group, not listed as a direct assignment", async () => {
      const t = sampleTenant("Northwind");
      const { items } = await all(t.tenantId, `/v1.0/users/${t.account}/transitiveMemberOf?$select=id,displayName,roleTemplateId`);
      expect(items.some((o) => o.roleTemplateId === GA)).toBe(true);
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const direct = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${String(user.body.id)}'`);
      expect(direct.body.value).toEqual([]);
    });

    it("pages with absolute https next links when there are more than $top", async () => {
      const t = sampleTenant("Fabrikam");
      const { items, pages, links } = await all(t.tenantId, `/v1.0/users/${t.account}/transitiveMemberOf?$select=id,displayName,roleTemplateId&$top=2`);
      expect(items).toHaveLength(5);
      expect(pages).toBe(3);
      for (const link of links) {
        expect(link.startsWith(`${sim.url}/v1.0/users/`)).toBe(true);
        expect(link).toContain("$select=id%2CdisplayName%2CroleTemplateId");
      }
    });
  });

  describe("role assignments and eligibility", () => {
    it("filters by principalId", async () => {
      const t = sampleTenant("Wide World");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const id = String(user.body.id);
      const active = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${id}'`);
      expect((active.body.value as Obj[]).map((a) => a.roleDefinitionId)).toEqual(["f2ef992c-3afb-46b9-b7cf-a126ee74c451"]);
      const eligible = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId%20eq%20%27${id}%27`);
      expect(eligible.body.value).toEqual([expect.objectContaining({ principalId: id, roleDefinitionId: GA, directoryScopeId: "/" })]);
    });

    it("without Entra ID P2 (a P1-only tenant, or none), PIM eligibility answers 400 AadPremiumLicenseRequired; active roles still answer", async () => {
      for (const name of ["Tailspin", "Lucerne"]) {
        const t = sampleTenant(name);
        expect(sim.state.tenant(t.tenantId).licenses.entraIdP2, name).toBe(false);
        const denied = await getJson(sim, t.tenantId, "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances");
        expect(denied.status, name).toBe(400);
        expect(denied.body.error).toMatchObject({
          code: "AadPremiumLicenseRequired",
          message: expect.stringMatching(/Entra ID P2 or Microsoft Entra ID Governance/),
        });
        expect((await getJson(sim, t.tenantId, "/v1.0/roleManagement/directory/roleAssignments")).status, name).toBe(200);
      }
      expect(sim.state.tenant(sampleTenant("Tailspin").tenantId).licenses.entraIdP1).toBe(true);
    });

    it("lists PIM's active assignment instances: every active assignment, permanent unless scheduled; P2 and faults like eligibility", async () => {
      const t = sampleTenant("Woodgrove");
      const id = String((await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`)).body.id);
      const url = `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=${encodeURIComponent(`principalId eq '${id}'`)}`;
      const tenant = sim.state.tenant(t.tenantId);
      const ga = tenant.roleAssignments.find((a) => a.principalId === id && a.roleDefinitionId === GA)!;
      const permanent = await getJson(sim, t.tenantId, url);
      expect(permanent.body.value).toEqual([
        expect.objectContaining({ id: ga.id, principalId: id, roleDefinitionId: GA, directoryScopeId: "/", assignmentType: "Assigned", memberType: "Direct" }),
      ]);
      expect((permanent.body.value as Obj[])[0]).toMatchObject({ startDateTime: null, endDateTime: null, roleAssignmentScheduleId: ga.id });
      tenant.roleAssignmentSchedules = { [ga.id]: { startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-02-01T00:00:00Z" } };
      try {
        const scheduled = await getJson(sim, t.tenantId, url);
        expect(scheduled.body.value).toEqual([expect.objectContaining({ assignmentType: "Assigned", endDateTime: "2026-02-01T00:00:00Z" })]);
        sim.state.addFault({ tenantId: t.tenantId, endpoint: "roleAssignmentInstances", kind: "503", times: 1 });
        expect((await getJson(sim, t.tenantId, url)).status).toBe(503);
        expect((await getJson(sim, t.tenantId, url)).status).toBe(200);
      } finally {
        delete tenant.roleAssignmentSchedules;
      }
      const lucerne = sampleTenant("Lucerne");
      const denied = await getJson(sim, lucerne.tenantId, "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances");
      expect(denied.status).toBe(400);
      expect(denied.body.error).toMatchObject({ code: "AadPremiumLicenseRequired" });
    });

    it("parses OData literals with doubled quotes", async () => {
      const t = sampleTenant("Contoso");
      const res = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent("principalId eq 'o''neil'")}`);
      expect(res.status).toBe(200);
      expect(res.body.value).toEqual([]);
      const broken = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent("principalId eq 'o'neil'")}`);
      expect(broken.status).toBe(400);
    });
  });
});
