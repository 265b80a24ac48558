/**
 * Every handler, without registering anything: what tests and the in-process demo import (the
 * files one level up register them with the Functions host).
 */
export { scheduleChecks } from "./schedule-checks.js";
export { checkTenant } from "./check-tenant.js";
export { checkTenantPoison } from "./check-tenant-poison.js";
export { deliverAlerts } from "./deliver-alerts.js";
export { deliverAlertsSweep, SWEEP_SCHEDULE } from "./deliver-alerts-sweep.js";
export { sendDigest } from "./send-digest.js";
export { api, API_ROUTE } from "./api.js";
export { apiRequest, invocationContext, queueInvocationContext, timerInfo } from "./context.js";
export { dequeueCountOf } from "./trigger.js";
