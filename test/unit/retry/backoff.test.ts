import { describe, expect, it } from "vitest";
import { backoffDelay, backoffMs, parseRetryAfter, retryAfterMs } from "../../../lib/retry/backoff.js";

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

describe("retryAfterMs (alert senders)", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });
  it("prefers the Azure millisecond headers, then Retry-After rounded up", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "1500", "retry-after": "9" }), now)).toBe(1500);
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "20.2" }), now)).toBe(21);
    expect(retryAfterMs(headers({ "retry-after": "0.0004" }), now)).toBe(1);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
  });
  it("is undefined without a readable header", () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
  });
});

describe("backoffMs (alert senders)", () => {
  it("caps the step, then jitters ±25 %", () => {
    const options = { baseMs: 1000, maxMs: 5000 };
    expect(backoffMs(1, () => 0.5, options)).toBe(1000);
    expect(backoffMs(1, () => 0, options)).toBe(750);
    expect(backoffMs(10, () => 1, options)).toBe(6250);
  });
});
