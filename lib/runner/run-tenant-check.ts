/**
 * One check of one tenant, as the queue trigger, the CLI and the demo run it: ONE collection of
 * every monitored account's facts (lib/graph/collect-accounts.ts), then for each account: its
 * profile's rules and What If (`judge`), and `record` — ONE transaction in the account's Monitor
 * partition holding its new state, a snapshot when due, and the outbox row of the email its run
 * decided. Every collaborator is injected; nothing here reads the environment or a clock.
 *
 * Accounts stand apart: an account whose profile does not exist is recorded unknown (saying so)
 * while the others are judged; an account whose recording fails does not stop the others, and the
 * failure is thrown once they are done, so the host runs the message again. A message delivered
 * again (same run id) skips each account that already recorded it, before Graph: after a crash
 * between two accounts' records, the redelivery collects and records only the missing ones.
 * Concurrency and failure of one account's record: see record.ts, which owns the transaction.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { monitorPartition } from "../model/account.js";
import type { Profile } from "../model/profile.js";
import type { MonitoredAccount, RegisteredTenant } from "../model/tenant.js";
import type { AccountsCollectResult, CollectAccount } from "../graph/collect-accounts.js";
import type { CollectOptions } from "../graph/collect.js";
import type { PreviousRun } from "../graph/facts/due.js";
import { judge } from "./inspect.js";
import { isRepeat, notRecorded, record, type RecordOptions } from "./record.js";
import { lateReason, recordLate } from "./record-late.js";
import { isBudgetTimeout } from "../graph/app-budget.js";
import { errorMessage } from "../errors/text.js";
import { previousRun } from "./previous.js";
import type { AccountTarget } from "./outbox.js";
import { tenantOutcome } from "./run-outcome.js";
import { unknownInspection } from "./unknown.js";
import { standingsOf } from "./standings.js";
import { readPeriods, type AccountOutcome, type RunnerDeps, type RunnerStore, type RunOutcome } from "./types.js";

/** A run's time: the storage service's when the deps have its clock (RunnerDeps.clock), else `now`. */
export async function runTime(deps: Pick<RunnerDeps, "now" | "clock">): Promise<Date> {
  return deps.clock ? await deps.clock.now() : deps.now();
}

/** What identifies a run beyond its tenant: its message (for repeats) and its schedule period (for the unknown streak). */
export type RunOptions = Pick<RecordOptions, "runId" | "period">;

type StateRead = Awaited<ReturnType<RunnerStore["monitor"]["readState"]>>;

/** One account's part of the run, before the collection. */
interface AccountPlan {
  readonly target: AccountTarget;
  readonly profile: Profile | undefined;
  /** The state as read before Graph (absent: not read first, see below). */
  readonly early: { readonly read: StateRead } | undefined;
  /** What the collector and What If decide the facts read only when due from (absent when the state was not read first). */
  readonly previous: PreviousRun | null | undefined;
}

/**
 * The facts read only when due decide from what the account's last run stored, so its state is
 * read first (production always does: REGISTRATION_REPORT_HOURS has a default); that read then
 * serves the record's first decision, so it costs no extra Table operation. A run with an id reads
 * it first too: a repeat of a recorded run stops before Graph. The registration report's last value
 * is in the latest snapshot (one Table read), worth reading only when it could be carried.
 */
async function planAccount(tenant: RegisteredTenant, account: MonitoredAccount, deps: RunnerDeps, readFirst: boolean): Promise<AccountPlan> {
  const { store, settings } = deps;
  const target = { tenant, account };
  const profile = deps.getProfile(account.profile);
  if (!readFirst) return { target, profile, early: undefined, previous: undefined };
  const partition = monitorPartition(tenant.tenantId, account.key);
  const read = await store.monitor.readState(partition);
  const state = read?.state;
  const { getSnapshot } = store.monitor;
  const carry = state?.lastSnapshotId && state.methods !== null && settings.registrationReportHours !== undefined && getSnapshot;
  const snapshot = carry ? await getSnapshot.call(store.monitor, partition, state.lastSnapshotId ?? "") : undefined;
  return { target, profile, early: { read }, previous: previousRun(state, snapshot) };
}

function collectAccountOf(plan: AccountPlan): CollectAccount {
  const { account } = plan.target;
  return {
    key: account.key,
    ref: account.ref,
    kind: account.kind,
    everySignIn: plan.profile?.signInNotices === "every",
    ...(account.objectId ? { objectId: account.objectId } : {}),
    ...(plan.previous === undefined ? {} : { previous: plan.previous }),
  };
}

interface Collection {
  readonly client: Client;
  readonly options: Omit<CollectOptions, "previous">;
  /** The accounts' facts, or why there are none: no Graph budget within the pacer's wait (late, not failed). */
  readonly result: AccountsCollectResult | { readonly late: string };
}

async function collect(tenant: RegisteredTenant, plans: readonly AccountPlan[], deps: RunnerDeps, now: Date): Promise<Collection | undefined> {
  if (plans.length === 0) return undefined;
  const { settings } = deps;
  const client = deps.graphClient(tenant);
  const options = {
    ...deps.collectOptions,
    now,
    signInLookbackHours: settings.signInLookbackHours,
    graphEndpoint: settings.graphEndpoint,
    periods: readPeriods(settings),
  };
  try {
    return { client, options, result: await deps.collectAccounts(client, { tenantId: tenant.tenantId, accounts: plans.map(collectAccountOf) }, options) };
  } catch (error) {
    // No Graph budget within the wait the pacer allows (lib/graph/app-budget.ts): late, not a failed check.
    if (isBudgetTimeout(error)) return { client, options, result: { late: errorMessage(error) } };
    throw error;
  }
}

/** One account's judgement and record; `spent` counts What If's requests. */
async function runAccount(plan: AccountPlan, collection: Collection | undefined, deps: RunnerDeps, options: RecordOptions, spent: { n: number }) {
  const { target, profile } = plan;
  const lookback = deps.settings.signInLookbackHours;
  if (!profile) {
    const reason = `the account uses profile "${target.account.profile}", which does not exist: register it with an existing profile`;
    return record(target, unknownInspection(target, reason, options.now, lookback), deps, options);
  }
  if (!collection) throw new Error("an account with a profile is collected");
  if ("late" in collection.result) return recordLate(target, collection.result.late, deps, options);
  const facts = collection.result.byAccount.get(target.account.key);
  if (!facts) return record(target, unknownInspection(target, "the collection returned no facts for the account", options.now, lookback), deps, options);
  const inspection = await judge(
    { tenantId: target.tenant.tenantId, profile },
    { facts, roundTrips: 0 },
    {
      client: collection.client,
      evaluate: deps.evaluate,
      // A run that did not read the state first (a wiring without REGISTRATION_REPORT_HOURS) reads
      // every fact as a first run would, and does not ask What If, which it could not tell is due.
      whatIf: plan.early !== undefined,
      options: { ...collection.options, ...(plan.previous === undefined ? {} : { previous: plan.previous }) },
    },
  );
  spent.n += inspection.roundTrips;
  // Throttled through every retry: late, not unknown — carried to the next run (lib/drift/late.ts).
  const late = lateReason(inspection.facts);
  return late !== undefined ? recordLate(target, late, deps, options) : record(target, inspection, deps, options);
}

export async function runTenantCheck(tenant: RegisteredTenant, deps: RunnerDeps, run: RunOptions = {}): Promise<RunOutcome> {
  const now = await runTime(deps);
  const readFirst = (deps.settings.registrationReportHours !== undefined && deps.store.monitor.getSnapshot !== undefined) || run.runId !== undefined;
  const outcomes = new Map<string, AccountOutcome>();
  const errors: unknown[] = [];
  const plans: AccountPlan[] = [];
  // The accounts' states are read together; an unreadable one does not stop the others (its error is thrown after them).
  for (const planned of await Promise.allSettled(tenant.accounts.map((a) => planAccount(tenant, a, deps, readFirst)))) {
    if (planned.status === "rejected") {
      errors.push(planned.reason);
      continue;
    }
    const plan = planned.value;
    const stored = plan.early?.read?.state;
    if (stored && isRepeat(stored, run.runId)) {
      outcomes.set(plan.target.account.key, notRecorded(plan.target, stored.lastReport, stored, { attempts: 0, repeated: true }));
    } else plans.push(plan);
  }
  const collection = await collect(
    tenant,
    plans.filter((p) => p.profile !== undefined),
    deps,
    now,
  );
  const standings = await standingsOf(
    tenant.tenantId,
    plans.map((p) => p.target.account.key),
    deps,
  );
  const spent = { n: 0 };
  for (const plan of plans) {
    const own = standings?.get(plan.target.account.key);
    const options = { now, ...run, ...(plan.early ? { preRead: plan.early } : {}), ...(own ? { standings: own } : {}) };
    try {
      outcomes.set(plan.target.account.key, await runAccount(plan, collection, deps, options, spent));
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
  const accounts = tenant.accounts.map((a) => outcomes.get(a.key)).filter((o): o is AccountOutcome => o !== undefined);
  const collected = collection && !("late" in collection.result) ? collection.result.roundTrips : 0;
  return tenantOutcome(tenant.tenantId, accounts, collected + spent.n);
}
