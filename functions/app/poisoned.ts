/**
 * What a check that keeps failing is recorded as: a run in which nothing could be verified. The
 * design: "a tenant that throws is retried by the host and, once poisoned, recorded as unknown
 * with the reason". It goes through the runner's `record` — with the all-unknown inspection of each
 * account (lib/runner/unknown.ts) in place of one read from Graph — so the state, the snapshot and
 * the outbox are written by the same transaction and the same diff as any run: consecutive unknown
 * runs are counted, and "monitoring degraded" is sent after UNKNOWN_ALERT_AFTER of them, not on
 * the first failure.
 */
import { errorText } from "../../lib/errors/text.js";

/** Errors are kept for people; bounded so a long stack or HTML page cannot bloat the state. */
const MAX_REASON_CHARS = 500;

export function poisonedReason(error: unknown, attempts: number): string {
  const message = errorText(error);
  const oneLine = message.replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
  return `the check failed ${attempts} time${attempts === 1 ? "" : "s"} in a row: ${oneLine}`;
}
