/** Booking exact slots: whole batches per claim (gcraClaimBatches), one claim in flight per process, no cell held or lapsed. */
import { describe, expect, it } from "vitest";
import { LocalAppBudget, type AppBudget, type AppClaim } from "../../../lib/budget/app-budget.js";
import { gcraClaimBatches, slotsOf, type GcraParams, type LedgerSpec } from "../../../lib/budget/gcra.js";
import { BudgetTimeoutError } from "../../../lib/graph/app-budget.js";
import { GraphPacer } from "../../../lib/graph/pacing.js";
import { FakeClock, LIMITS } from "./fake-clock.js";

const P: GcraParams = { intervalMs: 100, horizonMs: 400, claimCells: 5 };

describe("gcraClaimBatches", () => {
  it.each([
    { what: "fresh ledger: every batch, one slot per interval from now", tat: 0, sizes: [1, 1, 1], granted: 3, batches: 3, first: 1_000 },
    { what: "asks no more than a claim holds, whole batches only", tat: 0, sizes: [2, 3, 1], granted: 5, batches: 2, first: 1_000 },
    { what: "a batch the claim cannot hold whole waits for the next claim", tat: 0, sizes: [2, 2, 2], granted: 4, batches: 2, first: 1_000 },
    { what: "all the batches asked fit within the horizon: all", tat: 1_200, sizes: [1, 2], granted: 3, batches: 2, first: 1_200 },
    { what: "the horizon would cut a batch: none, retry when all fit", tat: 1_300, sizes: [1, 2], granted: 0, batches: 0, retryAt: 1_100 },
    { what: "room for two of three single batches: none, not one cell per claim", tat: 1_300, sizes: [1, 1, 1], granted: 0, batches: 0, retryAt: 1_100 },
    { what: "the first batch alone does not fit: retry when it does", tat: 1_300, sizes: [3], granted: 0, batches: 0, retryAt: 1_100 },
    { what: "nothing asked: nothing granted", tat: 0, sizes: [], granted: 0, batches: 0 },
  ])("$what", ({ tat, sizes, granted, batches, first, retryAt }) => {
    const step = gcraClaimBatches(tat, 1_000, sizes, P);
    expect(step.granted).toBe(granted);
    expect(step.batches).toBe(batches);
    // Every granted slot belongs to a granted batch: none is left over to hold or lapse.
    expect(sizes.slice(0, batches).reduce((a, b) => a + b, 0)).toBe(granted);
    if (first !== undefined) expect(slotsOf(step, P)).toEqual(Array.from({ length: granted }, (_, i) => first + i * P.intervalMs));
    if (granted > 0) expect(step.tat).toBe(first! + granted * P.intervalMs);
    else expect(step.tat).toBe(tat);
    if (retryAt !== undefined) expect(step.retryAt).toBe(retryAt);
  });
});

// T = ⌈(1 000 + 100) / (8 − 1)⌉ = 158 ms; up to 4 cells a claim, 800 ms ahead.
const SPEC: LedgerSpec = { limit: 8, windowMs: 1_000, headroom: 0, claimCells: 4, horizonMs: 800, clockSkewMs: 0, spendWithinMs: 100, arrivalJitterMs: 0 };

/** The local budget, recording each claim's batches and answering after `delayMs` (a ledger's round trip). */
function recording(clock: FakeClock, delayMs: number): { budget: AppBudget; claims: (readonly number[])[] } {
  const local = new LocalAppBudget(SPEC);
  const claims: (readonly number[])[] = [];
  const budget: AppBudget = {
    maxClaim: local.maxClaim,
    maxBatch: local.maxBatch,
    claim: async (batches, now): Promise<AppClaim> => {
      claims.push(batches);
      const answer = await local.claim(batches, now);
      await clock.sleep(delayMs);
      return answer;
    },
  };
  return { budget, claims };
}

describe("GraphPacer booking slots", () => {
  it("books the batches that ask while a claim travels together in the next claim, each at exactly its own slots", async () => {
    const clock = new FakeClock();
    const { budget, claims } = recording(clock, 20);
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: budget });
    const sent: Record<string, number> = {};
    for (const t of ["a", "b", "c", "d"]) void pacer.acquire(t, { reports: 1 }).then((p) => ((sent[t] = clock.t), p.release()));
    await clock.advance(2_000);
    // One claim for the first; b, c and d asked while it travelled and go in one claim, not three.
    expect(claims).toEqual([[1], [1, 1, 1]]);
    // a's slot is 0; its grant came back at 20, within the 100 ms a slot may be spent in.
    expect(sent).toEqual({ a: 20, b: 158, c: 316, d: 474 });
    expect(pacer.stats()).toMatchObject({ claims: 2, refusedClaims: 0, lapsedCells: 0, appWaiting: 0 });
  });

  it("sends a batch at its last slot, while its first is still live", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: new LocalAppBudget({ ...SPEC, spendWithinMs: 400 }) });
    let at: number | undefined;
    // T = ⌈1 400 / 7⌉ = 200: two cells stay live together (the first lapses at 400), so the batch books 0 and 200.
    void pacer.acquire("t", { reports: 3 }).then(() => (at = clock.t));
    await clock.advance(1_000);
    expect(at).toBe(200);
  });

  it("does not send a booking it slept past: it books again and counts the slot lost", async () => {
    const clock = new FakeClock();
    const sleep = clock.sleep;
    let stalls = 1;
    // The event loop stalls once, 300 ms past the slot: beyond the 100 ms a slot may be spent within.
    clock.sleep = (ms) => sleep(ms > 0 && stalls-- > 0 ? ms + 300 : ms);
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: new LocalAppBudget(SPEC) });
    void pacer.acquire("a", { reports: 1 });
    let at: number | undefined;
    void pacer.acquire("b", { reports: 1 }).then(() => (at = clock.t));
    await clock.advance(2_000);
    // b's slot was 158; it woke at 458, 200 ms past the slot's last moment, and booked the next free slot, 458.
    expect(at).toBe(458);
    expect(pacer.stats().lapsedCells).toBe(1);
  });

  it("a batch that times out gives its tenant's windows back", async () => {
    const clock = new FakeClock();
    let refuse = true;
    const local = new LocalAppBudget(SPEC);
    const budget: AppBudget = {
      maxClaim: local.maxClaim,
      maxBatch: local.maxBatch,
      claim: (batches, now) => (refuse ? Promise.resolve({ granted: 0, retryAt: now + 400 }) : local.claim(batches, now)),
    };
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: budget, maxWaitMs: 1_000 });
    let error: unknown;
    // Five report requests: the tenant's whole window (5 per 10 s).
    void pacer.acquire("t", { reports: 5 }).catch((e: unknown) => (error = e));
    await clock.advance(2_000);
    expect(error).toBeInstanceOf(BudgetTimeoutError);
    refuse = false;
    let at: number | undefined;
    void pacer.acquire("t", { reports: 5 }).then(() => (at = clock.t));
    await clock.advance(1_000);
    // Held by the batch that never went, the window would wait for an answer that never comes.
    expect(at).toBeDefined();
  });
});
