import { describe, expect, it } from "vitest";
import { claimStanding, createBudgetMs } from "../../../lib/tickets/claim.js";

const T = Date.parse("2026-12-07T03:00:00Z");
const TTL = 180_000;

describe("claimStanding", () => {
  it.each([
    ["just written", T, T, { kind: "live", retryAfterMs: TTL }],
    ["a minute old", T, T + 60_000, { kind: "live", retryAfterMs: 120_000 }],
    ["a millisecond short of its life", T, T + TTL - 1, { kind: "live", retryAfterMs: 1 }],
    ["exactly its life old", T, T + TTL, { kind: "abandoned" }],
    ["long abandoned", T, T + 10 * TTL, { kind: "abandoned" }],
    // The reader's estimate of the service's clock is behind the stamp: waited on for one life, never more.
    ["stamped a little in the future", T + 500, T, { kind: "live", retryAfterMs: TTL }],
    ["stamped almost a life in the future", T + TTL, T, { kind: "live", retryAfterMs: TTL }],
    ["stamped a year in the future", T + 365 * 86_400_000, T, { kind: "abandoned" }],
    ["with no stamp", undefined, T, { kind: "abandoned" }],
    ["with a stamp that is not a time", Number.NaN, T, { kind: "abandoned" }],
  ])("a claim %s", (_, writtenAt, now, expected) => {
    expect(claimStanding(writtenAt, now, TTL)).toEqual(expected);
  });

  it("leaves a third of the claim's life between its maker's last request and a takeover", () => {
    expect(createBudgetMs(TTL)).toBe(120_000);
    expect(createBudgetMs(1_500)).toBe(1_000);
  });
});
