/** When a run keeps a snapshot: first run, results or facts changed, or the last is a day old. */
import type { TenantState } from "../model/state.js";
import type { Report } from "../model/report.js";
import { ageMs } from "../retry/horizon.js";
import { resultsDigest } from "./digest.js";

const SNAPSHOT_AT_LEAST_EVERY_MS = 24 * 3_600_000;

export function snapshotReason(previous: TenantState | undefined, report: Report, digest: string, now: Date): string | undefined {
  if (!previous || previous.lastSnapshotAt === null) return "first";
  if (previous.factsDigest !== digest) return "facts-changed";
  if (resultsDigest(previous.lastReport) !== resultsDigest(report)) return "results-changed";
  if (ageMs(now.getTime(), Date.parse(previous.lastSnapshotAt)) >= SNAPSHOT_AT_LEAST_EVERY_MS) return "daily";
  return undefined;
}
