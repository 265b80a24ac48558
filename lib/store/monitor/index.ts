/** The Monitor table's module: one table (table.ts), one codec per row kind (codecs/), a repository per concern. */
export { openMonitorTable, DEFAULT_MONITOR_TABLE } from "./table.js";
export { MonitorRepository } from "./repository.js";
export { CorruptStateError } from "./state.js";
export { OutboxDeliveryRepository } from "./outbox.js";
export { type DigestClaim } from "./markers.js";
export { BudgetLedger } from "./budget.js";
export { CheckLeases } from "./leases.js";
export { StorageClock, type StorageTime } from "./storage-clock.js";
export { type DeliveryRow } from "./codecs/alert.js";
export type { SnapshotSummary } from "./codecs/snapshot.js";
export { ValueTooLargeError, PART_BYTES } from "./codecs/value.js";
export { CORRUPT_STATE_PREFIX, invertedTicks, timeOfInvertedTicks } from "./keys.js";
export { RollupRepository, MAX_ROLLUP_MEMBERS, partOf, type RollupRef, type RollupRow } from "./rollups.js";
export { type SendBudget, type SendLimit } from "./send-budget.js";
export { ESTATE_EXCEPTIONS_TTL_MS, StandingsRepository, StandingConflictError, type StandingsCacheOptions } from "./standings.js";
