/** The benchmark's lower bound (bench/lower-bound.ts): the app-wide report term counts one sign-in request per check. */
import { describe, expect, it } from "vitest";
import { contextReadsOf, lowerBound, reportRequestsOf, SIGN_IN_REQUESTS_PER_CHECK } from "../../../bench/lower-bound.js";

const workload = (checks: number, registrationReports: number) => ({
  tenants: [{ roundTrips: 2, caRequests: 1, tokenTrips: 0 }],
  checks,
  registrationReports,
  latencyMs: 100,
  concurrency: 50,
  limits: { caPerSecond: 1, reportsPerAppPer10s: 122 },
});

describe("benchmark lower bound", () => {
  it("counts one report request for a check's sign-ins (both event types in one request)", () => {
    expect(SIGN_IN_REQUESTS_PER_CHECK).toBe(1);
    expect(reportRequestsOf({ checks: 5000, registrationReports: 254 })).toBe(5254);
  });

  it("5,000 tenants: steady state 430.1 s (was 840.1 s with two sign-in lists), first run 810.1 s (was 1,220.1 s)", () => {
    // Steady state: R = 5,254 → ⌈5254 / 122⌉ = 44 windows → 43 × 10 s + L.
    const steady = lowerBound(workload(5000, 254));
    expect(steady.reportRequests).toBe(5254);
    expect(steady.terms.appReports).toBeCloseTo(430.1, 6);
    expect(steady.seconds).toBeCloseTo(430.1, 6);
    // First run, the registration report read for every tenant: R = 10,000 → 82 windows.
    const first = lowerBound(workload(5000, 5000));
    expect(first.reportRequests).toBe(10_000);
    expect(first.seconds).toBeCloseTo(810.1, 6);
  });

  it("counts the sign-in context reads the pass made: a first run over 1,000 tenants needs 3,000 report requests", () => {
    // The simulator admitted 2,000 sign-in requests for 1,000 checks: 1,000 failure reads, 1,000 context reads.
    expect(contextReadsOf(2000, 1000)).toBe(1000);
    expect(contextReadsOf(1000, 1000)).toBe(0);
    expect(contextReadsOf(990, 1000)).toBe(0);
    const first = lowerBound({ ...workload(1000, 1000), contextReads: contextReadsOf(2000, 1000), latencyMs: 50 });
    // R = 3,000 → ⌈3000 / 122⌉ = 25 windows → 24 × 10 s + L.
    expect(first.reportRequests).toBe(3000);
    expect(first.seconds).toBeCloseTo(240.05, 6);
  });
});
