/**
 * recordLate: what a late run stores (see lib/drift/late.ts) — no verdict, only that the tenant's
 * check is late and why, and the "not checked since" alert once it has been late too long. Like
 * `record`, one transaction (state + outbox row) under the state's ETag, retried on a race.
 */
import type { TenantFacts } from "../model/facts.js";
import type { RegisteredTenant } from "../model/tenant.js";
import { late } from "../drift/late.js";
import { ConcurrencyError } from "../store/index.js";
import { buildOutboxAlert } from "./outbox.js";
import { isRepeat, notRecorded, type RecordOptions } from "./record.js";
import type { RecordDeps, RunOutcome } from "./types.js";

/** Why the run is late, or undefined when it is not: a fact Graph kept throttling through every retry. */
export function lateReason(facts: TenantFacts): string | undefined {
  for (const value of Object.values(facts)) {
    if (typeof value === "object" && value !== null && "ok" in value && value.ok === false && value.code === "throttled") return value.reason;
  }
  return undefined;
}

/** `roundTrips`: the Graph requests the late run made before it gave up (0 when no budget was had at all). */
export async function recordLate(tenant: RegisteredTenant, reason: string, roundTrips: number, deps: RecordDeps, options: RecordOptions): Promise<RunOutcome> {
  const { store } = deps;
  const maxAttempts = deps.maxAttempts ?? 5;
  for (let attempts = 1; ; attempts++) {
    const read = attempts === 1 && options.preRead ? options.preRead.read : await store.monitor.readState(tenant.tenantId);
    // Never checked yet: there is no verdict to keep; the tenant shows as not checked until one lands.
    if (!read) {
      // Nothing stored, yet neither superseded nor a repeat: a late first check.
      return { ...notRecorded(tenant, lateReport(tenant, options.now), undefined, { attempts, roundTrips, repeated: false }), superseded: false, late: reason };
    }
    if (isRepeat(read.state, options.runId)) return notRecorded(tenant, read.state.lastReport, read.state, { attempts, roundTrips, repeated: true });
    const { nextState, transitions } = late(read.state, {
      now: options.now,
      reason,
      ...(deps.settings.notCheckedAfterMs !== undefined ? { notCheckedAfterMs: deps.settings.notCheckedAfterMs } : {}),
    });
    const state = { ...nextState, ...(options.runId !== undefined ? { lastRunId: options.runId } : {}) };
    const alert = buildOutboxAlert(tenant, read.state.version, transitions, read.state.lastReport, options.now);
    try {
      await store.monitor.commitRun({ tenantId: tenant.tenantId, expectedEtag: read.etag, state, alerts: alert ? [alert] : [] });
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempts >= maxAttempts) throw error;
      continue;
    }
    return {
      tenantId: tenant.tenantId,
      report: read.state.lastReport,
      transitions,
      alert,
      snapshot: undefined,
      stateVersion: state.version,
      attempts,
      roundTrips,
      removedSnapshots: 0,
      superseded: false,
      repeated: false,
      late: reason,
    };
  }
}

/** The report a first-ever late run returns to its caller (never stored): every check unknown, saying why. */
function lateReport(tenant: RegisteredTenant, now: Date): RunOutcome["report"] {
  return {
    schemaVersion: 1,
    tenantId: tenant.tenantId,
    checkedAt: now.toISOString(),
    profile: tenant.profile,
    account: { id: tenant.accountObjectId, userPrincipalName: tenant.account.includes("@") ? tenant.account : null },
    status: "unknown",
    warnings: 0,
    checks: [],
  };
}
