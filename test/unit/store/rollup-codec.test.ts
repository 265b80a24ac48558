/** Roll-up rows as stored: an older row (one set of delivery columns), a row whose channels keep their own, and a newer format refused. */
import { describe, expect, it } from "vitest";
import { decodeRollup, partOf } from "../../../lib/store/monitor/codecs/rollup.js";

const base = { partitionKey: "~rollup", rowKey: "r1", etag: "W/1", State: "ready", CreatedAt: "2026-03-04T07:00:00.000Z" };

describe("roll-up rows", () => {
  it("an older row: every channel starts from the row's one next try, attempts and error", () => {
    const r = decodeRollup({ ...base, SentChannels: "acs", Attempts: 2, NextAttemptAt: "2126-03-04T07:00:00.000Z", LastError: "webhook: 429" });
    expect(r.sentChannels).toEqual(["acs"]);
    expect(partOf(r, "webhook")).toEqual({ nextAttemptAt: "2126-03-04T07:00:00.000Z", attempts: 2, lastError: "webhook: 429" });
  });

  it("a channel's own columns are its own: the other channel is not moved by them", () => {
    const r = decodeRollup({
      ...base,
      Schema: 2,
      Sent_acs: "2026-03-04T07:02:00.000Z",
      Next_webhook: "2026-03-04T08:02:00.000Z",
      Attempts_webhook: 3,
      Error_webhook: "webhook: down",
      Dead_teams_hook: "1",
    });
    expect(r.sentChannels).toEqual(["acs"]);
    expect(r.deadChannels).toEqual(["teams-hook"]);
    expect(partOf(r, "webhook")).toEqual({ nextAttemptAt: "2026-03-04T08:02:00.000Z", attempts: 3, lastError: "webhook: down" });
    expect(partOf(r, "acs")).toEqual({ nextAttemptAt: null, attempts: 0, lastError: null });
  });

  it("a cleared column (a requeue) is no longer sent or dead", () => {
    expect(decodeRollup({ ...base, Schema: 2, Dead_webhook: "", Sent_acs: "" })).toMatchObject({ sentChannels: [], deadChannels: [] });
  });

  it("a row written by a newer version is refused with a clear message", () => {
    expect(() => decodeRollup({ ...base, Schema: 3 })).toThrow(/newer version \(row format 3; this one reads up to 2\)/);
  });
});
