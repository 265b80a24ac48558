export {
  runTenantCheck,
  UnknownProfileError,
  type RunnerDeps,
  type RunnerLogger,
  type RunnerSettings,
  type RunnerStore,
  type RunOutcome,
} from "./run-tenant-check.js";
export { latestState, snapshotHistory, diffOfSnapshots, latestChange } from "./history.js";
export { factsDigest, resultsDigest } from "./digest.js";
export { outboxId, buildOutboxAlert } from "./outbox.js";
export { snapshotReason } from "./snapshot-policy.js";
export { defaultRunnerDeps, runnerSettings } from "./wiring.js";
