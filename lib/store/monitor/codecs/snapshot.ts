/**
 * `snapshot|{inverted ticks}` rows: the whole Snapshot as a split JSON value, plus TakenAt, Status
 * and FactsDigest as plain columns so a history listing reads only those (no Data parts).
 */
import type { TableEntity } from "@azure/data-tables";
import type { Snapshot } from "../../../model/state.js";
import { storedSnapshot } from "../../../model/stored.js";
import { partitionLabel, SNAPSHOT_PREFIX, snapshotRowKey } from "../keys.js";
import { decodeValidated, encodeValue, type EncodedValue } from "./value.js";

export interface SnapshotSummary {
  readonly id: string;
  readonly takenAt: string;
  readonly status: string;
  readonly factsDigest: string;
}

/** The columns a summary needs: a listing selects only these. */
export const SUMMARY_COLUMNS = ["RowKey", "TakenAt", "Status", "FactsDigest"];

export function encodeSnapshotRow(partition: string, snapshot: Snapshot): TableEntity<EncodedValue> {
  return {
    partitionKey: partition,
    rowKey: snapshotRowKey(snapshot.id),
    ...encodeValue(snapshot, `snapshot of ${partitionLabel(partition)}`),
    TakenAt: snapshot.takenAt,
    Status: snapshot.report.status,
    FactsDigest: snapshot.factsDigest,
  };
}

/** Throws (with what is wrong) when the row does not parse; `what` names it in the message. */
export function decodeSnapshotRow(row: Record<string, unknown>, what: string): Snapshot {
  return decodeValidated(row, storedSnapshot, what);
}

export function decodeSnapshotSummary(row: Record<string, unknown>): SnapshotSummary {
  return {
    id: String(row.rowKey).slice(SNAPSHOT_PREFIX.length),
    takenAt: String(row.TakenAt),
    status: String(row.Status),
    factsDigest: String(row.FactsDigest),
  };
}
