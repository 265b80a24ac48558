/** Within a process, claimed cells go to the waiting requests in arrival order, and none is held by a waiter asleep on something else. */
import { describe, expect, it } from "vitest";
import { LocalAppBudget, type AppBudget } from "../../../lib/budget/app-budget.js";
import { GRAPH_REPORTS_LEDGER } from "../../../lib/budget/gcra.js";
import { GraphPacer } from "../../../lib/graph/pacing.js";
import { PACER_DESIGNS } from "../../../lib/graph/pacer-options.js";
import { FakeClock, LIMITS } from "./fake-clock.js";

// The exact design keeps the same promise: its batches are booked in arrival order, each claim all of them or none.
describe.each(PACER_DESIGNS)("GraphPacer (%s) serves a process's waiters in arrival order", (design) => {
  // The budget saturated by single-cell requests that queue again as soon as they are served (8 checks at once, as a
  // worker runs them), and one batch that needs two cells together arriving in the middle: it must be served in its turn,
  // not overtaken by every single cell that wakes first.
  async function race(maxWaitMs: number): Promise<{ pairAt: number | undefined; pairError: unknown; singles: number }> {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock, { design, appBudget: new LocalAppBudget(GRAPH_REPORTS_LEDGER), maxWaitMs });
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

describe("GraphPacer (pool): a waiter asleep on something else holds no cells", () => {
  it("cells chosen by a waiter whose tenant's CA window is busy go to the ones behind, and wake them", async () => {
    const clock = new FakeClock();
    // Scripted ledger: one cell at 500, one at 600, then nothing until 5 s, then one cell 100 ms after each claim.
    const grants = [[500], [600]];
    const budget: AppBudget = {
      maxClaim: 1,
      claim: (_n, now) => {
        const slots = grants.shift() ?? (now >= 5_000 ? [now + 100] : undefined);
        return Promise.resolve(slots ? { granted: slots.length, slots, spendWithinMs: 200 } : { granted: 0, retryAt: 5_000 });
      },
    };
    const pacer = new GraphPacer(LIMITS, clock, { design: "pool", appBudget: budget });
    const at: Record<string, number> = {};
    const take = (name: string, tenant: string, demand: { ca?: number; reports?: number }) =>
      void pacer.acquire(tenant, demand).then((permit) => {
        at[name] = clock.t;
        return name === "ca" ? clock.sleep(1_900).then(() => permit.release()) : permit.release();
      });
    // The v1.0 batch of tenant a (CA policies and the registration report) chooses the cell at 500 ...
    take("batch", "a", { ca: 1, reports: 1 });
    await clock.advance(100);
    // ... then tenant a's CA page takes its CA window until 2 s (1 per second after the answer: 3 s).
    take("ca", "a", { ca: 1 });
    await clock.advance(100);
    take("first", "b", { reports: 1 }); // chooses the cell at 600
    await clock.advance(100);
    take("second", "c", { reports: 1 }); // no cell left for it: the ledger says "ask again at 5 s"
    await clock.advance(1_000);
    // At 500 the batch finds its CA window busy and parks: "first" sends on its cell, "second" is woken for the one at 600.
    expect(at.first).toBe(500);
    expect(at.second).toBe(600);
    expect(pacer.stats().lapsedCells).toBe(0);
    expect(at.batch).toBeUndefined();
    await clock.advance(6_000);
    // It keeps its place and sends when the ledger has cells again.
    expect(at.batch).toBeGreaterThanOrEqual(5_000);
  });
});
