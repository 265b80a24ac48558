/**
 * One check of one tenant, as the queue trigger, the CLI and the demo run it: `inspect` (collect
 * from Graph → evaluate, pure) then `record` (diff with the stored state, pure → ONE transaction in
 * the tenant's partition holding the new state, a snapshot when due, and the outbox row of the
 * email the run decided). Every collaborator is injected; nothing here reads the environment or a
 * clock. Concurrency and failure: see record.ts, which owns the transaction.
 */
import type { RegisteredTenant } from "../model/tenant.js";
import { inspect, type Inspection } from "./inspect.js";
import { isRepeat, notRecorded, record, type RecordOptions } from "./record.js";
import { lateReason, recordLate } from "./record-late.js";
import { isBudgetTimeout } from "../graph/app-budget.js";
import { errorMessage } from "../errors/text.js";
import { previousRun } from "./previous.js";
import { readPeriods, type RunnerDeps, type RunOutcome } from "./types.js";

class UnknownProfileError extends Error {
  constructor(
    readonly tenantId: string,
    readonly profile: string,
  ) {
    super(`tenant ${tenantId} uses profile "${profile}", which does not exist: register it with an existing profile`);
    this.name = "UnknownProfileError";
  }
}

/** A run's time: the storage service's when the deps have its clock (RunnerDeps.clock), else `now`. */
export async function runTime(deps: Pick<RunnerDeps, "now" | "clock">): Promise<Date> {
  return deps.clock ? await deps.clock.now() : deps.now();
}

/** What identifies a run beyond its tenant: its message (for repeats) and its schedule period (for the unknown streak). */
export type RunOptions = Pick<RecordOptions, "runId" | "period">;

export async function runTenantCheck(tenant: RegisteredTenant, deps: RunnerDeps, run: RunOptions = {}): Promise<RunOutcome> {
  const { store, settings } = deps;
  const profile = deps.getProfile(tenant.profile);
  if (!profile) throw new UnknownProfileError(tenant.tenantId, tenant.profile);

  const now = await runTime(deps);
  // The facts read only when due decide from what the last run stored, so the state is read first
  // (production always does: REGISTRATION_REPORT_HOURS has a default); that read then serves the
  // first decision below, so it costs no extra Table operation. A run with an id reads it first
  // too: a repeat of a recorded run stops before Graph.
  const { getSnapshot } = store.monitor;
  const hours = settings.registrationReportHours;
  const early = (hours !== undefined && getSnapshot) || run.runId !== undefined ? { read: await store.monitor.readState(tenant.tenantId) } : undefined;
  if (early?.read && isRepeat(early.read.state, run.runId)) {
    return notRecorded(tenant, early.read.state.lastReport, early.read.state, { attempts: 0, roundTrips: 0, repeated: true });
  }
  const state = early?.read?.state;
  // The registration report's last value is in the latest snapshot (one Table read), worth reading only when it could be carried.
  const snapshot =
    state?.lastSnapshotId && state.methods !== null && hours !== undefined && getSnapshot
      ? await getSnapshot.call(store.monitor, tenant.tenantId, state.lastSnapshotId)
      : undefined;
  const options = { now, ...run, ...(early ? { preRead: early } : {}) };
  let inspection: Inspection;
  try {
    inspection = await inspect(
      { tenantId: tenant.tenantId, accountRef: tenant.account, ...(tenant.accountObjectId ? { accountObjectId: tenant.accountObjectId } : {}), profile },
      {
        client: deps.graphClient(tenant),
        collect: deps.collect,
        evaluate: deps.evaluate,
        // A run that did not read the state first (a wiring without REGISTRATION_REPORT_HOURS) reads
        // every fact as a first run would, and does not ask What If, which it could not tell is due.
        whatIf: early !== undefined,
        options: {
          ...deps.collectOptions,
          now,
          signInLookbackHours: settings.signInLookbackHours,
          graphEndpoint: settings.graphEndpoint,
          ...(early ? { previous: previousRun(state, snapshot) } : {}),
          periods: readPeriods(settings),
        },
      },
    );
  } catch (error) {
    // No Graph budget within the wait the pacer allows (lib/graph/app-budget.ts): late, not a failed check.
    if (isBudgetTimeout(error)) return recordLate(tenant, errorMessage(error), 0, deps, options);
    throw error;
  }
  // Throttled through every retry: late, not unknown — carried to the next run (lib/drift/late.ts).
  const late = lateReason(inspection.facts);
  if (late !== undefined) return recordLate(tenant, late, inspection.roundTrips, deps, options);
  return record(tenant, inspection, deps, options);
}
