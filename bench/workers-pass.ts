/**
 * The accounting of one `--workers K` pass: what the workers reported per delivery, what the
 * simulator counted, and what the Monitor table holds before and after, in the JSON shape of a
 * single-process pass (bench/pass.ts) plus what only a queue has (retries, poison, late).
 */
import type { TenantState } from "../lib/model/state.js";
import type { BenchTenant } from "./estate.js";
import { contextReadsOf, lowerBound, reportRequestsNote } from "./lower-bound.js";
import type { SimSnapshot } from "./sim-process.js";
import type { WorkerDelivery } from "./worker-process.js";

interface WorkersPassInput {
  readonly pass: number;
  readonly workers: number;
  /** Checks in flight per worker at most (host.json batchSize + newBatchThreshold). */
  readonly perWorker: number;
  readonly estate: readonly BenchTenant[];
  readonly enqueued: readonly string[];
  readonly deliveries: readonly WorkerDelivery[];
  readonly snapshot: SimSnapshot;
  readonly before: readonly TenantState[];
  readonly after: readonly TenantState[];
  readonly wallSeconds: number;
  readonly scheduleSeconds: number;
  readonly latencyMs: number;
}

const PACED = ["caPolicies", "signIns", "registrationDetails"] as const;
const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

export function workersPassResult(input: WorkersPassInput): { result: Record<string, unknown>; summary: Record<string, unknown>; note: string } {
  const { estate, snapshot, deliveries } = input;
  const { counters, stats } = snapshot;
  const n = estate.length;
  // A tenant's first account's state stands for the tenant: every account of a check commits once.
  const first = (states: readonly TenantState[]) => states.filter((s) => (s.accountKey ?? "") === "");
  const versionBefore = new Map(first(input.before).map((s) => [s.tenantId, s.version]));
  const after = new Map(first(input.after).map((s) => [s.tenantId, s]));

  // A delivery that returned or went to the poison queue is the message's last; one that threw comes back.
  const terminal = new Map<string, WorkerDelivery[]>();
  const results: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const byWorker: Record<string, number> = {};
  let retried = 0;
  for (const d of deliveries) {
    bump(byWorker, String(d.worker));
    if (d.outcome === "threw") retried += 1;
    if (d.outcome === "threw" || !d.tenantId) continue;
    terminal.set(d.tenantId, [...(terminal.get(d.tenantId) ?? []), d]);
    bump(results, d.outcome === "poisoned" ? "poison-queue" : (d.kind ?? "?"));
    if (d.status) bump(statuses, d.status);
  }
  const lastOf = (id: string) => terminal.get(id)?.at(-1);
  const isLate = (id: string) => Boolean(after.get(id)?.lateSince) || lastOf(id)?.kind === "late";
  const late = estate.filter((t) => isLate(t.tenantId)).length;
  const unknown = estate.filter((t) => {
    const d = lastOf(t.tenantId);
    return d?.kind === "poisoned" || d?.outcome === "poisoned" || d?.status === "unknown";
  }).length;
  // Every check commits its state once (a version up); a late one may commit nothing (never checked before).
  const delta = (id: string) => (after.get(id)?.version ?? 0) - (versionBefore.get(id) ?? 0);
  const lost = estate.filter((t) => !terminal.has(t.tenantId) || (delta(t.tenantId) < 1 && !isLate(t.tenantId))).length;
  const duplicated = estate.filter((t) => delta(t.tenantId) > 1 || (terminal.get(t.tenantId)?.length ?? 0) > 1).length;
  const checks = sum([...terminal.values()].map((ds) => ds.length));

  const caPages = new Map(estate.map((t) => [t.tenantId.toLowerCase(), t.caPages]));
  const reportRequests = (stats.admittedByEndpoint.signIns ?? 0) + (stats.admittedByEndpoint.registrationDetails ?? 0);
  const bound = lowerBound({
    // Per tenant, its HTTP round trips as the simulator counted them (token, metadata and any retry
    // included, so tokenTrips 0), less one: the v1.0 and beta batches travel together.
    tenants: Object.entries(counters.httpByTenant).map(([id, trips]) => ({
      roundTrips: Math.max(1, trips - 1),
      caRequests: caPages.get(id) ?? 1,
      tokenTrips: 0,
    })),
    // What the checks need of the report budget: each tenant's sign-ins, and the registration reports read.
    checks: input.enqueued.length,
    registrationReports: stats.admittedByEndpoint.registrationDetails ?? 0,
    contextReads: contextReadsOf(stats.admittedByEndpoint.signIns ?? 0, input.enqueued.length),
    latencyMs: input.latencyMs,
    concurrency: input.workers * input.perWorker,
    limits: { caPerSecond: 1, reportsPerAppPer10s: 122 },
  });
  const throttledPaced = sum(PACED.map((e) => stats.byEndpoint[e] ?? 0));
  const errors = deliveries.filter((d) => d.error).map((d) => `${d.tenantId}: ${d.error}`);
  const result = {
    pass: input.pass,
    kind: input.pass === 1 ? "first run" : "steady state",
    workers: input.workers,
    wallSeconds: round(input.wallSeconds),
    scheduleSeconds: round(input.scheduleSeconds),
    lowerBoundSeconds: round(bound.seconds),
    lowerBoundTerms: { tenantChain: round(bound.terms.tenantChain), appReports: round(bound.terms.appReports), latency: round(bound.terms.latency) },
    ratio: round(input.wallSeconds / Math.max(bound.seconds, 1e-9), 3),
    checks: {
      tenants: n,
      enqueued: input.enqueued.length,
      completed: terminal.size,
      late,
      unknown,
      lost,
      duplicated,
      retried,
      results,
      statuses,
      deliveriesByWorker: byWorker,
      firstErrors: errors.slice(0, 3),
    },
    graph: {
      requestsPerTenant: round(sum(Object.values(counters.byTenant)) / n),
      httpRoundTripsPerTenant: round(sum(Object.values(counters.httpByTenant)) / n),
      tokenRequests: counters.byEndpoint.token ?? 0,
      reportRequests,
      reportRequestsPerCheck: round(reportRequests / Math.max(1, checks)),
      accounts: sum(estate.map((t) => t.accounts.length)),
      registrationReportsRead: stats.admittedByEndpoint.registrationDetails ?? 0,
      byEndpoint: counters.byEndpoint,
    },
    throttled: { total: counters.throttled, pacedEndpoints: throttledPaced, byBudget: stats.byScope, byEndpoint: stats.byEndpoint },
  };
  const summary = {
    wall: result.wallSeconds,
    bound: result.lowerBoundSeconds,
    ratio: result.ratio,
    throttled: counters.throttled,
    late,
    unknown,
    lost,
    duplicated,
  };
  const note = reportRequestsNote({ kind: result.kind, reportRequests, checks, accounts: result.graph.accounts });
  return { result, summary, note };
}
