/**
 * What one channel's answer means for the sender, as a pure rule: sent, wait (the service or our
 * quota says "not yet": never an attempt), retry (a failure that may pass: an attempt spent) or
 * dead (repeating cannot fix it, or the attempts are used up). Every time it gives is clamped to
 * the wait horizon (lib/retry/horizon.ts), so what a sender stores is never a century away.
 */
import { ALERT_BACKOFF, backoffMs, type BackoffOptions } from "../../retry/backoff.js";
import { clampUntil } from "../../retry/horizon.js";
import type { SendOutcome } from "../channels/types.js";

export type Why = "throttled" | "quota";

export type GateResult =
  | { readonly kind: "sent"; readonly detail: string }
  | { readonly kind: "wait"; readonly until: Date; readonly why: Why; readonly error: string }
  /** `timedOut`: the channel gave no answer in time, so a sender with more to send through it leaves it for now. */
  | { readonly kind: "retry"; readonly after: Date; readonly error: string; readonly timedOut?: true }
  | { readonly kind: "dead"; readonly error: string };

/** Never hammer: even "Retry-After: 0" waits a second. */
export const MIN_WAIT_MS = 1_000;
/** The wait after a 429 without Retry-After: the managed domain's rate is per minute. */
export const THROTTLE_WAIT_MS = 60_000;
/** The longest wait a sender sleeps where it is; a longer one is left for a later sweep or run. */
export const MAX_INLINE_WAIT_MS = 60_000;

interface ClassifyContext {
  readonly now: number;
  /** This attempt's number, 1-based (the row's count after its claim). */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly random: () => number;
  readonly backoff?: BackoffOptions;
  readonly throttleWaitMs?: number;
}

/** `now + ms`, at least MIN_WAIT_MS and at most the horizon away. */
export const waitUntil = (now: number, ms: number): Date => new Date(clampUntil(now, now + Math.max(MIN_WAIT_MS, ms)));

export function classify(outcome: SendOutcome, c: ClassifyContext): GateResult {
  if (outcome.ok) return { kind: "sent", detail: outcome.detail };
  if (outcome.throttled) {
    return { kind: "wait", why: "throttled", until: waitUntil(c.now, outcome.retryAfterMs ?? c.throttleWaitMs ?? THROTTLE_WAIT_MS), error: outcome.error };
  }
  if (!outcome.retryable) return { kind: "dead", error: outcome.error };
  if (c.attempt >= c.maxAttempts) return { kind: "dead", error: `${outcome.error} (gave up after ${c.attempt} attempts)` };
  const ms = outcome.retryAfterMs ?? backoffMs(c.attempt, c.random, c.backoff ?? ALERT_BACKOFF);
  return { kind: "retry", after: waitUntil(c.now, ms), error: outcome.error, ...(outcome.timedOut ? { timedOut: true as const } : {}) };
}
