/** The Monitor table's row codecs, without a table: what each row kind writes and reads back. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { OutboxAlert } from "../../../lib/model/state.js";
import type { Row } from "../../../lib/store/monitor/table.js";
import { SAMPLES } from "../alerts/samples.js";
import { decodeDeliveryRow, decodeStoredAlert, encodeAlertRow } from "../../../lib/store/monitor/codecs/alert.js";
import { decodeLease, encodeLeaseRow, isLive } from "../../../lib/store/monitor/codecs/lease.js";
import { decodeDigestSent, decodeThrottleUntil, digestColumn, encodeThrottleRow } from "../../../lib/store/monitor/codecs/marker.js";
import { decodeValidated, encodeValue } from "../../../lib/store/monitor/codecs/value.js";
import { NewerSchemaError, versioned } from "../../../lib/model/versioned.js";

/** A row as the SDK hands it back: the entity with its ETag. */
const asRow = (entity: Record<string, unknown>): Row => ({ partitionKey: "", rowKey: "", ...entity, etag: 'W/"1"' });

describe("value codec", () => {
  const thing = versioned({ schema: z.object({ schemaVersion: z.literal(1), a: z.number() }), migrations: [] });
  it("reads back what it wrote, validated", () => {
    expect(decodeValidated(encodeValue({ schemaVersion: 1, a: 1 }), thing, "thing")).toEqual({ schemaVersion: 1, a: 1 });
  });
  it("names the field paths of a value that does not validate", () => {
    expect(() => decodeValidated(encodeValue({ schemaVersion: 1, a: "x" }), thing, "thing")).toThrow(/^thing is invalid: a: /);
  });
  it("refuses a value of a newer schema version as such, naming the row", () => {
    const read = () => decodeValidated(encodeValue({ schemaVersion: 2, b: [] }), thing, "thing");
    expect(read).toThrow(NewerSchemaError);
    expect(read).toThrow("thing was written by a newer version of Drift Monitor (schema 2, this version reads up to 1): upgrade Drift Monitor");
  });
});

describe("alert codec", () => {
  const alert = Object.values(SAMPLES)[0] as OutboxAlert;
  const written = () => asRow(encodeAlertRow(alert.tenantId, alert));
  it("a new row is pending, with no attempt, its kinds listed once", () => {
    expect(written()).toMatchObject({ partitionKey: alert.tenantId, rowKey: `alert|${alert.id}`, Delivery: "pending", Attempts: 0 });
    expect(String(written().Kinds).split(",")).toEqual([...new Set(alert.transitions.map((t) => t.kind))]);
    expect(decodeStoredAlert(written(), alert.tenantId)).toMatchObject({ alert, delivery: "pending", attempts: 0, sentAt: null, lastError: null });
  });
  it("the monitor's reading refuses bad delivery columns; the senders' reads a bad counter as zero", () => {
    const bad = { ...written(), Attempts: -1 };
    expect(() => decodeStoredAlert(bad, alert.tenantId)).toThrow(/invalid delivery columns/);
    expect(decodeDeliveryRow(bad)).toMatchObject({ attempts: 0, generation: 0, sentChannels: [], nextAttemptAt: null });
  });
});

describe("lease codec", () => {
  it("round-trips, and a damaged row reads as an expired lease", () => {
    const lease = { leaseId: "l1", leasedUntil: "2026-01-01T00:10:00.000Z", acquiredAt: "2026-01-01T00:00:00.000Z", reason: "schedule" };
    const row = asRow(encodeLeaseRow("t1", lease));
    expect(decodeLease(row)).toEqual(lease);
    const damaged = decodeLease(asRow({ LeaseId: 7 }));
    expect(damaged).toEqual({ leaseId: "", leasedUntil: "", acquiredAt: "", reason: "" });
    expect(isLive(damaged, new Date("2026-01-01T00:00:00Z"), 60 * 60_000)).toBe(false);
  });

  it.each([
    { what: "ending within its term: live", now: "2026-01-01T00:00:00Z", until: "2026-01-01T00:10:00.000Z", live: true },
    { what: "ended: not live", now: "2026-01-01T00:10:00Z", until: "2026-01-01T00:10:00.000Z", live: false },
    {
      what: "its term and the wait horizon ahead (a host's clock an hour ahead): live",
      now: "2026-01-01T00:00:00Z",
      until: "2026-01-01T01:10:00.000Z",
      live: true,
    },
    { what: "further ahead than any lease is written: not live", now: "2026-01-01T00:00:00Z", until: "2026-01-01T01:10:00.001Z", live: false },
    { what: "ten years ahead: not live", now: "2026-01-01T00:00:00Z", until: "2036-01-01T00:00:00.000Z", live: false },
  ])("a lease of at most 10 minutes $what", ({ now, until, live }) => {
    const lease = { leaseId: "l1", leasedUntil: until, acquiredAt: now, reason: "schedule" };
    expect(isLive(lease, new Date(now), 10 * 60_000)).toBe(live);
  });
});

describe("marker codec", () => {
  it("throttle: the end it wrote, or null when unreadable", () => {
    const until = new Date("2026-01-01T00:05:00Z");
    expect(decodeThrottleUntil(encodeThrottleRow("acs", until, "429"))).toEqual(until);
    expect(decodeThrottleUntil({ Until: "soon" })).toBeNull();
    expect(decodeThrottleUntil(undefined)).toBeNull();
  });
  it("digest ledger: channel names survive the column-name rules", () => {
    expect(digestColumn("Sent", "acs-email")).toBe("Sent_acs_email");
    expect(decodeDigestSent({ Sent_acs_email: "2026-01-01T07:00:00.000Z", Claim_acs_email: "x", Sent_webhook: "" })).toEqual({
      "acs-email": "2026-01-01T07:00:00.000Z",
    });
  });
});
