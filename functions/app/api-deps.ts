/** The tenants API's deps, from the app: the store, the check leases, the dead letters and the check-now queueing. */
import { getProfile } from "../../lib/checks/index.js";
import type { ApiDeps } from "../api/handle.js";
import type { App } from "./app.js";
import { enqueueCheck } from "./schedule.js";
import type { AlertSettings } from "../../lib/config/alert-settings.js";
import { deliveryQueue } from "../../lib/alerts/queue-view.js";
import { emailLimits } from "../../lib/alerts/quota.js";

export function apiDeps(app: App, log: (message: string) => void = (m) => console.warn(m)): ApiDeps {
  // Read-only use of the outbox's delivery bookkeeping.
  const outbox = app.store.outbox;
  return {
    tenants: app.store.tenants,
    monitor: app.store.monitor,
    listDeadLettered: (options) => outbox.listDeadLettered(options),
    onUnreadable: (row) => log(`api: left out unreadable ${row.table} row ${row.tenantId}/${row.rowKey}: ${row.error}`),
    checkInFlightUntil: async (tenantId) =>
      (await app.leases.current(tenantId, await app.leaseTime(), app.appSettings.checkLeaseMinutes * 60_000))?.leasedUntil ?? null,
    checkNow: async (tenantId) => {
      const r = await enqueueCheck(app, tenantId, "manual");
      return r.queued ? { queued: true, leasedUntil: r.leasedUntil } : { queued: false, inFlightUntil: r.inFlightUntil };
    },
    forget: (tenantId) => app.leases.clear(tenantId),
    standings: { operate: { monitor: app.store.monitor, standings: app.store.standings }, exceptions: app.store.standings, now: app.now },
    profileExists: (name) => getProfile(name) !== undefined,
    deliveryQueue: () => {
      let settings: AlertSettings | undefined;
      try {
        settings = app.alertSettings();
      } catch {
        settings = undefined; // no sender configured here: the queue is listed without the quota's estimate
      }
      const budget = settings && settings.email.kind !== "eml" ? outbox.sendBudget(emailLimits("acs", settings.emailQuota)) : undefined;
      return deliveryQueue(outbox, settings, budget, app.now());
    },
  };
}
