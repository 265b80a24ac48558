/**
 * The Generic Cell Rate Algorithm in its virtual-scheduling form (the GCRA of ATM, redis-cell and
 * the `throttled` Go library; Guava's RateLimiter reserves the same way), used to share one Graph
 * budget between processes through a single stored number: the theoretical arrival time (TAT),
 * here the next free send slot. A claim of `k` cells at `now` reserves the slots
 * `max(tat, now) + i·T` (i < k), as long as the last one lies within `now + horizon`, and moves TAT
 * past them. The claimant sends each request at its slot (not before, and at most `spendWithinMs`
 * after it, else the cell lapses). A claim is one read and one conditional write whatever the
 * number of processes.
 *
 * Why slots and not a bucket with a burst: Graph states its budgets as "at most L in any W". A
 * token bucket (a GCRA with tolerance B·T) lets B cells go at once on top of the rate, so the rate
 * has to leave B of the L unused in every window (docs/scale.md). Reserved slots never bunch: every slot granted by any
 * process is at least T after the one before it (the row moves only by whole claims, ETag-checked).
 *
 * Invariant: the requests Graph meters within any [a, a + W] were sent at slots within a window
 * widened by every uncertainty (X = effectiveWindowMs: spend lateness, clock disagreement both
 * ways, arrival jitter), and slots are at least T apart, so there are at most ⌊X / T⌋ + 1 of them.
 * Choosing T = ⌈X / (L' − 1)⌉ keeps that at L' = limit − headroom, for any number of claimants and
 * any interleaving of their claims.
 */

export interface LedgerSpec {
  /** The documented budget: `limit` requests in any `windowMs` (Graph: 122 per 10 s for the app). */
  readonly limit: number;
  readonly windowMs: number;
  /** Requests kept off the limit on top of the window arithmetic (Graph's own counting is not documented to the request). */
  readonly headroom: number;
  /** Most cells (slots) one claim may reserve: a claim of k costs 2/k Table operations per request. */
  readonly claimCells: number;
  /** How far ahead of now a claim may reserve slots: a process never holds more than this of the app's future. */
  readonly horizonMs: number;
  /** Bound on how far a claimant's idea of the ledger's (the storage service's) clock may be off, each way. */
  readonly clockSkewMs: number;
  /** A cell must be sent within this long after its slot, else it lapses unused. */
  readonly spendWithinMs: number;
  /** Bound on send-to-arrival spread at Graph (when it meters) beyond what is counted locally. */
  readonly arrivalJitterMs: number;
}

/**
 * The app-wide identity-and-access-reports budget as shared by every process. The margins add
 * 200 + 2·75 + 150 = 500 ms to the 10-s window, and one request of headroom:
 * T = ⌈10 500 / (122 − 1 − 1)⌉ = 88 ms, about 113 requests per 10 s sustained (93 % of 122), never
 * more than 121 in any 10.5 s. The clock is the storage service's (budget.ts), so 75 ms is the
 * bound on a process's estimate of it, not on how far hosts' clocks disagree. See docs/scale.md.
 */
export const GRAPH_REPORTS_LEDGER: LedgerSpec = {
  limit: 122,
  windowMs: 10_000,
  headroom: 1,
  claimCells: 8,
  horizonMs: 2_000,
  clockSkewMs: 75,
  spendWithinMs: 200,
  arrivalJitterMs: 150,
};

export interface GcraParams {
  /** T: one slot per this many ms, sustained. */
  readonly intervalMs: number;
  /** How far ahead of now a claim's last slot may lie. */
  readonly horizonMs: number;
  readonly claimCells: number;
}

/** The window every uncertainty widens: a request metered at Graph in [a, a + W] was sent at a slot in [a − (spend + skew + jitter), a + W + skew]. */
export function effectiveWindowMs(spec: LedgerSpec): number {
  return spec.windowMs + 2 * spec.clockSkewMs + spec.spendWithinMs + spec.arrivalJitterMs;
}

export function gcraParams(spec: LedgerSpec): GcraParams {
  const cap = spec.limit - spec.headroom;
  if (!Number.isInteger(spec.claimCells) || spec.claimCells < 1) throw new Error(`ledger claimCells must be a positive integer, got ${spec.claimCells}`);
  if (!(cap >= 2)) throw new Error(`ledger limit ${spec.limit} leaves fewer than 2 requests after headroom ${spec.headroom}`);
  // Rounded up to whole ms: a longer interval only grants less.
  const intervalMs = Math.ceil(effectiveWindowMs(spec) / (cap - 1));
  if (spec.horizonMs < (spec.claimCells - 1) * intervalMs) {
    throw new Error(`ledger horizon ${spec.horizonMs} ms cannot hold a claim of ${spec.claimCells} cells ${intervalMs} ms apart`);
  }
  return { intervalMs, horizonMs: spec.horizonMs, claimCells: spec.claimCells };
}

interface GcraStep {
  readonly granted: number;
  /** TAT to store (unchanged when nothing was granted). */
  readonly tat: number;
  /** With cells granted: the first one's slot; the others follow every `intervalMs`. */
  readonly firstSlot?: number;
  /** When nothing was granted: the earliest time a claim of `atLeast` would be. */
  readonly retryAt?: number;
}

/**
 * Up to `n` slots at `now` (whole ms) from a ledger whose TAT is `tat`: as many as lie within the
 * horizon, or none if fewer than `atLeast` do; none earlier than `now + leadMs`. A batch needs all its cells at once; granting it
 * fewer would only let them lapse while it waits for the rest, and hand them out one by one to smaller demands.
 */
export function gcraClaim(tat: number, now: number, n: number, p: GcraParams, atLeast = 1, leadMs = 0): GcraStep {
  const want = Math.max(0, Math.min(Math.floor(n), p.claimCells));
  if (want === 0) return { granted: 0, tat, retryAt: now };
  const least = Math.max(1, Math.min(Math.floor(atLeast), want));
  // No slot before `now + leadMs`: the grant reaches its claimant a round trip later, and a slot already past by then would lapse.
  const base = Math.max(tat, now + Math.max(0, Math.min(leadMs, p.horizonMs - (least - 1) * p.intervalMs)));
  const fits = base > now + p.horizonMs ? 0 : Math.floor((now + p.horizonMs - base) / p.intervalMs) + 1;
  const granted = fits >= least ? Math.min(want, fits) : 0;
  if (granted === 0) return { granted: 0, tat, retryAt: base + (least - 1) * p.intervalMs - p.horizonMs };
  return { granted, tat: base + granted * p.intervalMs, firstSlot: base };
}

/**
 * A claim for several batches at once (one process's waiters in one ledger write): the slots of a whole prefix of `sizes`
 * up to `claimCells`, all or none, so every slot granted has a batch to send at it. All or none, not as many as fit: a
 * claim that finds room for one cell at the horizon's edge would cost a read and a write per cell, and the processes
 * racing for that one cell would lose most of their writes.
 */
export function gcraClaimBatches(tat: number, now: number, sizes: readonly number[], p: GcraParams, leadMs = 0): GcraStep & { readonly batches: number } {
  let sum = 0;
  let batches = 0;
  for (const size of sizes) {
    if (sum + size > p.claimCells) break;
    sum += size;
    batches += 1;
  }
  if (batches === 0) return { granted: 0, tat, retryAt: now, batches: 0 };
  const step = gcraClaim(tat, now, sum, p, sum, leadMs);
  return { ...step, batches: step.granted > 0 ? batches : 0 };
}

/**
 * The stored TAT as a claim may use it. No claim moves it further than the horizon and an interval
 * past its claimant's now, and claimants' clocks disagree by at most `toleranceMs`: a TAT beyond
 * that was written by a clock far ahead or by hand, and obeyed it would stop every claimant for as
 * long as it says (ten years, once). It reads as a full ledger from `now` instead, so it holds for
 * one horizon and interval, and the claim that reads it writes that back.
 */
export function saneTat(tat: number, now: number, p: GcraParams, toleranceMs: number): number {
  const full = now + p.horizonMs + p.intervalMs;
  return tat > full + Math.max(0, toleranceMs) ? full : tat;
}

/** The slots of a step that granted cells. */
export function slotsOf(step: GcraStep, p: GcraParams): number[] {
  return Array.from({ length: step.granted }, (_, i) => (step.firstSlot ?? 0) + i * p.intervalMs);
}
/** Cells one `intervalMs` apart that are all still sendable at the last one's slot: a batch waits for its last cell. */
export function maxBatchOf(spec: LedgerSpec, p: GcraParams): number {
  return Math.max(1, Math.min(spec.claimCells, Math.floor((spec.spendWithinMs - 1) / p.intervalMs) + 1));
}
