/**
 * When to try again. Exponential backoff with jitter for failures that say nothing, and exactly
 * what the service asked for when it sent Retry-After (an Azure-managed sender domain allows
 * about 5 emails a minute, so ACS's 429s carry the wait it wants).
 */

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 60 * 60_000 };

/** After the n-th failed attempt (1-based): base·2^(n-1), capped, with ±25 % jitter so senders spread out. */
export function backoffMs(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.75 + random() * 0.5));
}

/** Header lookup that works for fetch Headers, the Azure pipeline's HttpHeaders and plain records. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** Retry-After (seconds or an HTTP date) or the Azure `retry-after-ms` / `x-ms-retry-after-ms`, in ms. */
export function retryAfterMs(headers: HeaderSource | undefined, now: Date): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers.get(name);
    if (v && /^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  }
  const v = headers.get("retry-after")?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** 408, 429 and 5xx are worth repeating; so are 401/403 (a key or role an operator can fix). */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true; // no answer at all: network, DNS, timeout
  return status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
}
