/**
 * collectFacts: every fact of the design's Graph table for one tenant's connection account: the
 * one-account case of collectAccounts (lib/graph/collect-accounts.ts), so one account and several
 * are read by the same code. One v1.0 `$batch` and one beta `$batch`, sent together (plus a
 * `GET /users/{ref}` first when the object id is not known yet, follow-up batches only for next
 * pages and throttled sub-requests, and one more round for the facts read only when due that the
 * batches' answers call for). Each fact succeeds or fails on its own; a fact not due holds its
 * carried value, marked as such (lib/graph/facts/due.ts).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppPermissionsFact, TenantFacts, WarnDays } from "../model/facts.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import { collectAccounts } from "./collect-accounts.js";
import type { DayCache, DomainCache } from "./domain-cache.js";
import type { PreviousRun, ReadPeriods } from "./facts/due.js";
import type { GraphPacer } from "./pacing.js";

export interface CollectTarget {
  readonly tenantId: string;
  /** UPN or object id the tenant registered. */
  readonly accountRef: string;
  /** Cached object id from an earlier run: saves the `GET /users/{ref}` round trip. */
  readonly accountObjectId?: string;
}

export interface CollectOptions {
  readonly now: Date;
  readonly signInLookbackHours: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** GRAPH_ENDPOINT: next links to any other host are refused. */
  readonly graphEndpoint?: string;
  readonly backoff?: BackoffPolicy;
  /** Paces batches under Graph's CA and report budgets (shared by every check in the process). */
  readonly pacer?: Pick<GraphPacer, "forTenant">;
  /** The domain lists read in the last day (per process): a fresh one is not requested again. */
  readonly domainCache?: DomainCache;
  /** The app's client id: it reads its own service principal's grants (absent: they are not read, and not compared). */
  readonly appId?: string;
  /** The grants read in the last day (per process): fresh ones are not requested again. */
  readonly grantsCache?: DayCache<AppPermissionsFact>;
  /** PASSWORD_EXPIRY_WARN_DAYS and MANAGED_POLICY_WARN_DAYS, handed to the checks with the facts. */
  readonly warnDays?: WarnDays;
  /**
   * What the last recorded run stored for the tenant (null: nothing yet, its first run), which the
   * facts read only when due decide from (lib/graph/facts/due.ts). Absent: the caller keeps no
   * state, so they are all read, and in the batches, as on a first run.
   */
  readonly previous?: PreviousRun | null;
  /** REGISTRATION_REPORT_HOURS and SIGNIN_CONTEXT_HOURS / _DAYS (default: the report every run, the contexts' defaults). */
  readonly periods?: ReadPeriods;
}

export interface CollectResult {
  readonly facts: TenantFacts;
  /** HTTP requests sent to Graph (token requests not included). */
  readonly roundTrips: number;
}

export async function collectFacts(client: Client, target: CollectTarget, options: CollectOptions): Promise<CollectResult> {
  const { previous, ...rest } = options;
  const account = {
    key: "",
    ref: target.accountRef,
    kind: "connection" as const,
    ...(target.accountObjectId ? { objectId: target.accountObjectId } : {}),
    ...(previous === undefined ? {} : { previous }),
  };
  const { byAccount, roundTrips } = await collectAccounts(client, { tenantId: target.tenantId, accounts: [account] }, rest);
  const facts = byAccount.get("");
  if (!facts) throw new Error("collectFacts: the collector returned no facts for the account");
  return { facts, roundTrips };
}
