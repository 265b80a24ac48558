/** The 30-day counts and a tenant's timeline (lib/status/history.ts): pure. */
import { describe, expect, it } from "vitest";
import { estateDailyCounts, tenantTimeline } from "../../../lib/status/history.js";

const NOW = new Date("2026-03-10T12:00:00.000Z");

describe("estateDailyCounts", () => {
  it("counts each tenant at the end of each day by its last snapshot, and leaves out days before its first", () => {
    const days = estateDailyCounts(
      [
        { tenantId: "a", takenAt: "2026-03-07T09:00:00.000Z", status: "compliant" },
        { tenantId: "a", takenAt: "2026-03-09T09:00:00.000Z", status: "drifted" },
        { tenantId: "a", takenAt: "2026-03-09T10:00:00.000Z", status: "drifted" },
        { tenantId: "b", takenAt: "2026-03-01T00:00:00.000Z", status: "unknown" },
        { tenantId: "b", takenAt: "2026-03-10T11:00:00.000Z", status: "compliant" },
        { tenantId: "c", takenAt: "2026-03-10T13:00:00.000Z", status: "drifted" },
        { tenantId: "d", takenAt: "2026-03-08T00:00:00.000Z", status: "bogus" },
      ],
      4,
      NOW,
    );
    expect(days).toEqual([
      { day: "2026-03-07", compliant: 1, drifted: 0, unknown: 1 },
      { day: "2026-03-08", compliant: 1, drifted: 0, unknown: 1 },
      { day: "2026-03-09", compliant: 0, drifted: 1, unknown: 1 },
      { day: "2026-03-10", compliant: 1, drifted: 1, unknown: 0 },
    ]);
  });

  it("counts a tenant once a day, as its worst account: its other accounts' snapshots named by key or by partition", () => {
    const days = estateDailyCounts(
      [
        { tenantId: "a", takenAt: "2026-03-08T09:00:00.000Z", status: "compliant" },
        { tenantId: "a", accountKey: "abcdef012345", takenAt: "2026-03-09T09:00:00.000Z", status: "unknown" },
        { tenantId: "a|0123456789ab", takenAt: "2026-03-10T09:00:00.000Z", status: "drifted" },
        { tenantId: "b", accountKey: "abcdef012345", takenAt: "2026-03-08T09:00:00.000Z", status: "compliant" },
      ],
      3,
      NOW,
    );
    expect(days).toEqual([
      { day: "2026-03-08", compliant: 2, drifted: 0, unknown: 0 },
      { day: "2026-03-09", compliant: 1, drifted: 0, unknown: 1 },
      { day: "2026-03-10", compliant: 1, drifted: 1, unknown: 0 },
    ]);
  });

  it("gives the requested number of days even with no snapshots", () => {
    expect(estateDailyCounts([], 30, NOW)).toHaveLength(30);
  });
});

describe("tenantTimeline", () => {
  it("lists status changes (not every snapshot) and alerts, newest first", () => {
    const t = tenantTimeline(
      [
        { id: "3", takenAt: "2026-03-03T00:00:00.000Z", status: "compliant" },
        { id: "2", takenAt: "2026-03-02T00:00:00.000Z", status: "drifted" },
        { id: "1", takenAt: "2026-03-01T00:00:00.000Z", status: "drifted" },
      ],
      [
        {
          alert: { id: "x", createdAt: "2026-03-01T00:00:00.000Z", transitions: [{ kind: "drift-detected" }] },
          delivery: "sent",
          sentAt: "2026-03-01T00:01:00.000Z",
          attempts: 1,
        },
        { alert: { id: "y", createdAt: "2026-03-03T00:00:00.000Z", transitions: [{ kind: "resolved" }] }, delivery: "failed", sentAt: null, attempts: 5 },
      ],
    );
    expect(
      t.map((e) => (e.kind === "status" ? `${e.at.slice(0, 10)} ${e.from ?? "-"}→${e.to}` : `${e.at.slice(0, 10)} ${e.transitions.join()} ${e.delivery}`)),
    ).toEqual(["2026-03-03 resolved failed", "2026-03-03 drifted→compliant", "2026-03-01 drift-detected sent", "2026-03-01 -→drifted"]);
  });
});
