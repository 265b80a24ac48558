/** The simulator's policy and authentication endpoints (Conditional Access, Security Defaults, methods, the registration report) over real HTTPS. */
import { describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import type { Obj} from "./sim-graph-helpers.js";
import { all, sim, useSimulator } from "./sim-graph-helpers.js";

describe("simulated Graph endpoints", () => {
  useSimulator();

  describe("Conditional Access policies", () => {
    it("serves the 35 baseline policies in pages of 25", async () => {
      const t = sampleTenant("Woodgrove");
      const { items, pages } = await all(t.tenantId, "/v1.0/identity/conditionalAccess/policies");
      expect(items).toHaveLength(35);
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
});
