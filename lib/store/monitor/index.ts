/** The Monitor table's module: one table (table.ts), one codec per row kind (codecs/), a repository per concern. */
export { openMonitorTable, DEFAULT_MONITOR_TABLE, MAX_TRANSACTION_BYTES, MAX_TRANSACTION_OPERATIONS } from "./table.js";
export { MonitorRepository } from "./repository.js";
export { CorruptStateError, type StoredState } from "./state.js";
export type { RunWrite } from "./runs.js";
export { OutboxDeliveryRepository, type ListOptions } from "./outbox.js";
export { DeliveryMarkers, type DigestClaim } from "./markers.js";
export { BudgetLedger } from "./budget.js";
export { CheckLeases, type AcquireResult, type ClaimResult } from "./leases.js";
export type { Lease } from "./codecs/lease.js";
export { DELIVERY_STATES, MAX_ERROR_CHARS, type AlertDelivery, type DeliveryRow, type DeliveryState, type StoredAlert } from "./codecs/alert.js";
export type { SnapshotSummary } from "./codecs/snapshot.js";
export { ValueTooLargeError, encodeValue, decodeValue, PART_BYTES, MAX_PARTS } from "./codecs/value.js";
export {
  CORRUPT_STATE_PREFIX,
  DELIVERY_PARTITION,
  DIGEST_PARTITION,
  BUDGET_PARTITION,
  GRAPH_REPORTS_BUDGET_ROW,
  LEASE_ROW,
  invertedTicks,
  timeOfInvertedTicks,
} from "./keys.js";
