/** The tenants API's deps, from the app: the store, the check leases and the check-now queueing. */
import { getProfile } from "../checks/index.js";
import type { ApiDeps } from "../api/handle.js";
import type { App } from "./app.js";
import { enqueueCheck } from "./schedule.js";

export function apiDeps(app: App): ApiDeps {
  return {
    tenants: app.store.tenants,
    monitor: app.store.monitor,
    checkInFlightUntil: async (tenantId) => (await app.leases.current(tenantId, app.now()))?.leasedUntil ?? null,
    checkNow: async (tenantId) => {
      const r = await enqueueCheck(app, tenantId, "manual");
      return r.queued ? { queued: true, leasedUntil: r.leasedUntil } : { queued: false, inFlightUntil: r.inFlightUntil };
    },
    forget: (tenantId) => app.leases.clear(tenantId),
    profileExists: (name) => getProfile(name) !== undefined,
  };
}
