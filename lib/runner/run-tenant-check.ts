/**
 * One check of one tenant, as the queue trigger, the CLI and the demo run it:
 * collect (Graph) → evaluate (pure) → diff with the stored state (pure) → ONE transaction in the
 * tenant's partition holding the new state, a snapshot when due, and the outbox row of the email
 * the run decided. Every collaborator is injected; nothing here reads the environment or a clock.
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
import type { Client } from "@microsoft/microsoft-graph-client";
import { diff } from "../drift/diff.js";
import type { CollectOptions, CollectResult, CollectTarget } from "../graph/collect.js";
import type { TenantFacts } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { Report } from "../model/report.js";
import type { OutboxAlert, RegisteredMethod, Snapshot, TenantState, Transition } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
import { ConcurrencyError, invertedTicks, type MonitorRepository, type TenantsRepository } from "../store/index.js";
import { factsDigest, resultsDigest } from "./digest.js";
import { planRegistrationReport } from "./registration-report-policy.js";
import { buildOutboxAlert } from "./outbox.js";
import { snapshotReason } from "./snapshot-policy.js";
import { errorMessage } from "../errors/text.js";

export interface RunnerSettings {
  readonly reminderHours: number;
  readonly unknownAlertAfter: number;
  readonly snapshotRetentionDays: number;
  readonly signInLookbackHours: number;
  /** GRAPH_ENDPOINT, so the collector refuses next links to other hosts. */
  readonly graphEndpoint?: string;
  /**
   * REGISTRATION_REPORT_HOURS: read the registration report at least this often, otherwise only
   * when the methods changed (registration-report-policy.ts). Absent: read it on every run.
   */
  readonly registrationReportHours?: number;
}

/** The parts of the store a run uses (an interface, so tests can interpose on them). */
export interface RunnerStore {
  readonly tenants: Pick<TenantsRepository, "cacheAccountObjectId">;
  readonly monitor: Pick<MonitorRepository, "readState" | "commitRun" | "deleteSnapshotsBefore"> & Partial<Pick<MonitorRepository, "getSnapshot">>;
}

export interface RunnerDeps {
  readonly store: RunnerStore;
  /** A Graph client for the tenant (token cache and credential are the factory's business). */
  readonly graphClient: (tenant: RegisteredTenant) => Client;
  readonly collect: (client: Client, target: CollectTarget, options: CollectOptions) => Promise<CollectResult>;
  readonly evaluate: (facts: TenantFacts, profile: Profile) => Report;
  readonly getProfile: (name: string) => Profile | undefined;
  readonly now: () => Date;
  readonly settings: RunnerSettings;
  /** Extra collector options (sleep, random, backoff), e.g. to keep tests fast. */
  readonly collectOptions?: Partial<Pick<CollectOptions, "sleep" | "random" | "backoff" | "pacer">>;
  /** Decisions to make before giving up on a tenant that keeps being written concurrently. */
  readonly maxAttempts?: number;
  /** Where clean-up failures after the commit go (default: console.warn). */
  readonly logger?: RunnerLogger;
}

export interface RunnerLogger {
  warn(message: string): void;
}

const consoleLogger: RunnerLogger = { warn: (message) => console.warn(message) };

export interface RunOutcome {
  readonly tenantId: string;
  readonly report: Report;
  /** The transitions this run wrote (empty when another run had already alerted them). */
  readonly transitions: readonly Transition[];
  /** The outbox row written, if any: enqueue its id for delivery. */
  readonly alert: OutboxAlert | undefined;
  readonly snapshot: { readonly id: string; readonly reason: string } | undefined;
  readonly stateVersion: number;
  /** How many decisions it took (1 unless another check of the tenant wrote first). */
  readonly attempts: number;
  readonly roundTrips: number;
  readonly removedSnapshots: number;
  /**
   * The stored state was already newer than this run's report (another check of the tenant that
   * started later committed first): nothing was written, no transition, no alert.
   */
  readonly superseded: boolean;
}

export class UnknownProfileError extends Error {
  constructor(readonly tenantId: string, readonly profile: string) {
    super(`tenant ${tenantId} uses profile "${profile}", which does not exist: register it with an existing profile`);
    this.name = "UnknownProfileError";
  }
}

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
 * at the same instant from different facts. Equal time and equal facts is the same view (a
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

function decide(tenant: RegisteredTenant, previous: TenantState | undefined, report: Report, facts: TenantFacts, digest: string, now: Date, settings: RunnerSettings): Decision {
  const d = diff(previous, report, {
    now,
    reminderHours: settings.reminderHours,
    unknownAlertAfter: settings.unknownAlertAfter,
    methods: methodsOf(facts),
  });
  const reason = snapshotReason(previous, report, digest, now);
  const snapshotId = invertedTicks(now);
  const state: TenantState = {
    ...d.nextState,
    factsDigest: digest,
    ...(reason ? { lastSnapshotAt: now.toISOString(), lastSnapshotId: snapshotId } : {}),
  };
  const snapshot = reason
    ? { schemaVersion: 1 as const, id: snapshotId, tenantId: tenant.tenantId, takenAt: now.toISOString(), report, factsDigest: digest, facts, reason }
    : undefined;
  const alert = buildOutboxAlert(tenant, previous?.version ?? 0, d.transitions, report, now);
  return { state, transitions: d.transitions, alert, snapshot };
}

export async function runTenantCheck(tenant: RegisteredTenant, deps: RunnerDeps): Promise<RunOutcome> {
  const { store, settings } = deps;
  const profile = deps.getProfile(tenant.profile);
  if (!profile) throw new UnknownProfileError(tenant.tenantId, tenant.profile);

  const now = deps.now();
  // Deciding whether to read the registration report needs the state first; that read then
  // serves the first decision below, so it costs no extra Table operation.
  const { getSnapshot } = store.monitor;
  const hours = settings.registrationReportHours;
  const early = hours !== undefined && getSnapshot ? { read: await store.monitor.readState(tenant.tenantId) } : undefined;
  const registrationReport =
    early && hours !== undefined && getSnapshot
      ? await planRegistrationReport({ tenantId: tenant.tenantId, previous: early.read?.state, now, hours, snapshot: (id) => getSnapshot.call(store.monitor, tenant.tenantId, id) })
      : undefined;
  const client = deps.graphClient(tenant);
  const { facts, roundTrips } = await deps.collect(
    client,
    { tenantId: tenant.tenantId, accountRef: tenant.account, ...(tenant.accountObjectId ? { accountObjectId: tenant.accountObjectId } : {}) },
    {
      ...deps.collectOptions,
      now,
      signInLookbackHours: settings.signInLookbackHours,
      graphEndpoint: settings.graphEndpoint,
      ...(registrationReport ? { registrationReport } : {}),
    },
  );
  const report = deps.evaluate(facts, profile);
  const digest = factsDigest(facts);

  const maxAttempts = deps.maxAttempts ?? 5;
  let committed: Decision | undefined;
  let supersededBy: TenantState | undefined;
  let attempts = 0;
  while (!committed && !supersededBy) {
    attempts++;
    const read = attempts === 1 && early ? early.read : await store.monitor.readState(tenant.tenantId);
    if (read && isSuperseded(read.state, report, digest)) {
      supersededBy = read.state;
      break;
    }
    const decision = decide(tenant, read?.state, report, facts, digest, now, settings);
    try {
      await store.monitor.commitRun({
        tenantId: tenant.tenantId,
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
    // A newer check of the tenant is recorded: this run's older facts change nothing.
    return {
      tenantId: tenant.tenantId,
      report,
      transitions: [],
      alert: undefined,
      snapshot: undefined,
      stateVersion: supersededBy?.version ?? 0,
      attempts,
      roundTrips,
      removedSnapshots: 0,
      superseded: true,
    };
  }

  // Housekeeping after the run is recorded: each step is idempotent and is done again by the next
  // run, so a failure here is logged, never thrown (the run, its state and its alert are stored).
  const logger = deps.logger ?? consoleLogger;
  const tidy = async <T>(what: string, step: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      logger.warn(`tenant ${tenant.tenantId}: the run is recorded, but ${what} failed (a later run does it again): ${errorMessage(error)}`);
      return fallback;
    }
  };
  if (facts.account.ok) {
    const account = facts.account.value;
    if (account && account.id.toLowerCase() !== tenant.accountObjectId) {
      await tidy("caching the account's object id", () => store.tenants.cacheAccountObjectId(tenant.tenantId, account.id), undefined);
    } else if (!account && tenant.accountObjectId && tenant.account.toLowerCase() !== tenant.accountObjectId) {
      // The account does not exist (the collector looked the UPN up too). Forget the dead id, so
      // the runs while it stays missing cost one lookup by UPN instead of batches about nobody.
      await tidy("forgetting the account's object id", () => store.tenants.cacheAccountObjectId(tenant.tenantId, null), undefined);
    }
  }
  const cutoff = new Date(now.getTime() - settings.snapshotRetentionDays * DAY);
  const removedSnapshots = await tidy("removing old snapshots", () => store.monitor.deleteSnapshotsBefore(tenant.tenantId, invertedTicks(cutoff)), 0);

  return {
    tenantId: tenant.tenantId,
    report,
    transitions: committed.transitions,
    alert: committed.alert,
    snapshot: committed.snapshot ? { id: committed.snapshot.id, reason: committed.snapshot.reason } : undefined,
    stateVersion: committed.state.version,
    attempts,
    roundTrips,
    removedSnapshots,
    superseded: false,
  };
}

function stripReason(s: Snapshot & { reason: string }): Snapshot {
  const { reason: _reason, ...snapshot } = s;
  return snapshot;
}
