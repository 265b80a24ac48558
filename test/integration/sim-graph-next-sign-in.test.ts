/** The simulator's issue-15 endpoints over real HTTPS: domains, Identity Protection (P2), signInActivity (P1), the password and session properties. */
import { describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import { sim, useSimulator } from "./sim-graph-helpers.js";

const userUrl = (upn: string, select: string) => `/v1.0/users('${encodeURIComponent(upn)}')?$select=${select}`;

describe("simulated Graph: what the account's next sign-in depends on", () => {
  useSimulator();

  it("GET /domains: a tenant's own list with its password lifetime, or one never-expiring domain per UPN suffix", async () => {
    const margie = await getJson(sim, sampleTenant("Margie").tenantId, "/v1.0/domains?$select=id,isDefault,passwordValidityPeriodInDays");
    expect(margie.status).toBe(200);
    expect(margie.body.value).toEqual([{ id: "margiestravel.onmicrosoft.com", isDefault: true, passwordValidityPeriodInDays: 90 }]);
    const woodgrove = await getJson(sim, sampleTenant("Woodgrove").tenantId, "/v1.0/domains");
    expect(woodgrove.body.value).toEqual([expect.objectContaining({ id: "woodgrovebank.onmicrosoft.com", passwordValidityPeriodInDays: 2147483647 })]);
  });

  it("riskyUsers: P2 only; a user with no risk record is a 404", async () => {
    const humongous = sampleTenant("Humongous");
    const id = (await getJson(sim, humongous.tenantId, userUrl(humongous.account, "id"))).body.id as string;
    const risky = await getJson(sim, humongous.tenantId, `/v1.0/identityProtection/riskyUsers/${id}`);
    expect(risky.status).toBe(200);
    expect(risky.body).toMatchObject({ id, riskLevel: "high", riskState: "atRisk" });
    const woodgrove = sampleTenant("Woodgrove");
    const other = (await getJson(sim, woodgrove.tenantId, userUrl(woodgrove.account, "id"))).body.id as string;
    expect((await getJson(sim, woodgrove.tenantId, `/v1.0/identityProtection/riskyUsers/${other}`)).status).toBe(404);
    const tailspin = sampleTenant("Tailspin"); // P1 without P2
    const t = (await getJson(sim, tailspin.tenantId, userUrl(tailspin.account, "id"))).body.id as string;
    const refused = await getJson(sim, tailspin.tenantId, `/v1.0/identityProtection/riskyUsers/${t}`);
    // Identity Protection's licence wall is a 403 naming no licence, not PIM's 400 (sim/errors.ts).
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "Forbidden", message: "Your tenant is not licensed for this feature." } });
  });

  it("signInActivity needs P1; the password and session properties are served, relative times made absolute", async () => {
    const lucerne = sampleTenant("Lucerne"); // no P1
    const refused = await getJson(sim, lucerne.tenantId, userUrl(lucerne.account, "id,signInActivity"));
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/premium license/);
    const margie = sampleTenant("Margie");
    const select = "id,passwordPolicies,lastPasswordChangeDateTime,signInSessionsValidFromDateTime,passwordProfile,signInActivity";
    const res = await getJson(sim, margie.tenantId, userUrl(margie.account, select));
    expect(res.status).toBe(200);
    // 120 days before the start of the sim's day (2026-03-10).
    expect(res.body).toMatchObject({ passwordPolicies: "None", lastPasswordChangeDateTime: "2025-11-10T00:00:00Z", passwordProfile: null });
    expect(res.body.signInSessionsValidFromDateTime).toBe("2024-03-11T09:15:00Z");
    expect(res.body.signInActivity).toMatchObject({ lastSuccessfulSignInDateTime: "2026-03-10T11:07:00Z" });
    const forced = sampleTenant("Tasmanian");
    const profile = await getJson(sim, forced.tenantId, userUrl(forced.account, "passwordProfile"));
    expect(profile.body.passwordProfile).toMatchObject({ forceChangePasswordNextSignIn: true });
  });
});
