/** Tokens: the real @azure/identity against the sim's token endpoint, and bearer handling. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("simulated Entra token endpoint", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  it("issues an app-only token to ClientSecretCredential, and Graph accepts it", async () => {
    const t = sampleTenant("Woodgrove");
    const credential = new ClientSecretCredential(t.tenantId, "11111111-2222-4333-8444-555555555555", "not-a-real-secret", {
      authorityHost: sim.url,
      disableInstanceDiscovery: true,
    });
    const token = await credential.getToken("https://graph.microsoft.com/.default");
    expect(claims(token.token).tid).toBe(t.tenantId);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(sim.state.counters.byEndpoint.token).toBe(1);

    const res = await fetch(`${sim.url}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`, {
      headers: { Authorization: `Bearer ${token.token}` },
    });
    expect(res.status).toBe(200);
  });

  it("refuses a token to a tenant whose consent was revoked, like Entra (AADSTS65001)", async () => {
    const t = sampleTenant("Trey Research");
    const credential = new ClientSecretCredential(t.tenantId, "11111111-2222-4333-8444-555555555555", "secret", {
      authorityHost: sim.url,
      disableInstanceDiscovery: true,
    });
    await expect(credential.getToken("https://graph.microsoft.com/.default")).rejects.toThrow(/AADSTS65001/);

    const raw = await fetch(`${sim.url}/${t.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: "abc", client_secret: "x", scope: "https://graph.microsoft.com/.default" }),
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { error: string; error_codes: number[] };
    expect(body.error).toBe("invalid_grant");
    expect(body.error_codes).toEqual([65001]);
  });

  it("answers 403 Authorization_RequestDenied to Graph calls of a revoked tenant", async () => {
    const t = sampleTenant("Trey Research");
    const res = await getJson(sim, t.tenantId, `/v1.0/users/${encodeURIComponent(t.account)}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "Authorization_RequestDenied" });
  });

  it("rejects missing and malformed bearer tokens with 401 InvalidAuthenticationToken", async () => {
    const none = await fetch(`${sim.url}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
    const bad = await fetch(`${sim.url}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`, { headers: { Authorization: "Bearer nonsense" } });
    expect(bad.status).toBe(401);
    const unknownTenant = await getJson(sim, "00000000-0000-4000-8000-00000000dead", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy");
    expect(unknownTenant.status).toBe(401);
  });

  it("mints tokens that carry the tenant and Graph audience", () => {
    const t = sampleTenant("Fabrikam");
    const c = claims(sim.mintToken(t.tenantId));
    expect(c).toMatchObject({ tid: t.tenantId, aud: "https://graph.microsoft.com" });
  });

  it("faults the token endpoint too (503, then recovers)", async () => {
    const t = sampleTenant("Adatum");
    sim.state.addFault({ tenantId: t.tenantId, endpoint: "token", kind: "503", times: 1 });
    const post = () =>
      fetch(`${sim.url}/${t.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: "abc", client_secret: "x" }),
      });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(200);
  });
});
