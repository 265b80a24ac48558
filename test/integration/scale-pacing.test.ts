/**
 * Keeps the pacing honest at small N: 50 generated tenants (bench/estate.ts), every documented
 * Graph budget on in the simulator, the production runner with one shared pacer, two runs back to
 * back — the second one must wait for the app-wide report window the first one filled. Graph must
 * never have to answer 429, and every tenant must be checked exactly once per run.
 */
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate } from "../../bench/estate.js";
import { GraphPacer } from "../../lib/graph/pacing.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import { GRAPH_DOCUMENTED_LIMITS } from "../../sim/rate-limit.js";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { azuriteStore, runnerDeps, TestClock, uniqueTables } from "./runner-helpers.js";
import { periodOf } from "../../lib/graph/facts/periods.js";

const N = 50;
const { estate, tenants } = generateEstate(N);
let sim: RunningSimulator;
let store: Store;

beforeAll(async () => {
  sim = await startTestSimulator({ estate, latencyMs: 20, rateLimits: { ...GRAPH_DOCUMENTED_LIMITS } });
  store = azuriteStore(uniqueTables("Scale"));
  for (const t of tenants) await store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account });
});
afterAll(async () => {
  await sim.stop();
});

describe("a run of 50 tenants under Graph's budgets", () => {
  it("receives no 429, checks every tenant once per run, and skips the registration report in the steady state", { timeout: 90_000 }, async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.setClock(clock.now);
    const pacer = new GraphPacer();
    const deps = runnerDeps(sim, store, clock, {
      collectOptions: { pacer, random: () => 0.5 },
      settings: {
        reminderHours: 24,
        unknownAlertAfter: 3,
        snapshotRetentionDays: 90,
        signInLookbackHours: 24,
        graphEndpoint: sim.url,
        registrationReportHours: 6,
        // 6 h rather than the default day, so that a few of 50 tenants' periods turn in the half hour between the runs.
        signInContextHours: 6,
      },
    });
    const runAll = async (): Promise<RunOutcome[]> => {
      const registered: RegisteredTenant[] = await store.tenants.list({ enabledOnly: true });
      const limit = pLimit(N);
      return Promise.all(registered.map((t) => limit(() => runTenantCheck(t, deps))));
    };

    const first = await runAll();
    const firstReports = sim.state.rateLimiter.stats.admittedByEndpoint.registrationDetails ?? 0;
    const firstSignIns = sim.state.rateLimiter.stats.admittedByEndpoint.signIns ?? 0;
    sim.state.resetCounters();
    clock.advanceHours(0.5);
    const second = await runAll();

    // Nothing throttled, in either run: the counters of the second, the tally of both.
    expect(sim.state.counters.throttled).toBe(0);
    expect(sim.state.rateLimiter.stats.byEndpoint).toEqual({});
    expect(first.map((o) => o.tenantId).sort()).toEqual(tenants.map((t) => t.tenantId).sort());
    expect(second.map((o) => o.tenantId).sort()).toEqual(tenants.map((t) => t.tenantId).sort());
    const states = await store.monitor.listStates();
    expect(states).toHaveLength(N);
    expect(states.every((s) => s.version === 2)).toBe(true);
    expect(second.every((o) => o.report.status !== "unknown")).toBe(true);

    // The first run read the report for every tenant; the steady state only for the few whose
    // own 6-hour period turned in the half hour between (the offsets spread the reads), within
    // two round trips unless the CA listing pages, and with the same verdicts.
    expect(firstReports).toBe(N);
    const t0 = Date.UTC(2026, 2, 2, 8, 0, 0);
    const due = tenants.filter((t) => periodOf(t.tenantId, t0, 6) !== periodOf(t.tenantId, t0 + 1_800_000, 6)).length;
    expect(due).toBeLessThan(N / 4);
    expect(sim.state.rateLimiter.stats.admittedByEndpoint.registrationDetails ?? 0).toBe(due);
    // One sign-in request per check in the steady state (both event types in one filter; it was two
    // lists, 2 × N). The first run also reads the sign-in contexts (once per 6-hour period), so report
    // requests per check are 3 on the first run (failures, contexts, registration report), then about 1 + 2 due / N.
    // The contexts, like the report, come due again for the few whose own period turned in between (lib/graph/facts/periods.ts):
    // those read them in the beta batch and the named locations in one more round.
    expect(firstSignIns).toBe(2 * N);
    const turned = (key: string) => periodOf(key, t0, 6) !== periodOf(key, t0 + 1_800_000, 6);
    const contextsDue = new Set(tenants.filter((t) => turned(`signInContexts|${t.tenantId}`)).map((t) => t.tenantId));
    expect(contextsDue.size).toBeLessThan(N / 4);
    expect(sim.state.rateLimiter.stats.admittedByEndpoint.signIns ?? 0).toBe(N + contextsDue.size);
    const pages = new Map(tenants.map((t) => [t.tenantId, t.caPages]));
    for (const o of second) expect(o.roundTrips).toBe(1 + (pages.get(o.tenantId) ?? 1) + (contextsDue.has(o.tenantId) ? 1 : 0));
    const verdicts = (runs: RunOutcome[]) => new Map(runs.map((o) => [o.tenantId, o.report.checks.map((c) => `${c.id}:${c.status}`).join(",")]));
    expect(verdicts(second)).toEqual(verdicts(first));
    // Both runs' reports (2 N, then N + due) exceed the app's 122 per 10 s together: the pacer waited.
    expect(pacer.stats().waits).toBeGreaterThan(0);
  });
});
