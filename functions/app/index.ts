export { createApp, getApp, setApp, type App, type AppOptions, type AppQueues } from "./app.js";
export { CheckLeases, LEASE_ROW, type Lease, type AcquireResult } from "../../lib/store/index.js";
export { enqueueScheduledChecks, enqueueCheck, SCHEDULE_CONCURRENCY, type ScheduleSummary, type EnqueueResult } from "./schedule.js";
export { processCheckMessage, processPoisonedMessage, recordPoisoned, type CheckAttempt, type CheckMessageResult } from "./check.js";
export { poisonedReason, poisonedReport, poisonedFacts, poisonedInspection } from "./poisoned.js";
export { apiDeps } from "./api-deps.js";
