/**
 * Every handler, without registering anything: what tests and the in-process demo import (the
 * files one level up register them with the Functions host).
 */
export { scheduleChecks } from "./schedule-checks.js";
export { checkTenant } from "./check-tenant.js";
export { checkTenantPoison } from "./check-tenant-poison.js";
export { deliverAlerts } from "./deliver-alerts.js";
export { deliverAlertsSweep } from "./deliver-alerts-sweep.js";
export { sendDigest } from "./send-digest.js";
export { api, estateApi } from "./api.js";
export { dashboard } from "./dashboard.js";
export { apiRequest } from "./context.js";
