/**
 * The shortest wall time Graph's budgets and the latency allow for one pass over the estate
 * (see bench/README.md for the reasoning). Pure: the workload goes in, seconds come out.
 */
interface Workload {
  /** Per tenant: sequential round trips on its critical path, and its CA requests. */
  readonly tenants: readonly { readonly roundTrips: number; readonly caRequests: number; readonly tokenTrips: number }[];
  /** Report requests (sign-ins + registration report) the pass made in all. */
  readonly reportRequests: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly limits: { readonly caPerSecond: number; readonly reportsPerAppPer10s: number };
}

interface LowerBound {
  readonly seconds: number;
  /** Each term; the bound is the largest. */
  readonly terms: { readonly tenantChain: number; readonly appReports: number; readonly latency: number };
}

export function lowerBound(w: Workload): LowerBound {
  const L = w.latencyMs / 1000;
  // One tenant alone: its token, the round trips before and after its CA listing one latency
  // each, and the CA pages themselves at most one per second (a page cannot leave before the
  // previous answer brought its next link, nor arrive within a second of the previous page).
  let tenantChain = 0;
  let trips = 0;
  for (const t of w.tenants) {
    const pages = Math.max(1, t.caRequests);
    const others = Math.max(0, t.roundTrips - pages);
    const chain = (t.tokenTrips + others) * L + (pages - 1) * Math.max(1 / w.limits.caPerSecond, L) + L;
    tenantChain = Math.max(tenantChain, chain);
    trips += t.roundTrips + t.tokenTrips;
  }
  // The app's report budget: the first window's worth goes at once, every further one waits 10 s.
  const windows = Math.ceil(w.reportRequests / w.limits.reportsPerAppPer10s);
  const appReports = Math.max(0, windows - 1) * 10 + (w.reportRequests > 0 ? L : 0);
  // C checks in flight at a time, each holding its slot for a latency per round trip.
  const latency = (trips * L) / Math.max(1, w.concurrency);
  return { seconds: Math.max(tenantChain, appReports, latency), terms: { tenantChain, appReports, latency } };
}
