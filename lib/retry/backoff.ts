/**
 * When to try again, for every caller that retries over the network: Graph sub-requests
 * (lib/graph/batch.ts) and alert delivery (lib/alerts). Pure: the clock and the randomness are
 * passed in, so tests are exact and fast.
 *
 * Both callers back off exponentially (base·2^(n-1)) and honour what the service asked for, but
 * their jitter differs on purpose, and each keeps its own:
 * - Graph (`backoffDelay`): "full jitter" in [half, full) and a hard cap after it, because a
 *   check run must finish; the CA endpoint throttles without Retry-After.
 * - Alerts (`backoffMs`): ±25 % around the capped step, so queued senders spread out without
 *   ever waiting much less than the step (an Azure-managed sender domain allows ~5 emails a minute).
 */

// -- Retry-After --------------------------------------------------------------------------

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when
 * missing or unreadable, so the caller backs off on its own. `round` turns fractional seconds into
 * whole ms (Graph rounds; alerts round up so a sender never comes back a moment early).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, round: (ms: number) => number = Math.round): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Header lookup that works for fetch Headers, the Azure pipeline's HttpHeaders and plain records. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** The Azure `retry-after-ms` / `x-ms-retry-after-ms`, else Retry-After (rounded up), in ms. */
export function retryAfterMs(headers: HeaderSource | undefined, now: Date): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers.get(name);
    if (v && /^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  }
  return parseRetryAfter(headers.get("retry-after"), now.getTime(), Math.ceil);
}

/** 408, 429 and 5xx are worth repeating; so are 401/403 (a key or role an operator can fix). */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true; // no answer at all: network, DNS, timeout
  return status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
}

/** The un-jittered step after the n-th failure (1-based). */
const exponentialStep = (n: number, baseMs: number): number => baseMs * 2 ** Math.max(0, n - 1);

// -- Graph sub-requests -------------------------------------------------------------------

export interface BackoffPolicy {
  /** Attempts per request, the first one included. */
  readonly maxAttempts: number;
  /** First backoff step without Retry-After. */
  readonly baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says (a run must finish). */
  readonly maxDelayMs: number;
}

export const GRAPH_BACKOFF: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * Delay before retry number `retry` (1 = the first retry). With Retry-After, that, capped.
 * Without: base·2^(retry-1) scaled by a random factor in [0.5, 1), capped.
 */
export function backoffDelay(retry: number, retryAfterMs: number | undefined, random: () => number, policy: BackoffPolicy = GRAPH_BACKOFF): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxDelayMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.round(exponentialStep(retry, policy.baseDelayMs) * (0.5 + r / 2)), policy.maxDelayMs);
}

// -- Alert delivery -----------------------------------------------------------------------

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const ALERT_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 60 * 60_000 };

/** After the n-th failed attempt (1-based): base·2^(n-1), capped, with ±25 % jitter so senders spread out. */
export function backoffMs(attempt: number, random: () => number, options: BackoffOptions = ALERT_BACKOFF): number {
  const capped = Math.min(options.maxMs, exponentialStep(attempt, options.baseMs));
  return Math.round(capped * (0.75 + random() * 0.5));
}
