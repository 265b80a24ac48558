/** The GCRA ledger's arithmetic with an injected clock, and the pacer drawing on an app budget. */
import { describe, expect, it } from "vitest";
import { BudgetTimeoutError, ClaimedCells, isBudgetTimeout, LocalAppBudget, type AppBudget } from "../../../lib/graph/app-budget.js";
import { effectiveWindowMs, gcraClaim, gcraParams, GRAPH_REPORTS_LEDGER, type GcraParams, type LedgerSpec } from "../../../lib/graph/gcra.js";
import { GraphPacer, sharedGraphPacer, type PacingClock, type PacingLimits } from "../../../lib/graph/pacing.js";
import { productionPacer } from "../../../lib/runner/wiring.js";

const P: GcraParams = { intervalMs: 100, toleranceMs: 500, burst: 5 };

describe("gcraClaim", () => {
  it.each([
    { what: "fresh ledger: a full burst", tat: 0, now: 1_000, n: 5, granted: 5, next: 1_500 },
    { what: "fresh ledger: more than a burst is capped", tat: 0, now: 1_000, n: 9, granted: 5, next: 1_500 },
    { what: "burst spent: nothing, retry when one cell conforms", tat: 1_500, now: 1_000, n: 1, granted: 0, next: 1_500, retryAt: 1_100 },
    { what: "one interval later: one cell", tat: 1_500, now: 1_100, n: 3, granted: 1, next: 1_600 },
    { what: "partial grant", tat: 1_300, now: 1_000, n: 4, granted: 2, next: 1_500 },
    { what: "idle ledger: TAT in the past counts from now", tat: 200, now: 10_000, n: 2, granted: 2, next: 10_200 },
    { what: "exact boundary conforms", tat: 1_400, now: 1_000, n: 1, granted: 1, next: 1_500 },
    { what: "a batch of 3 when only 2 fit: none, retry when 3 do", tat: 1_300, now: 1_000, n: 3, atLeast: 3, granted: 0, next: 1_300, retryAt: 1_100 },
    { what: "at least 2 of up to 4, 3 fit: 3", tat: 1_200, now: 1_000, n: 4, atLeast: 2, granted: 3, next: 1_500 },
  ])("$what", ({ tat, now, n, atLeast, granted, next, retryAt }) => {
    const step = gcraClaim(tat, now, n, P, atLeast);
    expect(step.granted).toBe(granted);
    expect(step.tat).toBe(next);
    if (retryAt !== undefined) expect(step.retryAt).toBe(retryAt);
  });
});

describe("gcraParams", () => {
  it("derives the Graph reports pace: T = ⌈12 000 / (122 − 2 − 10)⌉ = 110 ms", () => {
    expect(effectiveWindowMs(GRAPH_REPORTS_LEDGER)).toBe(12_000);
    expect(gcraParams(GRAPH_REPORTS_LEDGER)).toEqual({ intervalMs: 110, toleranceMs: 1_100, burst: 10 });
  });
  it.each([
    { limit: 10, headroom: 0, burst: 10 },
    { limit: 10, headroom: 2, burst: 0 },
  ])("refuses a spec with no room (limit $limit, headroom $headroom, burst $burst)", (over) => {
    expect(() => gcraParams({ ...GRAPH_REPORTS_LEDGER, ...over })).toThrow();
  });
});

/** Max grants whose times fall in any closed window of `x` ms. */
function maxInWindow(times: number[], x: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! > x) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("the ledger's bound, under racing claimants with skewed clocks", () => {
  it.each([1, 2, 7])("seed %i: never more than L' = limit − headroom in any effective window", (seed) => {
    const spec: LedgerSpec = { ...GRAPH_REPORTS_LEDGER, limit: 30, windowMs: 2_000, burst: 5, clockSkewMs: 100, spendWithinMs: 100, arrivalJitterMs: 100 };
    const p = gcraParams(spec);
    let s = seed;
    const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let tat = 0;
    const grants: number[] = [];
    // 5 claimants, each with its own clock offset; the ledger orders their writes, not their clocks.
    for (let t = 0; t < 20_000; t += Math.floor(rnd() * 30)) {
      const now = t + Math.floor((rnd() * 2 - 1) * spec.clockSkewMs);
      const step = gcraClaim(tat, now, 1 + Math.floor(rnd() * 5), p);
      tat = step.tat;
      for (let i = 0; i < step.granted; i++) grants.push(now);
    }
    expect(grants.length).toBeGreaterThan(100);
    expect(maxInWindow(grants, effectiveWindowMs(spec))).toBeLessThanOrEqual(spec.limit - spec.headroom);
  });
});

class FakeClock implements PacingClock {
  t = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.sleepers.push({ until: this.t + ms, resolve }));
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
      const due = this.sleepers.filter((x) => x.until <= end).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.until);
      this.sleepers = this.sleepers.filter((x) => x !== due);
      due.resolve();
    }
    this.t = end;
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  }
}

const LIMITS: PacingLimits = {
  caPerTenant: { limit: 1, windowMs: 1_000 },
  reportsPerTenant: { limit: 5, windowMs: 10_000 },
  reportsPerApp: { limit: 1_000, windowMs: 10_000 },
  marginMs: 0,
};
const SMALL: LedgerSpec = { limit: 8, windowMs: 1_000, headroom: 0, burst: 2, clockSkewMs: 0, spendWithinMs: 100, arrivalJitterMs: 0 };

describe("GraphPacer with an app budget", () => {
  it("sends a report request only with a claimed cell, paced across tenants by the budget", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: new LocalAppBudget(SMALL) });
    const granted: number[] = [];
    // 10 tenants, one report request each: the per-tenant windows allow all at once, the app budget does not.
    for (let i = 0; i < 10; i++) void pacer.acquire(`t${i}`, { reports: 1 }).then((permit) => (granted.push(clock.t), permit.release()));
    await clock.advance(3_000);
    expect(granted).toHaveLength(10);
    // Window 1000 + 100 (spend) = 1100, T = ⌈1100 / (8 − 2)⌉ = 184 ms, τ = 368: two at once, then one per interval.
    expect(maxInWindow(granted, 1_100)).toBeLessThanOrEqual(8);
    expect(granted.slice(0, 4)).toEqual([0, 0, 184, 368]);
  });

  it("CA requests do not touch the app budget", async () => {
    const budget: AppBudget = { maxClaim: 1, claim: () => Promise.reject(new Error("must not be called")) };
    const pacer = new GraphPacer(LIMITS, new FakeClock(), { appBudget: budget });
    await expect(pacer.acquire("t", { ca: 1 })).resolves.toBeDefined();
  });

  it("waits out a failing budget and retries, never sending without a cell", async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const local = new LocalAppBudget(SMALL);
    const flaky: AppBudget = { maxClaim: 2, claim: (n, now) => (++calls <= 3 ? Promise.reject(new Error("storage down")) : local.claim(n, now)) };
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: flaky, onClaimError: (e) => errors.push(e), claimRetryMs: 100 });
    let at: number | undefined;
    void pacer.acquire("t", { reports: 1 }).then(() => (at = clock.t));
    await clock.advance(250);
    expect(at).toBeUndefined();
    await clock.advance(1_000);
    expect(errors).toHaveLength(3);
    expect(at).toBe(700); // 100 + 200 + 400 of backoff
  });

  it("throws BudgetTimeoutError, coded, when no budget comes within maxWaitMs", async () => {
    const clock = new FakeClock();
    const never: AppBudget = { maxClaim: 1, claim: (_n, now) => Promise.resolve({ granted: 0, retryAt: now + 400 }) };
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: never, maxWaitMs: 1_000 });
    let error: unknown;
    void pacer.acquire("t", { reports: 1 }).catch((e: unknown) => (error = e));
    await clock.advance(2_000);
    expect(error).toBeInstanceOf(BudgetTimeoutError);
    expect(isBudgetTimeout(error)).toBe(true);
    expect((error as BudgetTimeoutError).code).toBe("BudgetTimeout");
  });
});

describe("ClaimedCells", () => {
  it("spends the soonest-lapsing cells first and drops lapsed ones", () => {
    const cells = new ClaimedCells();
    cells.add({ granted: 2, usableUntil: 100 });
    cells.add({ granted: 3, usableUntil: 200 });
    expect(cells.take(3, 50)).toBe(true);
    expect(cells.available(50)).toBe(2);
    expect(cells.available(100)).toBe(2);
    expect(cells.take(3, 150)).toBe(false);
    expect(cells.available(200)).toBe(0);
  });
});

describe("productionPacer", () => {
  it("is one pacer per shared budget, and the process's own pacer without one", () => {
    const budget = new LocalAppBudget();
    expect(productionPacer(budget)).toBe(productionPacer(budget));
    expect(productionPacer(budget)).not.toBe(sharedGraphPacer());
    expect(productionPacer(undefined)).toBe(sharedGraphPacer());
  });
});
