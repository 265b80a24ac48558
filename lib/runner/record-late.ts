/**
 * recordLate: what a late run stores for one account (see lib/drift/late.ts) — no verdict, only
 * that the account's check is late and why, and the "not checked since" alert once it has been late too long. Like
 * `record`, one transaction (state + outbox row) under the state's ETag, retried on a race.
 */
import type { TenantFacts } from "../model/facts.js";
import { monitorPartition } from "../model/account.js";
import { late } from "../drift/late.js";
import { ConcurrencyError } from "../store/index.js";
import { buildOutboxAlert, type AccountTarget } from "./outbox.js";
import { accountOf, isRepeat, notRecorded, type RecordOptions } from "./record.js";
import type { AccountOutcome, RecordDeps } from "./types.js";
import { unknownReport } from "./unknown.js";

/** Why the run is late, or undefined when it is not: a fact Graph kept throttling through every retry. */
export function lateReason(facts: TenantFacts): string | undefined {
  for (const value of Object.values(facts)) {
    if (typeof value === "object" && value !== null && "ok" in value && value.ok === false && value.code === "throttled") return value.reason;
  }
  return undefined;
}

export async function recordLate(target: AccountTarget, reason: string, deps: RecordDeps, options: RecordOptions): Promise<AccountOutcome> {
  const { store } = deps;
  const partition = monitorPartition(target.tenant.tenantId, target.account.key);
  const maxAttempts = deps.maxAttempts ?? 5;
  for (let attempts = 1; ; attempts++) {
    const read = attempts === 1 && options.preRead ? options.preRead.read : await store.monitor.readState(partition);
    // Never checked yet: there is no verdict to keep; the tenant shows as not checked until one lands.
    if (!read) {
      // Nothing stored, yet neither superseded nor a repeat: a late first check (its report, never stored, judged nothing).
      return { ...notRecorded(target, unknownReport(target, options.now, []), undefined, { attempts, repeated: false }), superseded: false, late: reason };
    }
    if (isRepeat(read.state, options.runId)) return notRecorded(target, read.state.lastReport, read.state, { attempts, repeated: true });
    const { nextState, transitions } = late(read.state, {
      now: options.now,
      reason,
      ...(deps.settings.notCheckedAfterMs !== undefined ? { notCheckedAfterMs: deps.settings.notCheckedAfterMs } : {}),
    });
    const state = { ...nextState, ...(options.runId !== undefined ? { lastRunId: options.runId } : {}) };
    const alert = buildOutboxAlert(target, read.state.version, transitions, read.state.lastReport, options.now);
    try {
      await store.monitor.commitRun({ partition, expectedEtag: read.etag, state, alerts: alert ? [alert] : [] });
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempts >= maxAttempts) throw error;
      continue;
    }
    return {
      ...accountOf(target),
      report: read.state.lastReport,
      transitions,
      alert,
      snapshot: undefined,
      stateVersion: state.version,
      attempts,
      removedSnapshots: 0,
      superseded: false,
      repeated: false,
      late: reason,
    };
  }
}
