import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "../../../lib/graph/backoff.js";

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["2", 2000],
    ["0", 0],
    [" 1.5 ", 1500],
    ["Thu, 01 Jan 2026 00:00:10 GMT", 10_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
  ])("%s → %d ms", (v, ms) => {
    expect(parseRetryAfter(v, now)).toBe(ms);
  });
  it.each([null, undefined, "", "soon"])("%s → undefined", (v) => {
    expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("honours Retry-After, capped", () => {
    expect(backoffDelay(1, 2000, () => 0.9, policy)).toBe(2000);
    expect(backoffDelay(1, 120_000, () => 0.9, policy)).toBe(30_000);
  });
  it("without Retry-After: exponential with jitter in [half, full)", () => {
    expect(backoffDelay(1, undefined, () => 0, policy)).toBe(500);
    expect(backoffDelay(1, undefined, () => 0.999, policy)).toBe(1000);
    expect(backoffDelay(2, undefined, () => 0, policy)).toBe(1000);
    expect(backoffDelay(3, undefined, () => 0.5, policy)).toBe(3000);
    expect(backoffDelay(10, undefined, () => 0.5, policy)).toBe(30_000);
  });
});
