/** The GCRA ledger's arithmetic (reserved send slots) with an injected clock, and the pacer drawing on an app budget. */
import { describe, expect, it } from "vitest";
import { LocalAppBudget, type AppBudget } from "../../../lib/budget/app-budget.js";
import { BudgetTimeoutError, isBudgetTimeout } from "../../../lib/graph/app-budget.js";
import {
  effectiveWindowMs,
  gcraClaim,
  gcraParams,
  GRAPH_REPORTS_LEDGER,
  saneTat,
  slotsOf,
  type GcraParams,
  type LedgerSpec,
} from "../../../lib/budget/gcra.js";
import { GraphPacer, sharedGraphPacer, type PacingClock } from "../../../lib/graph/pacing.js";
import { productionPacer } from "../../../lib/runner/wiring.js";

const P: GcraParams = { intervalMs: 100, horizonMs: 400, claimCells: 5 };

describe("gcraClaim", () => {
  it.each([
    { what: "fresh ledger: a full claim, one slot per interval from now", tat: 0, now: 1_000, n: 5, granted: 5, next: 1_500, first: 1_000 },
    { what: "fresh ledger: more than a claim holds is capped", tat: 0, now: 1_000, n: 9, granted: 5, next: 1_500, first: 1_000 },
    { what: "slots reserved up to the horizon: nothing, retry when one fits", tat: 1_500, now: 1_000, n: 1, granted: 0, next: 1_500, retryAt: 1_100 },
    { what: "one interval later: the one slot that fits", tat: 1_500, now: 1_100, n: 3, granted: 1, next: 1_600, first: 1_500 },
    { what: "partial grant", tat: 1_300, now: 1_000, n: 4, granted: 2, next: 1_500, first: 1_300 },
    { what: "idle ledger: TAT in the past counts from now (no stored burst)", tat: 200, now: 10_000, n: 2, granted: 2, next: 10_200, first: 10_000 },
    { what: "the last slot exactly at the horizon fits", tat: 1_400, now: 1_000, n: 1, granted: 1, next: 1_500, first: 1_400 },
    { what: "a batch of 3 when only 2 fit: none, retry when 3 do", tat: 1_300, now: 1_000, n: 3, atLeast: 3, granted: 0, next: 1_300, retryAt: 1_100 },
    { what: "at least 2 of up to 4, 3 fit: 3", tat: 1_200, now: 1_000, n: 4, atLeast: 2, granted: 3, next: 1_500, first: 1_200 },
    { what: "idle ledger with a lead: the first slot a round trip from now", tat: 200, now: 10_000, n: 2, lead: 60, granted: 2, next: 10_260, first: 10_060 },
    { what: "busy ledger: the lead changes nothing", tat: 1_200, now: 1_000, n: 2, lead: 60, granted: 2, next: 1_400, first: 1_200 },
    { what: "the lead never pushes a claim past the horizon", tat: 0, now: 1_000, n: 5, lead: 5_000, granted: 1, next: 1_500, first: 1_400 },
  ])("$what", ({ tat, now, n, atLeast, granted, next, retryAt, first, lead }) => {
    const step = gcraClaim(tat, now, n, P, atLeast, lead);
    expect(step.granted).toBe(granted);
    expect(step.tat).toBe(next);
    if (retryAt !== undefined) expect(step.retryAt).toBe(retryAt);
    if (first !== undefined) expect(slotsOf(step, P)).toEqual(Array.from({ length: granted }, (_, i) => first + i * P.intervalMs));
  });
});

describe("saneTat: a stored TAT further ahead than any claim moves it", () => {
  const TEN_YEARS = 10 * 365 * 24 * 60 * 60_000;
  it.each([
    { what: "a fresh or idle ledger stands", tat: 0, now: 1_000, tolerance: 50, sane: 0 },
    { what: "a full ledger (horizon and an interval ahead) stands", tat: 1_500, now: 1_000, tolerance: 50, sane: 1_500 },
    { what: "within the claimants' clock tolerance of full, it stands", tat: 1_550, now: 1_000, tolerance: 50, sane: 1_550 },
    { what: "beyond it, it reads as a full ledger from now", tat: 1_551, now: 1_000, tolerance: 50, sane: 1_500 },
    { what: "ten years ahead reads as a full ledger from now", tat: 1_000 + TEN_YEARS, now: 1_000, tolerance: 50, sane: 1_500 },
  ])("$what", ({ tat, now, tolerance, sane }) => {
    expect(saneTat(tat, now, P, tolerance)).toBe(sane);
  });

  it("a claim on the repaired TAT waits one interval, not ten years", () => {
    const now = 1_000;
    const step = gcraClaim(saneTat(now + TEN_YEARS, now, P, 0), now, 1, P);
    expect(step).toMatchObject({ granted: 0, tat: 1_500, retryAt: 1_100 });
  });
});

describe("gcraParams", () => {
  it("derives the Graph reports pace: T = ⌈10 500 / (122 − 1 − 1)⌉ = 88 ms", () => {
    expect(effectiveWindowMs(GRAPH_REPORTS_LEDGER)).toBe(10_500);
    expect(gcraParams(GRAPH_REPORTS_LEDGER)).toEqual({ intervalMs: 88, horizonMs: 2_000, claimCells: 8 });
  });
  it.each([{ limit: 2, headroom: 1 }, { claimCells: 0 }, { horizonMs: 100 }])("refuses a spec with no room: %o", (over) => {
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

describe("the ledger's bound, under racing claimants with skewed clocks, late sends and jittered arrivals", () => {
  it.each([1, 2, 7])("seed %i: never more than L' = limit − headroom metered in any window", (seed) => {
    const spec: LedgerSpec = { ...GRAPH_REPORTS_LEDGER, limit: 30, windowMs: 2_000, claimCells: 4, clockSkewMs: 100, spendWithinMs: 100, arrivalJitterMs: 100 };
    const p = gcraParams(spec);
    let s = seed;
    const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    // 5 claimants, each off the ledger's clock by up to the tolerance; the ledger orders their claims, not their clocks.
    const skew = Array.from({ length: 5 }, () => Math.floor((rnd() * 2 - 1) * spec.clockSkewMs));
    let tat = 0;
    const arrivals: number[] = [];
    for (let t = 0; t < 20_000; t += Math.floor(rnd() * 30)) {
      const who = Math.floor(rnd() * 5);
      const step = gcraClaim(tat, t + skew[who]!, 1 + Math.floor(rnd() * 4), p);
      tat = step.tat;
      // Sent on the claimant's clock between its slot and slot + spend, metered after up to the jitter.
      for (const slot of slotsOf(step, p)) arrivals.push(slot - skew[who]! + rnd() * spec.spendWithinMs + rnd() * spec.arrivalJitterMs);
    }
    expect(arrivals.length).toBeGreaterThan(100);
    expect(maxInWindow(arrivals, spec.windowMs)).toBeLessThanOrEqual(spec.limit - spec.headroom);
  });
});

import { FakeClock, LIMITS } from "./fake-clock.js";

const SMALL: LedgerSpec = { limit: 8, windowMs: 1_000, headroom: 0, claimCells: 2, horizonMs: 500, clockSkewMs: 0, spendWithinMs: 100, arrivalJitterMs: 0 };

describe("GraphPacer with an app budget", () => {
  it("sends a report request only at a booked slot, paced across tenants by the budget", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: new LocalAppBudget(SMALL) });
    const granted: number[] = [];
    // 10 tenants, one report request each: the per-tenant windows allow all at once, the app budget does not.
    for (let i = 0; i < 10; i++) void pacer.acquire(`t${i}`, { reports: 1 }).then((permit) => (granted.push(clock.t), permit.release()));
    await clock.advance(3_000);
    expect(granted).toHaveLength(10);
    // Window 1000 + 100 (spend) = 1100, T = ⌈1100 / (8 − 1)⌉ = 158 ms: one slot per interval, never two at once.
    expect(maxInWindow(granted, 1_000)).toBeLessThanOrEqual(8);
    expect(granted).toEqual(Array.from({ length: 10 }, (_, i) => i * 158));
  });

  it("a batch wider than its cells can stay live together spends as many as can (88 ms apart, 200 ms to send: 3)", async () => {
    const clock = new FakeClock();
    const budget = new LocalAppBudget(GRAPH_REPORTS_LEDGER);
    expect(budget.maxBatch).toBe(3);
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: budget });
    let at: number | undefined;
    void pacer.acquire("t", { reports: 5 }).then(() => (at = clock.t));
    await clock.advance(1_000);
    // Its third slot, when the first is still live.
    expect(at).toBe(2 * 88);
  });

  it("CA requests do not touch the app budget", async () => {
    const budget: AppBudget = { maxClaim: 1, claim: () => Promise.reject(new Error("must not be called")) };
    const pacer = new GraphPacer(LIMITS, new FakeClock(), { appBudget: budget });
    await expect(pacer.acquire("t", { ca: 1 })).resolves.toBeDefined();
  });

  it("waits out a failing budget and retries, never sending without a slot", async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const local = new LocalAppBudget(SMALL);
    const flaky: AppBudget = { maxClaim: 2, claim: (batches, now) => (++calls <= 3 ? Promise.reject(new Error("storage down")) : local.claim(batches, now)) };
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
    const never: AppBudget = { maxClaim: 1, claim: (_batches, now) => Promise.resolve({ granted: 0, retryAt: now + 400 }) };
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: never, maxWaitMs: 1_000 });
    let error: unknown;
    void pacer.acquire("t", { reports: 1 }).catch((e: unknown) => (error = e));
    await clock.advance(2_000);
    expect(error).toBeInstanceOf(BudgetTimeoutError);
    expect(isBudgetTimeout(error)).toBe(true);
    expect((error as BudgetTimeoutError).code).toBe("BudgetTimeout");
  });
});

describe("GraphPacer with a clock that does not move", () => {
  // now() stands still and every sleep returns at once: only the times the pacer was told to wait until can end the wait.
  const frozen: PacingClock = { now: () => 0, sleep: () => Promise.resolve() };
  it("gives up at once when the budget's next cell comes after the deadline", async () => {
    let calls = 0;
    const later: AppBudget = { maxClaim: 1, claim: (_batches, now) => (calls++, Promise.resolve({ granted: 0, retryAt: now + 60_000 })) };
    const pacer = new GraphPacer(LIMITS, frozen, { appBudget: later, maxWaitMs: 1_000 });
    await expect(pacer.acquire("t", { reports: 1 })).rejects.toBeInstanceOf(BudgetTimeoutError);
    expect(calls).toBe(1);
  });
  it("counts the waits it was told to make towards the deadline", async () => {
    let calls = 0;
    const soon: AppBudget = { maxClaim: 1, claim: (_batches, now) => (calls++, Promise.resolve({ granted: 0, retryAt: now + 400 })) };
    const pacer = new GraphPacer(LIMITS, frozen, { appBudget: soon, maxWaitMs: 1_000 });
    await expect(pacer.acquire("t", { reports: 1 })).rejects.toBeInstanceOf(BudgetTimeoutError);
    // At 0, 400 and 800; the third says 1 200, past the deadline.
    expect(calls).toBe(3);
  });
  it("sends at a slot it slept until", async () => {
    const pacer = new GraphPacer(LIMITS, frozen, { appBudget: new LocalAppBudget(SMALL) });
    await pacer.acquire("a", { reports: 1 });
    // The next slot is 158 ms on: the clock never shows it, the pacer slept until it.
    await expect(pacer.acquire("b", { reports: 1 })).resolves.toBeDefined();
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
