/** Within a process, the app budget's slots go to the waiting requests in arrival order, and none is booked by a waiter asleep on something else. */
import { describe, expect, it } from "vitest";
import { LocalAppBudget, type AppBudget } from "../../../lib/budget/app-budget.js";
import { GRAPH_REPORTS_LEDGER, type LedgerSpec } from "../../../lib/budget/gcra.js";
import { GraphPacer } from "../../../lib/graph/pacing.js";
import { FakeClock, LIMITS } from "./fake-clock.js";

// Batches are booked in arrival order, each claim a whole prefix of them or none.
describe("GraphPacer serves a process's waiters in arrival order", () => {
  // The budget saturated by single-cell requests that queue again as soon as they are served (8 checks at once, as a
  // worker runs them), and one batch that needs two cells together arriving in the middle: it must be served in its turn,
  // not overtaken by every single cell that wakes first.
  async function race(maxWaitMs: number): Promise<{ pairAt: number | undefined; pairError: unknown; singles: number }> {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: new LocalAppBudget(GRAPH_REPORTS_LEDGER), maxWaitMs });
    let stop = false;
    let singles = 0;
    let n = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const permit = await pacer.acquire(`single-${n++}`, { reports: 1 });
          singles += 1;
          await clock.sleep(30);
          permit.release();
        } catch {
          // A single that timed out queues again, as the next check would.
        }
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    await clock.advance(1_000);
    let pairAt: number | undefined;
    let pairError: unknown;
    const asked = clock.t;
    void pacer.acquire("pair", { reports: 2 }).then(
      (permit) => ((pairAt = clock.t - asked), permit.release()),
      (e: unknown) => (pairError = e),
    );
    await clock.advance(maxWaitMs + 2_000);
    stop = true;
    await clock.advance(5_000);
    await Promise.all(workers);
    return { pairAt, pairError, singles };
  }

  it("a batch of two waits for the singles ahead of it, then gets two adjacent cells", async () => {
    const { pairAt, pairError, singles } = await race(3_000);
    expect(pairError).toBeUndefined();
    // 8 singles at most were queued ahead of it, one cell every 88 ms, two for itself: ten slots, and a claim's round.
    expect(pairAt).toBeDefined();
    expect(pairAt!).toBeLessThanOrEqual(10 * 88 + 500);
    // The singles kept the budget busy throughout (one every 88 ms) and were not stopped by the pair either.
    expect(singles).toBeGreaterThan(40);
  });
});

// T = ⌈(1 000 + 100) / (8 − 1)⌉ = 158 ms.
const SPEC: LedgerSpec = { limit: 8, windowMs: 1_000, headroom: 0, claimCells: 4, horizonMs: 800, clockSkewMs: 0, spendWithinMs: 100, arrivalJitterMs: 0 };

describe("GraphPacer: a waiter asleep on something else books no slots", () => {
  it("a batch whose tenant's CA window is busy books nothing until it is free: the slots go to the ones behind, none lapses", async () => {
    const clock = new FakeClock();
    const local = new LocalAppBudget(SPEC);
    const claimedAt: number[] = [];
    const budget: AppBudget = {
      maxClaim: local.maxClaim,
      maxBatch: local.maxBatch,
      claim: (batches, now) => (claimedAt.push(now), local.claim(batches, now)),
    };
    const pacer = new GraphPacer(LIMITS, clock, { appBudget: budget });
    const at: Record<string, number> = {};
    const take = (name: string, tenant: string, demand: { ca?: number; reports?: number }) =>
      void pacer.acquire(tenant, demand).then((permit) => {
        at[name] = clock.t;
        return name === "ca" ? clock.sleep(1_900).then(() => permit.release()) : permit.release();
      });
    // Tenant a's CA page takes its CA window until its answer at 1.9 s (1 per second after the answer: free at 2.9 s) ...
    take("ca", "a", { ca: 1 });
    await clock.advance(100);
    // ... so the batch of tenant a (CA policies and the registration report) that asks next waits on it, not on the ledger.
    take("batch", "a", { ca: 1, reports: 1 });
    await clock.advance(100);
    take("first", "b", { reports: 1 });
    await clock.advance(100);
    take("second", "c", { reports: 1 });
    await clock.advance(1_000);
    // The ones behind book the first free slots, one interval apart, and send at them.
    expect(at.first).toBe(200);
    expect(at.second).toBe(358);
    expect(at.batch).toBeUndefined();
    expect(pacer.stats()).toMatchObject({ appWaiting: 0, lapsedCells: 0 });
    await clock.advance(3_000);
    // It keeps to its tenant's window and books once that is free: no slot was booked for it while it slept.
    expect(at.batch).toBe(2_900);
    expect(claimedAt).toEqual([200, 300, 2_900]);
    expect(pacer.stats().lapsedCells).toBe(0);
  });
});
