/** The runner's collaborators and results: what a run needs injected, and what it reports. */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppBudget } from "../budget/app-budget.js";
import type { CollectOptions } from "../graph/collect.js";
import type { collectAccounts } from "../graph/collect-accounts.js";
import type { AccountKind } from "../model/account.js";
import { DEFAULT_READ_PERIODS } from "../graph/collect-due.js";
import type { ReadPeriods } from "../graph/facts/due.js";
import type { TenantFacts } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { Report } from "../model/report.js";
import type { OutboxAlert, Transition } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
import type { MonitorRepository, StandingsRepository, StorageTime, TenantsRepository } from "../store/index.js";

export interface RunnerSettings {
  readonly reminderHours: number;
  readonly unknownAlertAfter: number;
  readonly snapshotRetentionDays: number;
  readonly signInLookbackHours: number;
  /** GRAPH_ENDPOINT, so the collector refuses next links to other hosts. */
  readonly graphEndpoint?: string;
  /**
   * REGISTRATION_REPORT_HOURS: read the registration report at least this often, otherwise only
   * when the methods changed (lib/graph/facts/registration-details.ts). Absent: read it on every run.
   */
  readonly registrationReportHours?: number;
  /** SIGNIN_CONTEXT_HOURS / SIGNIN_CONTEXT_DAYS; absent: the defaults (lib/config/periodic-read-defaults.ts). */
  readonly signInContextHours?: number;
  readonly signInContextDays?: number;
  /** Two schedule periods: a tenant late for this long since its last recorded check is alerted ("not checked since"). */
  readonly notCheckedAfterMs?: number;
}

/** The periods of the facts read only when due, from the settings. */
export function readPeriods(settings: RunnerSettings): ReadPeriods {
  return {
    ...(settings.registrationReportHours !== undefined ? { registrationReportHours: settings.registrationReportHours } : {}),
    signInContextHours: settings.signInContextHours ?? DEFAULT_READ_PERIODS.signInContextHours,
    signInContextDays: settings.signInContextDays ?? DEFAULT_READ_PERIODS.signInContextDays,
  };
}

/** The parts of the store a run uses (an interface, so tests can interpose on them). */
export interface RunnerStore {
  readonly tenants: Pick<TenantsRepository, "cacheAccountObjectId">;
  readonly monitor: Pick<MonitorRepository, "readState" | "commitRun" | "deleteSnapshotsBefore"> & Partial<Pick<MonitorRepository, "getSnapshot">>;
  /** The Graph reports budget every process of the app shares (the store's ledger); production wiring paces with it. */
  readonly budget?: AppBudget;
  /** Operators' acknowledgements and exceptions (lib/drift/standing.ts); absent: none are read, and the exception notices sent are kept. */
  readonly standings?: Pick<StandingsRepository, "readAccountsStandings">;
}

export interface RunnerDeps {
  readonly store: RunnerStore;
  /** A Graph client for the tenant (token cache and credential are the factory's business). */
  readonly graphClient: (tenant: RegisteredTenant) => Client;
  /** One collection per tenant: every monitored account's facts (lib/graph/collect-accounts.ts). */
  readonly collectAccounts: typeof collectAccounts;
  readonly evaluate: (facts: TenantFacts, profile: Profile) => Report;
  readonly getProfile: (name: string) => Profile | undefined;
  readonly now: () => Date;
  /**
   * The storage service's clock (production): when set, a run's time — its report's `checkedAt`,
   * which decides which of two checks of a tenant is newer, and its lease — is read from it, not
   * from `now`, so a host whose clock is off cannot make other hosts' checks look older than its own.
   */
  readonly clock?: StorageTime;
  readonly settings: RunnerSettings;
  /** Extra collector options (sleep, random, backoff), e.g. to keep tests fast. */
  readonly collectOptions?: Partial<Pick<CollectOptions, "sleep" | "random" | "backoff" | "pacer" | "domainCache" | "warnDays" | "appId" | "grantsCache">>;
  /** Decisions to make before giving up on a tenant that keeps being written concurrently. */
  readonly maxAttempts?: number;
  /** Where clean-up failures after the commit go (default: console.warn). */
  readonly logger?: RunnerLogger;
}

export interface RunnerLogger {
  warn(message: string): void;
}

/** What a run did for one monitored account of the tenant (its own partition, its own transaction). */
export interface AccountOutcome {
  readonly accountKey: string;
  readonly accountRef: string;
  readonly kind: AccountKind;
  readonly report: Report;
  /** The transitions this run wrote (empty when another run had already alerted them). */
  readonly transitions: readonly Transition[];
  /** The outbox row written, if any: enqueue it (by the account's partition) for delivery. */
  readonly alert: OutboxAlert | undefined;
  readonly snapshot: { readonly id: string; readonly reason: string } | undefined;
  readonly stateVersion: number;
  /** How many decisions it took (1 unless another check of the tenant wrote first). */
  readonly attempts: number;
  readonly removedSnapshots: number;
  /**
   * The stored state was already newer than this run's report (another check of the tenant that
   * started later committed first): nothing was written, no transition, no alert.
   */
  readonly superseded: boolean;
  /** This run's message was already recorded for the account (delivered again): nothing was read from Graph or written for it. */
  readonly repeated: boolean;
  /** Set when the account's run was late (Graph throttled it, or no budget in time): why. No verdict was recorded. */
  readonly late?: string;
}

/**
 * What a run did for a tenant: each account's outcome, in the tenant's order, and their sum. For a
 * one-account tenant the fields below are that account's.
 */
export interface RunOutcome {
  readonly tenantId: string;
  readonly accounts: readonly AccountOutcome[];
  /** The first account's report (a one-account tenant's only one). */
  readonly report: Report;
  /** The worst status of the accounts' reports: unknown, then drifted, then compliant. */
  readonly status: Report["status"];
  /** Every account's transitions. */
  readonly transitions: readonly Transition[];
  /** Every outbox row written, one per account at most: enqueue each for delivery. */
  readonly alerts: readonly OutboxAlert[];
  /** The first account's snapshot and state version (a one-account tenant's). */
  readonly snapshot: { readonly id: string; readonly reason: string } | undefined;
  readonly stateVersion: number;
  /** The most decisions any account took. */
  readonly attempts: number;
  /** HTTP requests sent to Graph for the tenant (its one collection and What If). */
  readonly roundTrips: number;
  readonly removedSnapshots: number;
  /** Every account's run was superseded (nothing written). */
  readonly superseded: boolean;
  /** Every account had already recorded this run (its message delivered again): nothing was read or written. */
  readonly repeated: boolean;
  /** Set when any account's run was late: the first reason. */
  readonly late?: string;
}

/** What `record` needs: the store, the clock and the monitoring settings — no Graph. */
export type RecordDeps = Pick<RunnerDeps, "store" | "now" | "settings" | "maxAttempts" | "logger">;
