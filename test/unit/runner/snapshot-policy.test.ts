/** When a run keeps a snapshot (table-driven), a last snapshot stamped by a clock far ahead included. */
import { describe, expect, it } from "vitest";
import { resultsDigest } from "../../../lib/runner/digest.js";
import { snapshotReason } from "../../../lib/runner/snapshot-policy.js";
import { minimalState } from "../../support/state.js";

const NOW = new Date("2026-01-02T12:00:00Z");
const HOUR = 3_600_000;
const at = (hoursFromNow: number) => new Date(NOW.getTime() + hoursFromNow * HOUR).toISOString();
const state = minimalState("00000000-0000-4000-8000-000000000001");
const report = state.lastReport;

describe("snapshotReason", () => {
  it.each([
    ["no earlier snapshot", null, "d", "first"],
    ["the facts changed", at(-1), "other", "facts-changed"],
    ["nothing changed, an hour ago", at(-1), "d", undefined],
    ["nothing changed, a day ago", at(-24), "d", "daily"],
    ["stamped half an hour ahead (a host's clock a little ahead)", at(0.5), "d", undefined],
    ["stamped ten years ahead (a host's clock far ahead): a daily one now, not never again", at(87_600), "d", "daily"],
  ] as const)("%s → %s", (_name, lastSnapshotAt, digest, reason) => {
    const previous = { ...state, lastSnapshotAt, lastSnapshotId: lastSnapshotAt ? "s1" : null, factsDigest: "d" };
    expect(resultsDigest(previous.lastReport)).toBe(resultsDigest(report));
    expect(snapshotReason(previous, report, digest, NOW)).toBe(reason);
  });
});
