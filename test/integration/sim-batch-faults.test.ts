/** $batch, faults (top-level and inside batches), counters, latency and the /_sim control API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { batch, getJson, postJson } from "./sim-helpers.js";

type Obj = Record<string, unknown>;

describe("simulated $batch, faults and counters", () => {
  let sim: RunningSimulator;
  const fabrikam = sampleTenant("Fabrikam");
  const adatum = sampleTenant("Adatum");
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    sim.state.clearFaults();
    sim.state.resetCounters();
  });

  const v1 = (account: string) => [
    `/users/${account}?$select=id,userPrincipalName,accountEnabled`,
    `/users/${account}/transitiveMemberOf?$select=id,displayName,roleTemplateId&$top=999`,
    "/identity/conditionalAccess/policies",
    "/policies/identitySecurityDefaultsEnforcementPolicy",
    "/policies/authenticationMethodsPolicy",
  ];

  it("answers every sub-request of a v1.0 batch", async () => {
    const res = await batch(sim, fabrikam.tenantId, "v1.0", v1(fabrikam.account));
    expect(res.status).toBe(200);
    expect(res.responses.map((r) => [r.id, r.status])).toEqual([
      ["1", 200],
      ["2", 200],
      ["3", 200],
      ["4", 200],
      ["5", 200],
    ]);
    expect(res.responses[0]!.body).toMatchObject({ userPrincipalName: fabrikam.account });
    expect(sim.state.counters).toMatchObject({ httpRequests: 1, batchRequests: 1, subRequests: 5, throttled: 0 });
    expect(sim.state.counters.byEndpoint).toMatchObject({ user: 1, transitiveMemberOf: 1, caPolicies: 1, securityDefaults: 1, authMethodsPolicy: 1 });
    expect(sim.state.counters.byTenant[fabrikam.tenantId]).toBe(5);
    expect(sim.state.counters.httpByTenant[fabrikam.tenantId]).toBe(1);
  });

  it("answers a beta batch with beta-only endpoints, and apostrophes in sub-request URLs", async () => {
    const ONEIL_NON_INTERACTIVE = "userPrincipalName eq 'o''neil@contoso.com' and signInEventTypes/any(t: t eq 'nonInteractiveUser')";
    const contoso = sampleTenant("Contoso");
    const res = await batch(sim, contoso.tenantId, "beta", [
      "/users('o''neil@contoso.com')/authentication/requirements",
      "/users/o%27neil%40contoso.com/authentication/methods",
      `/auditLogs/signIns?$filter=${encodeURIComponent(ONEIL_NON_INTERACTIVE)}&$top=5`,
    ]);
    expect(res.responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(res.responses[0]!.body.perUserMfaState).toBe("disabled");
    expect(String(res.responses[2]!.body["@odata.nextLink"])).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/beta\/auditLogs\/signIns\?/);
  });

  it("keeps the batch at 200 while one sub-request is throttled, with Retry-After", async () => {
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "caPolicies", kind: "429", times: 1, retryAfterSeconds: 2 });
    const first = await batch(sim, fabrikam.tenantId, "v1.0", v1(fabrikam.account));
    expect(first.status).toBe(200);
    const ca = first.responses.find((r) => r.id === "3")!;
    expect(ca.status).toBe(429);
    expect(ca.headers["Retry-After"]).toBe("2");
    expect(ca.body.error).toMatchObject({ code: "TooManyRequests" });
    expect(first.responses.filter((r) => r.status === 200)).toHaveLength(4);
    expect(sim.state.counters.throttled).toBe(1);
    // times: 1 — the retry succeeds.
    const retry = await batch(sim, fabrikam.tenantId, "v1.0", ["/identity/conditionalAccess/policies"]);
    expect(retry.responses[0]!.status).toBe(200);
  });

  it("429 without Retry-After, 503, 403 and unlicensed inside a batch", async () => {
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "user", kind: "429-no-retry-after" });
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "transitiveMemberOf", kind: "503" });
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "securityDefaults", kind: "403" });
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "authMethodsPolicy", kind: "unlicensed" });
    const res = await batch(sim, fabrikam.tenantId, "v1.0", v1(fabrikam.account));
    expect(res.status).toBe(200);
    const [user, member, ca, sd, amp] = res.responses;
    expect(user!.status).toBe(429);
    expect(user!.headers).not.toHaveProperty("Retry-After");
    expect(member!.status).toBe(503);
    expect(ca!.status).toBe(200);
    expect(sd!.status).toBe(403);
    expect(sd!.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    expect(amp!.body.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" });
    // Without `times` a fault stays until cleared.
    const again = await batch(sim, fabrikam.tenantId, "v1.0", v1(fabrikam.account));
    expect(again.responses.map((r) => r.status)).toEqual([429, 503, 200, 403, 403]);
  });

  it("applies faults per tenant only when a tenant is given, and to every endpoint with *", async () => {
    sim.state.addFault({ tenantId: fabrikam.tenantId, endpoint: "*", kind: "503", times: 2 });
    expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).status).toBe(200);
    expect((await getJson(sim, fabrikam.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).status).toBe(503);
    expect((await getJson(sim, fabrikam.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(503);
    expect((await getJson(sim, fabrikam.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(200);

    sim.state.addFault({ endpoint: "caPolicies", kind: "429" });
    const throttled = await getJson(sim, adatum.tenantId, "/v1.0/identity/conditionalAccess/policies");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    sim.state.clearFaults();
    expect((await getJson(sim, adatum.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(200);
  });

  it("rejects bad fault specs", () => {
    expect(() => sim.state.addFault({ endpoint: "nope" as "user", kind: "429" })).toThrow(/Unknown endpoint/);
    expect(() => sim.state.addFault({ endpoint: "user", kind: "500" as "503" })).toThrow(/Unknown fault kind/);
  });

  it("refuses more than 20 requests, and malformed batches, with 400", async () => {
    const many = await batch(
      sim,
      fabrikam.tenantId,
      "v1.0",
      Array.from({ length: 21 }, () => "/policies/identitySecurityDefaultsEnforcementPolicy"),
    );
    expect(many.status).toBe(400);
    const twenty = await batch(
      sim,
      fabrikam.tenantId,
      "v1.0",
      Array.from({ length: 20 }, () => "/policies/identitySecurityDefaultsEnforcementPolicy"),
    );
    expect(twenty.status).toBe(200);
    const dup = await postJson(sim, fabrikam.tenantId, "/v1.0/$batch", {
      requests: [
        { id: "1", method: "GET", url: "/a" },
        { id: "1", method: "GET", url: "/b" },
      ],
    });
    expect(dup.status).toBe(400);
    const notJson = await fetch(`${sim.url}/v1.0/$batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sim.mintToken(fabrikam.tenantId)}` },
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });

  it("answers an unknown or absolute sub-request URL with a sub-request 400", async () => {
    const res = await batch(sim, fabrikam.tenantId, "v1.0", ["/nope", `${sim.url}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`]);
    expect(res.status).toBe(200);
    expect(res.responses.map((r) => r.status)).toEqual([400, 400]);
  });

  it("counts every HTTP request and batch sub-request", async () => {
    await getJson(sim, adatum.tenantId, `/v1.0/users/${adatum.account}`);
    await batch(sim, adatum.tenantId, "beta", [`/users/${adatum.account}/authentication/requirements`, "/auditLogs/signIns"]);
    await fetch(`${sim.url}/v1.0/users/x`); // no token: counted as HTTP, no tenant
    expect(sim.state.counters).toMatchObject({ httpRequests: 3, batchRequests: 1, subRequests: 2 });
    expect(sim.state.counters.byTenant[adatum.tenantId]).toBe(3);
    expect(sim.state.counters.httpByTenant[adatum.tenantId]).toBe(2);
    sim.state.resetCounters();
    expect(sim.state.counters.httpRequests).toBe(0);
  });

  it("lets tests change a tenant's data between runs", async () => {
    const t = sim.state.tenant(adatum.tenantId);
    t.identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).body.isEnabled).toBe(true);
    sim.state.reset();
    expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).body.isEnabled).toBe(false);
  });

  describe("control API", () => {
    async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
      const res = await fetch(`${sim.url}/_sim${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Obj) : {} };
    }

    it("arms and clears faults, reads and resets counters, without counting itself", async () => {
      const armed = await control("POST", "/faults", { tenantId: adatum.tenantId, endpoint: "securityDefaults", kind: "503", times: 1 });
      expect(armed.status).toBe(201);
      expect((await control("GET", "/faults")).body.value).toEqual([{ tenantId: adatum.tenantId, endpoint: "securityDefaults", kind: "503", times: 1 }]);
      expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).status).toBe(503);
      await control("POST", "/faults", { endpoint: "user", kind: "403" });
      expect((await control("DELETE", "/faults")).status).toBe(204);
      expect((await getJson(sim, adatum.tenantId, `/v1.0/users/${adatum.account}`)).status).toBe(200);
      const counters = await control("GET", "/counters");
      expect(counters.body).toMatchObject({ httpRequests: 2, byEndpoint: { securityDefaults: 1, user: 1 } });
      expect((await control("POST", "/faults", { endpoint: "bogus", kind: "429" })).status).toBe(400);
      await control("POST", "/reset");
      expect((await control("GET", "/counters")).body.httpRequests).toBe(0);
    });

    it("patches a tenant, sets the clock and hands out tokens", async () => {
      const patched = await control("PATCH", `/tenants/${adatum.tenantId}`, { identitySecurityDefaultsEnforcementPolicy: { isEnabled: true } });
      expect(patched.status).toBe(200);
      expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).body.isEnabled).toBe(true);
      const clock = await control("PUT", "/clock", { now: "2026-02-01T00:00:00Z" });
      expect(clock.body.now).toBe("2026-02-01T00:00:00.000Z");
      const token = await control("GET", `/token?tenant=${adatum.tenantId}`);
      const res = await fetch(`${sim.url}/v1.0/users/${adatum.account}`, { headers: { Authorization: `Bearer ${String(token.body.access_token)}` } });
      expect(res.status).toBe(200);
      const tenants = await control("GET", "/tenants");
      expect((tenants.body.value as Obj[]).length).toBeGreaterThanOrEqual(15);
      await control("POST", "/reset");
      expect((await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).body.isEnabled).toBe(false);
    });
  });

  it("delays responses by latencyMs", async () => {
    sim.state.latencyMs = 150;
    const started = Date.now();
    await getJson(sim, adatum.tenantId, "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy");
    sim.state.latencyMs = 0;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
