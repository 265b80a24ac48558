/**
 * The queue and timeout settings the Functions host reads from host.json, mirrored here so the
 * code that depends on them (the poison handling in checkTenant, the check lease) uses the same
 * numbers. host.json cannot import this file: test/integration/functions-host-json.test.ts
 * compares the two, so changing one without the other fails the build. The reasoning for each
 * value is in functions/README.md (JSON has no comments).
 */

export const QUEUE_HOST_SETTINGS = {
  /** Messages fetched per poll, per queue function, per instance. */
  batchSize: 16,
  /** Fetch again when in-flight messages drop to this: at most batchSize + newBatchThreshold at once. */
  newBatchThreshold: 16,
  /** Attempts before a message moves to `<queue>-poison`; checkTenant records the tenant as unknown on the last one. */
  maxDequeueCount: 3,
  /** How long a failed message stays invisible before its next attempt (hh:mm:ss). */
  visibilityTimeout: "00:01:00",
  /** Longest wait between polls of an empty queue (hh:mm:ss). */
  maxPollingInterval: "00:00:10",
  /** The trigger base64-decodes message text; functions/queue/messages.ts encodes to match. */
  messageEncoding: "base64",
} as const;

/** host.json `functionTimeout` (hh:mm:ss). */
export const FUNCTION_TIMEOUT = "00:10:00";

/** "hh:mm:ss" → milliseconds. */
export function timeSpanMs(value: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) throw new Error(`not a hh:mm:ss time span: "${value}"`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

/**
 * The longest a tenant-checks message can stay in flight once a check has started: every attempt
 * running to the function timeout, with the visibility timeout between attempts. A check lease
 * shorter than this could expire while the host still retries, and the tenant would be queued twice.
 */
export function maxCheckInFlightMs(): number {
  const attempts = QUEUE_HOST_SETTINGS.maxDequeueCount;
  return attempts * timeSpanMs(FUNCTION_TIMEOUT) + (attempts - 1) * timeSpanMs(QUEUE_HOST_SETTINGS.visibilityTimeout);
}
