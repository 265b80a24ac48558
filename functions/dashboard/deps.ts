/**
 * What the dashboard reads and does: the status read model's sources (the same as the tenants
 * API's), the snapshots and the outbox for history, and the API's check-now (functions/app
 * apiDeps: the same lease and queue). Built from the app by `dashboardDeps`.
 */
import type { Snapshot } from "../../lib/model/state.js";
import type { StatusSources } from "../../lib/status/read-model.js";
import type { SnapshotSummary, StandingsRepository } from "../../lib/store/index.js";
import type { OperateDeps } from "../../lib/standings/operate.js";
import type { StoredAlert } from "../../lib/store/monitor/codecs/alert.js";
import type { AccessMode } from "../../lib/dashboard/access.js";
import type { ApiDeps } from "../api/handle.js";
import type { App } from "../app/app.js";
import { apiDeps } from "../app/api-deps.js";
import { DEFAULT_DRIFT_SCHEDULE } from "../../lib/config/schedule.js";
import { nextRunAfter } from "./schedule.js";
import type { RemediationSettings } from "../../lib/config/remediation.js";
import { remediationShell, type RemediationShell } from "../app/remediation.js";

export interface DashboardDeps extends StatusSources {
  readonly monitor: StatusSources["monitor"] & {
    listSnapshots(tenantId: string, options: { limit?: number }): Promise<SnapshotSummary[]>;
    getSnapshot(tenantId: string, id: string): Promise<Snapshot | undefined>;
    listAlerts(tenantId: string): Promise<readonly Pick<StoredAlert, "alert" | "delivery" | "attempts" | "sentAt" | "lastError">[]>;
    listSnapshotSummariesSince(since: string): Promise<readonly (SnapshotSummary & { readonly tenantId: string })[]>;
  };
  readonly checkInFlightUntil: ApiDeps["checkInFlightUntil"];
  readonly checkNow: ApiDeps["checkNow"];
  /**
   * Puts one dead-lettered alert of one account (`partition`: its Monitor partition) back in line, as
   * `drift-monitor alerts requeue --tenant --id` does; false when it is not dead-lettered.
   */
  requeueDeadLetter(partition: string, alertId: string): Promise<boolean>;
  /** Acknowledgements, exceptions and their audit trail, as the page shows them. */
  readonly standings: Pick<StandingsRepository, "readAccountsStandings" | "listExceptions" | "listAudit">;
  /** How the tenant page's forms decide (the API's and the CLI's path). */
  readonly operate: OperateDeps;
  readonly now: () => Date;
  /** When the scheduler next queues every enabled tenant; null when not known. */
  nextRun(): string | null;
  readonly access: AccessMode;
  /** Fixes (fixes.ts); absent when the remediation app is not configured. */
  readonly remediation?: RemediationShell;
}

interface DashboardOptions {
  readonly access: AccessMode;
  /** DRIFT_SCHEDULE (NCRONTAB with seconds): when the next check is. */
  readonly driftSchedule?: string | undefined;
  readonly log?: (message: string) => void;
  /** The remediation app's settings: fixes are offered only with them. */
  readonly remediation?: RemediationSettings | undefined;
}

export function dashboardDeps(app: App, options: DashboardOptions): DashboardDeps {
  const log = options.log ?? ((m: string) => console.warn(m));
  const api = apiDeps(app, (m) => log(m.replace(/^api:/, "dashboard:")));
  const schedule = options.driftSchedule?.trim() || DEFAULT_DRIFT_SCHEDULE;
  return {
    tenants: api.tenants,
    monitor: app.store.monitor,
    listDeadLettered: api.listDeadLettered,
    onUnreadable: api.onUnreadable,
    checkInFlightUntil: api.checkInFlightUntil,
    checkNow: api.checkNow,
    requeueDeadLetter: async (tenantId, alertId) => {
      const row = (await app.store.outbox.listDeadLettered({ tenantId })).find((r) => r.alert.id === alertId);
      if (row) await app.store.outbox.requeue(row);
      return row !== undefined;
    },
    standings: app.store.standings,
    operate: { monitor: app.store.monitor, standings: app.store.standings },
    now: app.now,
    nextRun: () => nextRunAfter(schedule, app.now()),
    access: options.access,
    ...(options.remediation ? { remediation: remediationShell(app, options.remediation) } : {}),
  };
}
