export { runTenantCheck, runTime, type RunOptions } from "./run-tenant-check.js";
export { record } from "./record.js";
export type { AccountOutcome, RecordDeps, RunnerDeps, RunnerStore, RunOutcome } from "./types.js";
export { unknownInspection } from "./unknown.js";
export { tenantOutcome } from "./run-outcome.js";
export type { AccountTarget } from "./outbox.js";
export { latestState, snapshotHistory, diffOfSnapshots, latestChange } from "./history.js";
export { defaultRunnerDeps } from "./wiring.js";
