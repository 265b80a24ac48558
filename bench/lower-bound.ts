/**
 * The shortest wall time Graph's budgets and the latency allow for one pass over the estate
 * (see bench/README.md for the reasoning). Pure: the workload goes in, seconds come out.
 */
import { factRequests } from "../lib/graph/facts/index.js";

interface Workload {
  /** Per tenant: sequential round trips on its critical path, and its CA requests. */
  readonly tenants: readonly { readonly roundTrips: number; readonly caRequests: number; readonly tokenTrips: number }[];
  /** Checks in the pass: each reads the sign-ins, `SIGN_IN_REQUESTS_PER_CHECK` report requests. */
  readonly checks: number;
  /** Registration reports the pass read (read only when due, lib/graph/facts/registration-details.ts). */
  readonly registrationReports: number;
  /** Sign-in context reads the pass made (due every SIGNIN_CONTEXT_HOURS, so a first run reads every tenant's). */
  readonly contextReads?: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly limits: { readonly caPerSecond: number; readonly reportsPerAppPer10s: number };
}

/**
 * Report requests a check's sign-ins take, as the product defines them: one, both event types
 * named in one filter (lib/graph/facts/sign-ins.ts): one list, not an interactive and a
 * non-interactive one, which would double the sign-ins' share of the app-wide term.
 */
export const SIGN_IN_REQUESTS_PER_CHECK = factRequests("signIns", { objectId: "", signInsSince: "" }).length;

/** The report requests a pass cannot do without: each check's sign-ins, the registration reports and the sign-in contexts read. */
export function reportRequestsOf(w: Pick<Workload, "checks" | "registrationReports" | "contextReads">): number {
  return w.checks * SIGN_IN_REQUESTS_PER_CHECK + w.registrationReports + (w.contextReads ?? 0);
}

/**
 * The sign-in context reads among the sign-in requests the simulator admitted: both go to
 * `auditLogs/signIns`, and a check makes SIGN_IN_REQUESTS_PER_CHECK failure reads, so the rest are
 * context reads, due only every few hours: a first run's, rarely a steady state's.
 */
export function contextReadsOf(admittedSignIns: number, checks: number): number {
  return Math.max(0, admittedSignIns - checks * SIGN_IN_REQUESTS_PER_CHECK);
}

interface LowerBound {
  readonly seconds: number;
  /** R, the report requests the app-wide term counts. */
  readonly reportRequests: number;
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
  const reportRequests = reportRequestsOf(w);
  const windows = Math.ceil(reportRequests / w.limits.reportsPerAppPer10s);
  const appReports = Math.max(0, windows - 1) * 10 + (reportRequests > 0 ? L : 0);
  // C checks in flight at a time, each holding its slot for a latency per round trip.
  const latency = (trips * L) / Math.max(1, w.concurrency);
  return { seconds: Math.max(tenantChain, appReports, latency), reportRequests, terms: { tenantChain, appReports, latency } };
}

/** The closing note: what a pass's checks drew from the report budget, per check (one sign-in request per tenant, whatever its accounts). */
export function reportRequestsNote(pass: {
  readonly kind: string;
  readonly reportRequests: number;
  readonly checks: number;
  readonly accounts: number;
}): string {
  const perCheck = Math.round((pass.reportRequests / Math.max(1, pass.checks)) * 100) / 100;
  return `${pass.kind}: ${perCheck} report requests per check (${pass.reportRequests} for ${pass.checks} checks of ${pass.accounts} monitored accounts)`;
}
