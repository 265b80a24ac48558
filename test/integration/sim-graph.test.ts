/** Every Graph endpoint the product reads, over real HTTPS, against the sample estate. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";

const GA = "62e90394-69f5-4237-9190-012177145e10";
type Obj = Record<string, unknown>;

describe("simulated Graph endpoints", () => {
  let sim: RunningSimulator;
  const now = new Date("2026-03-10T12:00:00Z");
  beforeAll(async () => {
    sim = await startTestSimulator({ now: () => now });
  });
  afterAll(() => sim.stop());

  /** Follows @odata.nextLink to the end; returns the items and the number of pages. */
  async function all(tenantId: string, path: string): Promise<{ items: Obj[]; pages: number; links: string[] }> {
    const items: Obj[] = [];
    const links: string[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next) {
      const res = await getJson(sim, tenantId, next);
      expect(res.status).toBe(200);
      items.push(...(res.body.value as Obj[]));
      pages += 1;
      next = res.body["@odata.nextLink"] as string | undefined;
      if (next) links.push(next);
    }
    return { items, pages, links };
  }

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

    it("parses OData literals with doubled quotes", async () => {
      const t = sampleTenant("Contoso");
      const res = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent("principalId eq 'o''neil'")}`);
      expect(res.status).toBe(200);
      expect(res.body.value).toEqual([]);
      const broken = await getJson(sim, t.tenantId, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent("principalId eq 'o'neil'")}`);
      expect(broken.status).toBe(400);
    });
  });

  describe("Conditional Access policies", () => {
    it("serves the 36 baseline policies in pages of 25", async () => {
      const t = sampleTenant("Woodgrove");
      const { items, pages } = await all(t.tenantId, "/v1.0/identity/conditionalAccess/policies");
      expect(items).toHaveLength(36);
      expect(pages).toBe(2);
      expect(items[0]).toHaveProperty("conditions.users.excludeGroups");
    });

    it("serves about 300 generated policies and honours $top", async () => {
      const t = sampleTenant("Relecloud");
      const small = await all(t.tenantId, "/v1.0/identity/conditionalAccess/policies");
      expect(small.items).toHaveLength(300);
      expect(small.pages).toBe(12);
      const big = await all(t.tenantId, "/v1.0/identity/conditionalAccess/policies?$top=100");
      expect(big.pages).toBe(3);
      expect(new Set(big.items.map((p) => p.id)).size).toBe(300);
    });
  });

  describe("policies", () => {
    it("Security Defaults", async () => {
      const on = await getJson(sim, sampleTenant("Litware").tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy");
      const off = await getJson(sim, sampleTenant("Woodgrove").tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy");
      expect(on.body.isEnabled).toBe(true);
      expect(off.body).toMatchObject({ id: "00000000-0000-0000-0000-000000000005", isEnabled: false });
    });

    it("the authentication methods policy with its registration campaign", async () => {
      const res = await getJson(sim, sampleTenant("Graphic Design").tenantId, "/v1.0/policies/authenticationMethodsPolicy");
      expect(res.body).toHaveProperty("registrationEnforcement.authenticationMethodsRegistrationCampaign.state", "enabled");
      const campaign = (res.body.registrationEnforcement as Obj).authenticationMethodsRegistrationCampaign as Obj;
      expect(campaign.includeTargets).toEqual([{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }]);
    });
  });

  describe("authentication", () => {
    it("per-user MFA state (beta only)", async () => {
      const t = sampleTenant("Proseware");
      const beta = await getJson(sim, t.tenantId, `/beta/users/${t.account}/authentication/requirements`);
      expect(beta.body.perUserMfaState).toBe("enforced");
      const other = await getJson(sim, sampleTenant("Contoso").tenantId, "/beta/users('o''neil@contoso.com')/authentication/requirements");
      expect(other.body.perUserMfaState).toBe("disabled");
      const v1 = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}/authentication/requirements`);
      expect(v1.status).toBe(400);
    });

    it("methods carry @odata.type; the default is the password only", async () => {
      const t = sampleTenant("Proseware");
      const res = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}/authentication/methods`);
      expect((res.body.value as Obj[]).map((m) => m["@odata.type"])).toEqual([
        "#microsoft.graph.passwordAuthenticationMethod",
        "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        "#microsoft.graph.phoneAuthenticationMethod",
      ]);
      const plain = await getJson(sim, sampleTenant("Contoso").tenantId, "/v1.0/users('o''neil@contoso.com')/authentication/methods");
      expect((plain.body.value as Obj[]).map((m) => m["@odata.type"])).toEqual(["#microsoft.graph.passwordAuthenticationMethod"]);
    });

    it("the registration report, and its licence error without P1", async () => {
      const t = sampleTenant("Proseware");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const res = await getJson(sim, t.tenantId, `/v1.0/reports/authenticationMethods/userRegistrationDetails/${String(user.body.id)}`);
      expect(res.body).toMatchObject({ isMfaRegistered: true, isAdmin: true, methodsRegistered: ["microsoftAuthenticatorPush", "mobilePhone"] });
      const plain = await getJson(sim, sampleTenant("Contoso").tenantId, "/v1.0/reports/authenticationMethods/userRegistrationDetails('o''neil@contoso.com')");
      expect(plain.body).toMatchObject({ isMfaRegistered: false, methodsRegistered: [] });

      const lucerne = sampleTenant("Lucerne");
      const u = await getJson(sim, lucerne.tenantId, `/v1.0/users/${lucerne.account}?$select=id`);
      const denied = await getJson(sim, lucerne.tenantId, `/v1.0/reports/authenticationMethods/userRegistrationDetails/${String(u.body.id)}`);
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" });
      expect((denied.body.error as Obj).message).toMatch(/premium license/);
    });
  });

  describe("sign-ins", () => {
    const NON_INTERACTIVE = "signInEventTypes/any(t: t eq 'nonInteractiveUser')";
    const FAILURE_CODES =
      "(status/errorCode eq 50072 or status/errorCode eq 50074 or status/errorCode eq 50076 or status/errorCode eq 50079 or status/errorCode eq 53003)";

    it("filters by user and time relative to the sim's clock, newest first", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const since = new Date(now.getTime() - 24 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
      const { items } = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${String(user.body.id)}' and createdDateTime ge ${since} and ${NON_INTERACTIVE}`)}`,
      );
      const times = items.map((s) => Date.parse(String(s.createdDateTime)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(since));
      const failures = items.filter((s) => (s.status as Obj).errorCode !== 0);
      expect(failures.map((s) => (s.status as Obj).errorCode)).toEqual([50076, 53003]);
      expect(failures[0]).toMatchObject({
        createdDateTime: "2026-03-10T11:20:00Z",
        isInteractive: false,
        appDisplayName: "Microsoft Azure PowerShell",
        resourceDisplayName: "Microsoft Graph",
        conditionalAccessStatus: "notApplied",
        ipAddress: "20.61.13.77",
        appId: "1950a258-227b-4e31-a9cf-717495945fc2",
      });
      expect(failures[1]).toMatchObject({ conditionalAccessStatus: "failure", status: { failureReason: expect.stringContaining("Conditional Access") } });
      expect(items[0]).not.toHaveProperty("minutesAgo");
    });

    it("beta lists interactive sign-ins only unless the filter names the event types (Graph's documented default)", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const byUser = `userId eq '${String(user.body.id)}'`;
      // Every sign-in of Fourth Coffee's account is non-interactive (token refreshes).
      expect((await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(byUser)}`)).items).toEqual([]);
      expect((await all(t.tenantId, "/beta/auditLogs/signIns")).items).toEqual([]);
      const interactive = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and signInEventTypes/any(t: t eq 'interactiveUser')`)}`,
      );
      expect(interactive.items).toEqual([]);
      const nonInteractive = await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and ${NON_INTERACTIVE}`)}`);
      expect(nonInteractive.items.length).toBeGreaterThan(3);
      expect(nonInteractive.items.every((s) => s.isInteractive === false)).toBe(true);
      // Both types at once, with `or` inside the lambda: the sign-ins fact's one request (sim-sign-in-event-types.test.ts).
      const both = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`)}`,
      );
      expect(both.items.length).toBe(nonInteractive.items.length);
      // v1.0's signIn has no signInEventTypes.
      expect((await getJson(sim, t.tenantId, `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(NON_INTERACTIVE)}`)).status).toBe(400);
    });

    it("filters on the failure codes with a parenthesised `or`", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const filter = `userId eq '${String(user.body.id)}' and ${NON_INTERACTIVE} and ${FAILURE_CODES}`;
      const { items } = await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
      expect(items.map((s) => (s.status as Obj).errorCode)).toEqual([50076, 53003, 50076]);
      const none = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${NON_INTERACTIVE} and (status/errorCode eq 50072 or status/errorCode eq 50079)`)}`,
      );
      expect(none.items).toEqual([]);
    });

    it.each([
      ["an unknown event type", "signInEventTypes/any(t: t eq 'everything')"],
      ["a lambda over another collection", "appliedConditionalAccessPolicies/any(p: p eq 'x')"],
      ["a lambda on another variable", "signInEventTypes/any(t: x eq 'nonInteractiveUser')"],
      ["an unclosed parenthesis", "(status/errorCode eq 50076 or status/errorCode eq 53003"],
      ["a quoted error code", "status/errorCode eq '50076'"],
    ])("rejects %s", async (_label, filter) => {
      const res = await getJson(sim, sampleTenant("Fourth Coffee").tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(400);
    });

    it("pages sign-ins with $top", async () => {
      const t = sampleTenant("Contoso");
      const { items, pages } = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`userPrincipalName eq 'o''neil@contoso.com' and ${NON_INTERACTIVE}`)}&$top=20`,
      );
      expect(items).toHaveLength(48);
      expect(pages).toBe(3);
    });

    it("lists only interactive sign-ins under v1.0", async () => {
      const t = sampleTenant("Fourth Coffee");
      const res = await getJson(sim, t.tenantId, "/v1.0/auditLogs/signIns");
      expect(res.body.value).toEqual([]);
    });

    it("answers the licence error without P1", async () => {
      const res = await getJson(sim, sampleTenant("Lucerne").tenantId, "/beta/auditLogs/signIns?$filter=userId eq 'x'");
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" });
    });

    it("rejects a filter it does not understand", async () => {
      const res = await getJson(sim, sampleTenant("Contoso").tenantId, "/beta/auditLogs/signIns?$filter=startswith(userId,'x')");
      expect(res.status).toBe(400);
    });
  });
});
