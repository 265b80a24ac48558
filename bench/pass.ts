/** One measured pass: run every tenant, then read what the simulator and the store saw. */
import { performance } from "node:perf_hooks";
import type { RunnerDeps } from "../lib/runner/index.js";
import type { Store } from "../lib/store/index.js";
import type { BenchTenant } from "./estate.js";
import { contextReadsOf, lowerBound, reportRequestsNote } from "./lower-bound.js";
import { runPaced } from "./run-paced.js";
import type { SimHandle } from "./sim-process.js";
import { countTableOps } from "./table-ops.js";
import type { RunCounters } from "./cost.js";

interface PassInput {
  readonly pass: number;
  readonly sim: SimHandle;
  readonly store: Store;
  readonly deps: RunnerDeps;
  readonly estate: readonly BenchTenant[];
  readonly tableUrl: string;
  readonly latencyMs: number;
  readonly concurrency: number;
}

/** The endpoints the runner paces itself for: a 429 from one of these is a pacing failure. */
const PACED = ["caPolicies", "signIns", "registrationDetails"] as const;

const sum = (values: Iterable<number>): number => {
  let s = 0;
  for (const v of values) s += v;
  return s;
};
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runPass(
  input: PassInput,
): Promise<{ result: Record<string, unknown>; summary: Record<string, unknown>; counters: RunCounters; note: string }> {
  const { sim, store, estate } = input;
  const n = estate.length;
  // What the scheduler reads before fanning out (cached object ids included); not part of a check.
  const registered = await store.tenants.list({ enabledOnly: true });
  await sim.resetCounters();
  const ops = countTableOps(input.tableUrl);
  const started = performance.now();
  const runs = await runPaced(registered, input.deps, input.concurrency);
  const wallSeconds = (performance.now() - started) / 1000;
  const tableOps = ops.count;
  ops.stop();

  const { counters, stats } = await sim.snapshot();
  const states = await store.monitor.listStates();
  // The first account's state stands for the tenant (every account of a check commits once).
  const version = new Map(states.filter((s) => (s.accountKey ?? "") === "").map((s) => [s.tenantId, s.version]));
  const ran = new Map<string, number>();
  for (const r of runs) ran.set(r.tenantId, (ran.get(r.tenantId) ?? 0) + 1);
  const lost = estate.filter((t) => (version.get(t.tenantId) ?? 0) < input.pass || !ran.has(t.tenantId)).length;
  const duplicated = estate.filter((t) => (version.get(t.tenantId) ?? 0) > input.pass || (ran.get(t.tenantId) ?? 0) > 1).length;
  const statuses: Record<string, number> = {};
  for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const errors = runs.filter((r) => r.error).map((r) => r.error);

  const tokenTrips = counters.byEndpoint.token ?? 0;
  const caPages = new Map(estate.map((t) => [t.tenantId, t.caPages]));
  // Measured (what the simulator admitted); the bound counts what the checks cannot do without.
  const signInRequests = stats.admittedByEndpoint.signIns ?? 0;
  const reportRequests = signInRequests + (stats.admittedByEndpoint.registrationDetails ?? 0);
  const bound = lowerBound({
    // v1.0 and beta batches travel together: the critical path is one round trip shorter.
    tenants: runs.map((r) => ({ roundTrips: Math.max(1, r.roundTrips - 1), caRequests: caPages.get(r.tenantId) ?? 1, tokenTrips: tokenTrips > 0 ? 1 : 0 })),
    checks: runs.length,
    registrationReports: stats.admittedByEndpoint.registrationDetails ?? 0,
    contextReads: contextReadsOf(stats.admittedByEndpoint.signIns ?? 0, runs.length),
    latencyMs: input.latencyMs,
    concurrency: input.concurrency,
    limits: { caPerSecond: 1, reportsPerAppPer10s: 122 },
  });
  const throttledPaced = sum(PACED.map((e) => stats.byEndpoint[e] ?? 0));
  const result = {
    pass: input.pass,
    kind: input.pass === 1 ? "first run" : "steady state",
    wallSeconds: round(wallSeconds),
    lowerBoundSeconds: round(bound.seconds),
    lowerBoundTerms: { tenantChain: round(bound.terms.tenantChain), appReports: round(bound.terms.appReports), latency: round(bound.terms.latency) },
    ratio: round(wallSeconds / Math.max(bound.seconds, 1e-9), 3),
    checks: { tenants: n, completed: runs.length - errors.length, errors: errors.length, lost, duplicated, statuses, firstErrors: errors.slice(0, 3) },
    graph: {
      requestsPerTenant: round(sum(Object.values(counters.byTenant)) / n),
      httpRoundTripsPerTenant: round(sum(Object.values(counters.httpByTenant)) / n),
      runnerRoundTripsPerTenant: round(sum(runs.map((r) => r.roundTrips)) / n),
      tokenRequests: counters.byEndpoint.token ?? 0,
      reportRequests,
      reportRequestsPerCheck: round(reportRequests / Math.max(1, runs.length)),
      accounts: sum(estate.map((t) => t.accounts.length)),
      reportRequestsInBound: bound.reportRequests,
      signInRequests,
      registrationReportsRead: stats.admittedByEndpoint.registrationDetails ?? 0,
      byEndpoint: counters.byEndpoint,
    },
    throttled: { total: counters.throttled, pacedEndpoints: throttledPaced, byEndpoint: stats.byEndpoint, byScope: stats.byScope },
    tableOpsPerTenant: round(tableOps / n),
    rssMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
  const summary = {
    wall: result.wallSeconds,
    bound: result.lowerBoundSeconds,
    ratio: result.ratio,
    throttled: counters.throttled,
    lost,
    duplicated,
    errors: errors.length,
  };
  // For the month's cost (bench/cost.ts). One process ran the pass: one instance busy for its wall time. This mode has no
  // queue, so the queue's work is the deployed shape's per check: the scheduler's put, the host's get and delete.
  const month: RunCounters = {
    tenants: n,
    executions: runs.length + 1,
    instanceSeconds: wallSeconds,
    tableTransactions: tableOps,
    queueClass1: 2 * runs.length,
    queueClass2: runs.length,
  };
  const note = reportRequestsNote({ kind: result.kind, reportRequests, checks: runs.length, accounts: result.graph.accounts });
  return { result, summary, counters: month, note };
}
