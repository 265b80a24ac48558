/**
 * The `state` row: the tenant's TenantState as a split JSON value, plus plain columns (Version,
 * Status, CheckedAt, OpenFindings) so the row is legible in Storage Explorer without decoding.
 */
import type { TableEntity } from "@azure/data-tables";
import type { TenantState } from "../../../model/state.js";
import { storedState } from "../../../model/stored.js";
import { partitionLabel, STATE_ROW } from "../keys.js";
import type { Row } from "../table.js";
import { decodeValidated, encodeValue, type EncodedValue } from "./value.js";

export function encodeStateRow(partition: string, state: TenantState): TableEntity<EncodedValue> {
  return {
    partitionKey: partition,
    rowKey: STATE_ROW,
    ...encodeValue(state, `state of ${partitionLabel(partition)}`),
    Version: state.version,
    Status: state.lastReport.status,
    CheckedAt: state.lastReport.checkedAt,
    OpenFindings: state.findings.filter((f) => f.status === "open").length,
  };
}

/** Throws (with what is wrong) when the row does not parse. */
export function decodeStateRow(row: Record<string, unknown>, partition: string): TenantState {
  return decodeValidated(row, storedState, `state of ${partitionLabel(partition)}`);
}

/** The properties of a row read back, without the keys and the service's own metadata: what a quarantine copies. */
export function rawProperties(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === "partitionKey" || k === "rowKey" || k === "etag" || k === "timestamp" || k.startsWith("odata.")) continue;
    out[k] = v;
  }
  return out;
}
