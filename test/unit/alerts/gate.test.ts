/** The sending gate's rules: what a channel's answer means, and how far ahead any wait may be. */
import { describe, expect, it } from "vitest";
import { classify, MIN_WAIT_MS, THROTTLE_WAIT_MS, waitUntil, type GateResult } from "../../../lib/alerts/gate/classify.js";
import type { SendOutcome } from "../../../lib/alerts/channels/types.js";
import { beyondHorizon, clampUntil, WAIT_HORIZON_MS } from "../../../lib/retry/horizon.js";

const NOW = Date.parse("2026-03-04T07:00:00.000Z");
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW + ms);
const fail = (extra: Partial<Extract<SendOutcome, { ok: false }>> = {}): SendOutcome => ({ ok: false, retryable: true, error: "boom", ...extra });

describe("classify", () => {
  const cases: Array<{ name: string; outcome: SendOutcome; attempt?: number; max?: number; expected: GateResult }> = [
    { name: "a success is sent", outcome: { ok: true, detail: "202" }, expected: { kind: "sent", detail: "202" } },
    {
      name: "a 429 with Retry-After waits that long, and spends no attempt even on the last one",
      outcome: fail({ throttled: true, retryAfterMs: 30_000 }),
      attempt: 8,
      expected: { kind: "wait", why: "throttled", until: at(30_000), error: "boom" },
    },
    {
      name: "a 429 without Retry-After waits the default",
      outcome: fail({ throttled: true }),
      expected: { kind: "wait", why: "throttled", until: at(THROTTLE_WAIT_MS), error: "boom" },
    },
    {
      name: "Retry-After: 0 still waits a second",
      outcome: fail({ throttled: true, retryAfterMs: 0 }),
      expected: { kind: "wait", why: "throttled", until: at(MIN_WAIT_MS), error: "boom" },
    },
    {
      name: "a century's Retry-After (3153600000 s) waits an hour",
      outcome: fail({ throttled: true, retryAfterMs: 3_153_600_000_000 }),
      expected: { kind: "wait", why: "throttled", until: at(WAIT_HORIZON_MS), error: "boom" },
    },
    {
      name: "a 503 asking for a century retries within the hour",
      outcome: fail({ retryAfterMs: 3_153_600_000_000 }),
      expected: { kind: "retry", after: at(WAIT_HORIZON_MS), error: "boom" },
    },
    {
      name: "a retryable failure backs off (30 s after the first)",
      outcome: fail(),
      attempt: 1,
      expected: { kind: "retry", after: at(30_000), error: "boom" },
    },
    { name: "the backoff grows (2 min after the third)", outcome: fail(), attempt: 3, expected: { kind: "retry", after: at(120_000), error: "boom" } },
    { name: "the backoff stops at the hour", outcome: fail(), attempt: 9, max: 20, expected: { kind: "retry", after: at(HOUR), error: "boom" } },
    {
      name: "a retryable failure on the last attempt is dead",
      outcome: fail(),
      attempt: 8,
      expected: { kind: "dead", error: "boom (gave up after 8 attempts)" },
    },
    { name: "a failure repeating cannot fix is dead at once", outcome: fail({ retryable: false }), attempt: 1, expected: { kind: "dead", error: "boom" } },
    {
      name: "a timeout (no answer: retryable, no status) is a retry of that channel",
      outcome: fail({ error: "acs: no answer within 95 s", timedOut: true }),
      expected: { kind: "retry", after: at(30_000), error: "acs: no answer within 95 s", timedOut: true },
    },
  ];
  it.each(cases)("$name", ({ outcome, attempt, max, expected }) => {
    // random 0.5: the backoff's jitter is neutral.
    expect(classify(outcome, { now: NOW, attempt: attempt ?? 1, maxAttempts: max ?? 8, random: () => 0.5 })).toEqual(expected);
  });
});

describe("the wait horizon", () => {
  const cases: Array<[string, number, number, boolean]> = [
    ["a time in the past stays", -5_000, -5_000, false],
    ["a minute ahead stays", 60_000, 60_000, false],
    ["exactly the horizon stays", WAIT_HORIZON_MS, WAIT_HORIZON_MS, false],
    ["a millisecond beyond is clamped", WAIT_HORIZON_MS + 1, WAIT_HORIZON_MS, true],
    ["a century is clamped", 100 * 365 * 24 * HOUR, WAIT_HORIZON_MS, true],
  ];
  it.each(cases)("%s", (_name, ahead, clamped, beyond) => {
    expect(clampUntil(NOW, NOW + ahead)).toBe(NOW + clamped);
    expect(beyondHorizon(NOW, NOW + ahead)).toBe(beyond);
  });

  it("waitUntil never gives less than a second nor more than the horizon", () => {
    expect(waitUntil(NOW, -1)).toEqual(at(MIN_WAIT_MS));
    expect(waitUntil(NOW, 10 * HOUR)).toEqual(at(WAIT_HORIZON_MS));
  });
});
