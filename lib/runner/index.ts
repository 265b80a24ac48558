export { runTenantCheck, UnknownProfileError, type RunOptions } from "./run-tenant-check.js";
export { inspect, type Inspection, type InspectTarget, type InspectDeps } from "./inspect.js";
export { record, type RecordOptions } from "./record.js";
export type { RecordDeps, RunnerDeps, RunnerLogger, RunnerSettings, RunnerStore, RunOutcome } from "./types.js";
export { latestState, snapshotHistory, diffOfSnapshots, latestChange } from "./history.js";
export { factsDigest, resultsDigest } from "./digest.js";
export { outboxId, buildOutboxAlert } from "./outbox.js";
export { snapshotReason } from "./snapshot-policy.js";
export { defaultInspectDeps, defaultRunnerDeps, runnerSettings } from "./wiring.js";
