/** Opt-in emulation of Graph's per-tenant budgets (CA 1 request/s, reports 5 per 10 s). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { RateLimiter } from "../../sim/rate-limit.js";
import { batch, getJson } from "./sim-helpers.js";

describe("Graph throttling budgets", () => {
  it("admits N per window per tenant and bucket, then refuses until the window moves", () => {
    const limiter = new RateLimiter({ caPoliciesPerSecond: 1, reportsPer10Seconds: 5 });
    expect(limiter.take("a", "caPolicies", 1000)).toEqual({ admitted: true });
    expect(limiter.take("a", "caPolicies", 1500)).toEqual({ admitted: false, retryAfterSeconds: undefined });
    expect(limiter.take("b", "caPolicies", 1500)).toEqual({ admitted: true });
    expect(limiter.take("a", "caPolicies", 2001)).toEqual({ admitted: true });
    for (let i = 0; i < 5; i += 1) expect(limiter.take("a", i % 2 ? "signIns" : "registrationDetails", 10_000 + i).admitted).toBe(true);
    expect(limiter.take("a", "signIns", 12_000)).toEqual({ admitted: false, retryAfterSeconds: 8 });
    expect(limiter.take("a", "user", 12_000)).toEqual({ admitted: true });
  });

  describe("over HTTPS", () => {
    let sim: RunningSimulator;
    const t = sampleTenant("Woodgrove");
    beforeAll(async () => {
      sim = await startTestSimulator({ rateLimits: { caPoliciesPerSecond: 1 } });
    });
    afterAll(() => sim.stop());

    it("answers the second CA request within a second with 429 and no Retry-After, also inside a batch", async () => {
      expect((await getJson(sim, t.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(200);
      const second = await getJson(sim, t.tenantId, "/v1.0/identity/conditionalAccess/policies");
      expect(second.status).toBe(429);
      expect(second.headers.get("retry-after")).toBeNull();
      const inBatch = await batch(sim, t.tenantId, "v1.0", ["/identity/conditionalAccess/policies", "/policies/identitySecurityDefaultsEnforcementPolicy"]);
      expect(inBatch.responses.map((r) => r.status)).toEqual([429, 200]);
      expect(sim.state.counters.throttled).toBe(2);
    });

    it("is switched off through the control API", async () => {
      const res = await fetch(`${sim.url}/_sim/rate-limits`, { method: "PUT", body: "{}", headers: { "Content-Type": "application/json" } });
      expect(res.status).toBe(200);
      expect((await getJson(sim, t.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(200);
      expect((await getJson(sim, t.tenantId, "/v1.0/identity/conditionalAccess/policies")).status).toBe(200);
    });
  });
});
