/**
 * record: the second half of the pipeline, for ONE monitored account of a tenant — diff its
 * inspection with its stored state (pure) → ONE transaction in the account's Monitor partition
 * holding the new state, a snapshot when due, and the outbox row of the email the run decided. The runner calls it after `inspect`; the poisoned
 * path calls it with an all-unknown inspection, so it never builds a Graph client. Every
 * collaborator is injected; nothing here reads the environment or a clock.
 *
 * Concurrency: the state is written conditioned on the ETag read (insert-if-absent on a first
 * run). When another check of the same tenant wrote first, the transaction fails as a whole, so
 * this run re-reads the state and decides again from the winner's state: whatever the winner
 * already alerted is no longer a transition, and no alert is written twice. The facts are not
 * collected again — they are as fresh as the winner's — unless the winner's are fresher: a run
 * whose report is older than the stored one (it started earlier, or at the same instant with
 * different facts) is superseded and commits nothing, so the stored state never goes back in time
 * and no `resolved` is sent from older facts over a newer drift.
 *
 * Failure: a storage error throws (StoreError), and since the run's writes are one transaction,
 * nothing of it is stored; the next run decides from the old state and writes the alert that was
 * due. Once the run is committed nothing throws: the clean-up after it (caching the account's
 * object id, removing old snapshots) is logged when it fails and done again by a later run, since
 * throwing would make the host collect and decide the whole check again.
 */
import { diff } from "../drift/diff.js";
import type { Standings } from "../drift/standing.js";
import type { TenantFacts } from "../model/facts.js";
import type { Report } from "../model/report.js";
import type { OutboxAlert, RegisteredMethod, Snapshot, TenantState, Transition } from "../model/state.js";
import { monitorPartition } from "../model/account.js";
import { errorMessage } from "../errors/text.js";
import { ConcurrencyError, invertedTicks } from "../store/index.js";
import { factsDigest, resultsDigest } from "./digest.js";
import type { Inspection } from "./inspect.js";
import { buildOutboxAlert, type AccountTarget } from "./outbox.js";
import { snapshotReason } from "./snapshot-policy.js";
import type { AccountOutcome, RecordDeps, RunnerLogger, RunnerSettings, RunnerStore } from "./types.js";

type StateRead = Awaited<ReturnType<RunnerStore["monitor"]["readState"]>>;

const consoleLogger: RunnerLogger = { warn: (message) => console.warn(message) };

const DAY = 86_400_000;

function methodsOf(facts: TenantFacts): RegisteredMethod[] | null {
  return facts.authMethods.ok ? facts.authMethods.value.map((m) => ({ id: m.id, type: m.type, label: m.label })) : null;
}

interface Decision {
  readonly state: TenantState;
  readonly transitions: Transition[];
  readonly alert: OutboxAlert | undefined;
  readonly snapshot: (Snapshot & { reason: string }) | undefined;
}

/**
 * Whether the stored state already holds a newer view than this run's report: checked later, or
 * at the same instant from different facts. The two times come from different hosts: production
 * runs stamp them on the storage service's clock (RunnerDeps.clock), so a host whose own clock is
 * off cannot make another's newer check look older. Equal time and equal facts is the same view (a
 * redelivered message): the run decides again on it and finds nothing new to alert.
 */
function isSuperseded(previous: TenantState | undefined, report: Report, digest: string): boolean {
  if (!previous) return false;
  const stored = Date.parse(previous.lastReport.checkedAt);
  const ours = Date.parse(report.checkedAt);
  if (Number.isNaN(stored) || Number.isNaN(ours)) return false;
  if (stored !== ours) return stored > ours;
  return previous.factsDigest !== digest || resultsDigest(previous.lastReport) !== resultsDigest(report);
}

function decide(
  target: AccountTarget,
  previous: TenantState | undefined,
  report: Report,
  facts: TenantFacts,
  digest: string,
  now: Date,
  settings: RunnerSettings,
  run: Pick<RecordOptions, "runId" | "period">,
  observed: TenantState["observed"],
  standings: Standings | undefined,
  signInNotices: Inspection["signInNotices"],
): Decision {
  const d = diff(previous, report, {
    now,
    ...(standings ? { standings } : {}),
    reminderHours: settings.reminderHours,
    unknownAlertAfter: settings.unknownAlertAfter,
    methods: methodsOf(facts),
    ...(run.period !== undefined ? { period: run.period } : {}),
    ...(signInNotices === "every"
      ? {
          emergencySignIns: {
            signIns: facts.signIns.ok ? facts.signIns.value : null,
            collectedAt: facts.collectedAt,
            lookbackHours: settings.signInLookbackHours,
          },
        }
      : {}),
  });
  const reason = snapshotReason(previous, report, digest, now);
  const snapshotId = invertedTicks(now);
  const key = target.account.key;
  // The first account's rows are written as they always were (no key): absent reads as "".
  const ofAccount = key === "" ? {} : { accountKey: key };
  const state: TenantState = {
    ...d.nextState,
    ...ofAccount,
    factsDigest: digest,
    ...(reason ? { lastSnapshotAt: now.toISOString(), lastSnapshotId: snapshotId } : {}),
    ...(run.runId !== undefined ? { lastRunId: run.runId } : {}),
    // What the account was observed doing: this run's, else what was kept.
    ...((observed ?? previous?.observed) ? { observed: observed ?? previous?.observed } : {}),
  };
  const takenAt = now.toISOString();
  const snapshot = reason
    ? { schemaVersion: 1 as const, id: snapshotId, tenantId: target.tenant.tenantId, ...ofAccount, takenAt, report, factsDigest: digest, facts, reason }
    : undefined;
  const alert = buildOutboxAlert(target, previous?.version ?? 0, d.transitions, report, now);
  return { state, transitions: d.transitions, alert, snapshot };
}

export interface RecordOptions {
  /** The instant the run started (the inspection's collectedAt): decisions and snapshots use it. */
  readonly now: Date;
  /** The state as already read for this run (saves a Table read); absent: read it here. */
  readonly preRead?: { readonly read: StateRead | undefined };
  /** The account's acknowledgements and exceptions, read once for the tenant's run (absent: none). */
  readonly standings?: Standings;
  /**
   * The run's id (the queue message's lease): stored with the state, so that a delivery of the
   * same message after its run was recorded records nothing (`repeated`).
   */
  readonly runId?: string;
  /** The schedule period the run belongs to (see DiffOptions.period): the unknown streak counts periods. */
  readonly period?: string | null;
}

/** Whether the stored state was written by this very run (a message delivered again). */
export function isRepeat(state: TenantState | undefined, runId: string | undefined): boolean {
  return runId !== undefined && state?.lastRunId === runId;
}

export async function record(target: AccountTarget, inspection: Inspection, deps: RecordDeps, options: RecordOptions): Promise<AccountOutcome> {
  const { store, settings } = deps;
  const { tenant, account } = target;
  const partition = monitorPartition(tenant.tenantId, account.key);
  const { facts, report } = inspection;
  const { now, preRead } = options;
  const digest = factsDigest(facts);
  const maxAttempts = deps.maxAttempts ?? 5;
  let committed: Decision | undefined;
  let supersededBy: TenantState | undefined;
  let repeated = false;
  let attempts = 0;
  const logger = deps.logger ?? consoleLogger;
  const { standings } = options;
  while (!committed && !supersededBy) {
    attempts++;
    const read = attempts === 1 && preRead ? preRead.read : await store.monitor.readState(partition);
    repeated = isRepeat(read?.state, options.runId);
    if (read && (repeated || isSuperseded(read.state, report, digest))) {
      supersededBy = read.state;
      break;
    }
    const decision = decide(target, read?.state, report, facts, digest, now, settings, options, inspection.observed, standings, inspection.signInNotices);
    try {
      await store.monitor.commitRun({
        partition,
        expectedEtag: read?.etag ?? null,
        state: decision.state,
        ...(decision.snapshot ? { snapshot: stripReason(decision.snapshot) } : {}),
        alerts: decision.alert ? [decision.alert] : [],
      });
      committed = decision;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempts >= maxAttempts) throw error;
    }
  }
  if (!committed) {
    // A newer check of the tenant is recorded (or this very run was, by an earlier delivery of
    // its message): this run changes nothing.
    return notRecorded(target, report, supersededBy, { attempts, repeated });
  }

  // Housekeeping after the run is recorded: each step is idempotent and is done again by the next
  // run, so a failure here is logged, never thrown (the run, its state and its alert are stored).
  const tidy = async <T>(what: string, step: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      const of = `tenant ${tenant.tenantId}, account ${account.ref}`;
      logger.warn(`${of}: the run is recorded, but ${what} failed (a later run does it again): ${errorMessage(error)}`);
      return fallback;
    }
  };
  if (facts.account.ok) {
    const found = facts.account.value;
    if (found && found.id.toLowerCase() !== account.objectId) {
      await tidy("caching the account's object id", () => store.tenants.cacheAccountObjectId(tenant.tenantId, account.key, found.id), undefined);
    } else if (!found && account.objectId && account.ref.toLowerCase() !== account.objectId) {
      // The account does not exist (the collector looked the UPN up too). Forget the dead id, so
      // the runs while it stays missing cost one lookup by UPN instead of batches about nobody.
      await tidy("forgetting the account's object id", () => store.tenants.cacheAccountObjectId(tenant.tenantId, account.key, null), undefined);
    }
  }
  const cutoff = new Date(now.getTime() - settings.snapshotRetentionDays * DAY);
  const removedSnapshots = await tidy("removing old snapshots", () => store.monitor.deleteSnapshotsBefore(partition, invertedTicks(cutoff)), 0);

  return {
    ...accountOf(target),
    report,
    transitions: committed.transitions,
    alert: committed.alert,
    snapshot: committed.snapshot ? { id: committed.snapshot.id, reason: committed.snapshot.reason } : undefined,
    stateVersion: committed.state.version,
    attempts,
    removedSnapshots,
    superseded: false,
    repeated: false,
  };
}

function stripReason(s: Snapshot & { reason: string }): Snapshot {
  const { reason: _reason, ...snapshot } = s;
  return snapshot;
}

/** Which account an outcome is of. */
export const accountOf = ({ account }: AccountTarget): Pick<AccountOutcome, "accountKey" | "accountRef" | "kind"> => ({
  accountKey: account.key,
  accountRef: account.ref,
  kind: account.kind,
});

/** The outcome of an account's run that wrote nothing: superseded by a newer state, or a repeat of a recorded run. */
export function notRecorded(
  target: AccountTarget,
  report: Report,
  stored: TenantState | undefined,
  how: { readonly attempts: number; readonly repeated: boolean },
): AccountOutcome {
  return {
    ...accountOf(target),
    report,
    transitions: [],
    alert: undefined,
    snapshot: undefined,
    stateVersion: stored?.version ?? 0,
    attempts: how.attempts,
    removedSnapshots: 0,
    superseded: !how.repeated,
    repeated: how.repeated,
  };
}
