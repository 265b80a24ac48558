/**
 * How long to wait before retrying a throttled or unavailable sub-request. Pure: the clock and
 * the randomness are passed in, so tests are exact and fast.
 */

export interface BackoffPolicy {
  /** Attempts per request, the first one included. */
  readonly maxAttempts: number;
  /** First backoff step without Retry-After. */
  readonly baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says (a run must finish). */
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when missing or unreadable, so the caller backs off on its own.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before retry number `retry` (1 = the first retry). With Retry-After, that, capped.
 * Without (the CA endpoint throttles without one): "full jitter" exponential backoff,
 * base·2^(retry-1) scaled by a random factor in [0.5, 1), so parallel runs spread out.
 */
export function backoffDelay(retry: number, retryAfterMs: number | undefined, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** Math.max(0, retry - 1);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.round(exp * (0.5 + r / 2)), policy.maxDelayMs);
}
