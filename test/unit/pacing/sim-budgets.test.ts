/** The simulator's emulation of Graph's budgets: app-wide reports, resource units, the 429 tally. */
import { describe, expect, it } from "vitest";
import { GRAPH_DOCUMENTED_LIMITS, RateLimiter } from "../../../sim/rate-limit.js";
import { RuBucket, tenantRuQuota } from "../../../sim/ratelimit-costs.js";

describe("simulated Graph budgets", () => {
  it("caps reports at 122 per 10 s for the app across tenants, with Retry-After", () => {
    const limiter = new RateLimiter(GRAPH_DOCUMENTED_LIMITS);
    for (let i = 0; i < 122; i += 1) expect(limiter.take(`t${i}`, "signIns", 1_000 + i).admitted).toBe(true);
    expect(limiter.take("fresh", "registrationDetails", 2_000)).toEqual({ admitted: false, retryAfterSeconds: 9 });
    expect(limiter.take("fresh", "registrationDetails", 11_001)).toEqual({ admitted: true });
    expect(limiter.stats.byEndpoint).toEqual({ registrationDetails: 1 });
    expect(limiter.stats.byScope).toEqual({ "reports-app": 1 });
  });

  it("a request refused by one budget uses up none of the others", () => {
    const limiter = new RateLimiter({ reportsPer10Seconds: 1, reportsPer10SecondsPerApp: 2 });
    expect(limiter.take("a", "signIns", 0).admitted).toBe(true);
    expect(limiter.take("a", "signIns", 1).admitted).toBe(false); // tenant budget
    expect(limiter.take("b", "signIns", 2).admitted).toBe(true); // the app budget still had room
    expect(limiter.take("c", "signIns", 3).admitted).toBe(false);
    expect(limiter.stats.byScope).toEqual({ "reports-tenant": 1, "reports-app": 1 });
  });

  it("meters resource units per tenant by size and per app, sub-requests one by one", () => {
    expect([tenantRuQuota(10), tenantRuQuota(50), tenantRuQuota(501)]).toEqual([3_500, 5_000, 8_000]);
    const limiter = new RateLimiter({ resourceUnits: true }, () => 3);
    for (let i = 0; i < 3_500; i += 1) expect(limiter.take("a", "authMethods", 0).admitted).toBe(true);
    const refused = limiter.take("a", "user", 0);
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(limiter.take("b", "user", 0).admitted).toBe(true);
    expect(limiter.take("a", "caPolicies", 0).admitted).toBe(true); // CA has its own limit, no RU
    expect(limiter.stats.byScope).toEqual({ "ru-tenant": 1 });
  });

  it("refills a bucket continuously over its window", () => {
    const b = new RuBucket(100, 10_000, 0);
    b.take(100);
    expect(b.waitFor(10, 0)).toBe(1_000);
    expect(b.waitFor(10, 1_000)).toBe(0);
  });
});
