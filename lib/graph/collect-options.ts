/** What every collection (one account or several, lib/graph/collect-accounts.ts) is told: time, pacing, caches, what the last run stored. */
import type { AppPermissionsFact, WarnDays } from "../model/facts.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import type { DayCache, DomainCache } from "./domain-cache.js";
import type { PreviousRun, ReadPeriods } from "./facts/due.js";
import type { GraphPacer } from "./pacing.js";

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
