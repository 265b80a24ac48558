/**
 * No Graph budget in time is late, not a failed check: the runner records no verdict (the last
 * report stands, nothing turns unknown) and the check is carried to the next run. A real pacer
 * whose app-wide budget is spoken for (an AppBudget that grants nothing) throws BudgetTimeoutError
 * inside the collector; the runner turns it into a late run.
 */
import { describe, expect, it } from "vitest";
import type { AppBudget } from "../../lib/budget/app-budget.js";
import { GRAPH_PACING_LIMITS, GraphPacer } from "../../lib/graph/pacing.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { azuriteStore, registered, runnerDeps, uniqueTables, useSimulator } from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;

useSimulator((s, c) => {
  sim = s;
  clock = c;
});

/** Every other process has the app's report budget: nothing for us for a minute. */
const spokenFor: AppBudget = { maxClaim: 10, claim: async (_batches, now) => ({ granted: 0, retryAt: now + 60_000 }) };

describe("runTenantCheck: no budget in time", () => {
  it("records a late run: the verdict stands, the unknown streak does not grow, and it says why", async () => {
    const store = azuriteStore(uniqueTables("Late"));
    const woodgrove = registered("Woodgrove");
    const first = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    expect(first.report.status).toBe("compliant");

    clock.advanceHours(0.5);
    // The pacer's own clock: sleeping moves it on, so the wait runs out at once in real time.
    let t = clock.now().getTime();
    const pacerClock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
    const pacer = new GraphPacer(GRAPH_PACING_LIMITS, pacerClock, { appBudget: spokenFor, maxWaitMs: 5_000 });
    const late = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock, { collectOptions: { sleep: async () => {}, random: () => 0.5, pacer } }));
    expect(late.late).toMatch(/budget/i);
    expect(late.transitions).toEqual([]);
    expect(late.report).toEqual(first.report);

    const state = (await store.monitor.readState(woodgrove.tenantId))?.state;
    expect(state?.lastReport.checkedAt).toBe(first.report.checkedAt);
    expect(state?.consecutiveUnknown).toBe(0);
    expect(state?.lateSince).toBe(clock.now().toISOString());
    expect(state?.lateReason).toBe(late.late);
  });

  it("a first check that is late stores nothing and says so: late, neither superseded nor a repeat", async () => {
    const store = azuriteStore(uniqueTables("LateFirst"));
    const woodgrove = registered("Woodgrove");
    let t = clock.now().getTime();
    const pacer = new GraphPacer(
      GRAPH_PACING_LIMITS,
      { now: () => t, sleep: async (ms: number) => void (t += ms) },
      { appBudget: spokenFor, maxWaitMs: 5_000 },
    );
    const late = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock, { collectOptions: { sleep: async () => {}, random: () => 0.5, pacer } }));
    expect([late.late !== undefined, late.superseded, late.repeated]).toEqual([true, false, false]);
    expect(await store.monitor.readState(woodgrove.tenantId)).toBeUndefined();
  });
});
