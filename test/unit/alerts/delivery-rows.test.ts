/** What a pending outbox row waits for, as the CLI's delivery summary and `alerts list` say it. */
import { describe, expect, it } from "vitest";
import { waitingOf, waitingText } from "../../../lib/alerts/delivery-rows.js";
import type { DeliveryRow } from "../../../lib/store/index.js";
import { SAMPLES } from "./samples.js";

const NOW = new Date("2026-03-04T07:00:00.000Z");
const at = (minutes: number): string => new Date(NOW.getTime() + minutes * 60_000).toISOString();

function row(extra: Partial<DeliveryRow>): DeliveryRow {
  const alert = SAMPLES.resolved!;
  return {
    tenantId: alert.tenantId,
    accountKey: "",
    partition: alert.tenantId,
    alert,
    etag: "*",
    delivery: "pending",
    attempts: 1,
    sentAt: null,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    deadLetteredAt: null,
    sentChannels: [],
    deadChannels: [],
    throttled: 0,
    generation: 0,
    rollup: null,
    ...extra,
  };
}

describe("waitingOf", () => {
  it.each([
    ["claimed 1 min ago, never finished", { lastAttemptAt: at(-1), nextAttemptAt: at(4) }, { kind: "claim", until: at(4) }],
    ["backing off after a failure", { lastAttemptAt: at(-1), nextAttemptAt: at(2) }, { kind: "backoff", until: at(2) }],
    ["due now", { lastAttemptAt: at(-10), nextAttemptAt: at(-5) }, undefined],
    ["never tried", {}, undefined],
    ["sent", { delivery: "sent" as const, lastAttemptAt: at(-1), nextAttemptAt: at(4) }, undefined],
  ])("%s", (_, extra, expected) => {
    expect(waitingOf(row(extra), NOW)).toEqual(expected);
  });

  it("says which wait it is", () => {
    expect(waitingText({ kind: "claim", until: at(4) })).toBe(`waits for an interrupted attempt's claim to expire at ${at(4)}`);
    expect(waitingText({ kind: "backoff", until: at(2) })).toBe(`next attempt at ${at(2)}`);
  });
});
