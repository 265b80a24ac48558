/**
 * The Generic Cell Rate Algorithm (GCRA, as in redis-cell and the `throttled` Go library), used
 * to share one Graph budget between processes through a single stored number: the theoretical
 * arrival time (TAT). A claim of `n` cells at `now` is granted while `max(tat, now) + n·T` stays
 * within `now + τ`, and moves TAT there; nothing else is stored, so a claim is one read and one
 * conditional write whatever the number of processes.
 *
 * Why not a plain GCRA of "limit per window": Graph states its budgets as "at most L in any W",
 * and a GCRA (a token bucket) with burst L and rate L/W lets 2L through in some W. The bound is
 * instead derived from the invariant below, with every uncertainty folded into a longer window.
 *
 * Invariant: take the cells granted at times within any [a, a + X]. TAT after the first of those
 * grants is at least a + (its cells)·T and grows by T per cell after; after the last one it is at
 * most (a + X) + τ. So cells·T ≤ X + τ, i.e. at most X/T + B cells (τ = B·T). Choosing
 * T = ⌈X / (L' − B)⌉ keeps that at L', for any number of claimants and any interleaving.
 */

export interface LedgerSpec {
  /** The documented budget: `limit` requests in any `windowMs` (Graph: 122 per 10 s for the app). */
  readonly limit: number;
  readonly windowMs: number;
  /** Requests kept off the limit on top of the window arithmetic (Graph's own counting is not documented to the request). */
  readonly headroom: number;
  /** Most cells one claim may take (B): a claim of k costs 1/k Table round trips per request. */
  readonly burst: number;
  /** Bound on how far any two claimants' clocks disagree (each way). */
  readonly clockSkewMs: number;
  /** A granted cell must be spent within this long after the claim, else it lapses unused. */
  readonly spendWithinMs: number;
  /** Bound on send-to-arrival spread at Graph (when it meters) beyond what is counted locally. */
  readonly arrivalJitterMs: number;
}

/**
 * The app-wide identity-and-access-reports budget as shared by every process. The margins add
 * 2·500 + 500 + 500 = 2 s to the 10-s window, and 2 requests of headroom: T = ⌈12000 / 110⌉ =
 * 110 ms, about 91 requests per 10 s sustained (75 % of 122), never more than 120 in any 12 s.
 * See docs/scale.md for the reasoning.
 */
export const GRAPH_REPORTS_LEDGER: LedgerSpec = {
  limit: 122,
  windowMs: 10_000,
  headroom: 2,
  burst: 10,
  clockSkewMs: 500,
  spendWithinMs: 500,
  arrivalJitterMs: 500,
};

export interface GcraParams {
  /** T: one cell per this many ms, sustained. */
  readonly intervalMs: number;
  /** τ = B·T: how far ahead of now TAT may run. */
  readonly toleranceMs: number;
  readonly burst: number;
}

/** The window every uncertainty widens: a request metered at Graph in [a, a + W] was granted in [a − (skew + jitter + spend), a + W + skew]. */
export function effectiveWindowMs(spec: LedgerSpec): number {
  return spec.windowMs + 2 * spec.clockSkewMs + spec.spendWithinMs + spec.arrivalJitterMs;
}

export function gcraParams(spec: LedgerSpec): GcraParams {
  const cap = spec.limit - spec.headroom - spec.burst;
  if (!Number.isInteger(spec.burst) || spec.burst < 1) throw new Error(`ledger burst must be a positive integer, got ${spec.burst}`);
  if (!(cap >= 1)) throw new Error(`ledger limit ${spec.limit} leaves no room after headroom ${spec.headroom} and burst ${spec.burst}`);
  // Rounded up to whole ms: a longer interval only grants less.
  const intervalMs = Math.ceil(effectiveWindowMs(spec) / cap);
  return { intervalMs, toleranceMs: spec.burst * intervalMs, burst: spec.burst };
}

interface GcraStep {
  readonly granted: number;
  /** TAT to store (unchanged when nothing was granted). */
  readonly tat: number;
  /** When nothing was granted: the earliest time one cell would be. */
  readonly retryAt?: number;
}

/**
 * Up to `n` cells at `now` (whole ms) from a ledger whose TAT is `tat`: as many as conform, or
 * none if fewer than `atLeast` do. A batch needs all its cells at once; granting it fewer would
 * only let them lapse while it waits for the rest, and hand them out one by one to smaller demands.
 */
export function gcraClaim(tat: number, now: number, n: number, p: GcraParams, atLeast = 1): GcraStep {
  const want = Math.max(0, Math.min(Math.floor(n), p.burst));
  const least = Math.max(1, Math.min(Math.floor(atLeast), want));
  const base = Math.max(tat, now);
  const fits = Math.floor((now + p.toleranceMs - base) / p.intervalMs);
  const granted = fits >= least ? Math.min(want, fits) : 0;
  if (granted === 0) return { granted: 0, tat, retryAt: base + least * p.intervalMs - p.toleranceMs };
  return { granted, tat: base + granted * p.intervalMs };
}
