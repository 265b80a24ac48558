/**
 * Facts read only when due. Some facts cost a request from a tight budget yet rarely change (the
 * registration report, the sign-in contexts: Graph's reports budget; the named locations: the
 * tenant's Conditional Access budget), and one is only worth reading when another says so (who
 * revoked the account's sessions). Such a fact declares `due(previous, run) → "read" | "carry"`:
 * `previous` is what the last recorded run stored for the tenant, `run` the time, the periods and
 * the facts this run has read so far. The collector (lib/graph/collect.ts) asks it before the
 * batches, with nothing read yet: "read" puts it in them. A fact that answers "carry" then and names
 * the facts it looks at (`after`) is asked again once those are in: a read decided then costs one
 * more round trip, shared by every such fact.
 * A fact not read holds its carried value, marked with when it was read (CarriedMark), so the
 * rules and the report can tell it from one read now.
 */
import type { Fact, FactKey, TenantFacts } from "../../model/facts.js";
import type { ObservedState } from "../../model/observed.js";
import { periodOf } from "./periods.js";

/** A fact's value as an earlier run read it, and when. */
export interface PreviousRead<T> {
  readonly fact: Fact<T>;
  readonly readAt: string;
}

/** The value a fact holds when it could be read (`TenantFacts.signIns` → `readonly SignInFact[]`). */
export type FactValue<K extends FactKey> = Extract<TenantFacts[K], { ok: true }>["value"];

/** One fact's earlier read, for each fact key (the value type is the fact's own). */
export type PreviousReads = { readonly [K in FactKey]?: PreviousRead<FactValue<K>> };

/**
 * What the last recorded run stored for the tenant, as the facts' `due` reads it. `null` where a
 * previous run is expected: the tenant has none yet (its first run). `undefined`: the caller keeps
 * no state at all (the CLI's `check`), so every fact is read as on a first run and nothing is carried.
 */
export interface PreviousRun {
  readonly tenantId: string;
  /** The monitored account's key (lib/model/account.ts); absent or "": the tenant's first account. */
  readonly accountKey?: string;
  /** When that run wrote the state. */
  readonly at: string;
  /** The account's registered methods it stored; null: they could not be read yet. */
  readonly methods: readonly { readonly id: string; readonly type: string }[] | null;
  /** What the account was observed doing (the sign-in contexts and named locations kept between runs). */
  readonly observed?: ObservedState;
  /** The last value of each fact read only when due, with its read time (only values worth carrying). */
  readonly reads: PreviousReads;
}
export type Previous = PreviousRun | null | undefined;

/** How often the periodic reads are due (REGISTRATION_REPORT_HOURS, SIGNIN_CONTEXT_HOURS / _DAYS). */
export interface ReadPeriods {
  /** Absent: the registration report is read on every run. */
  readonly registrationReportHours?: number;
  readonly signInContextHours: number;
  /** Contexts not seen for this many days are dropped; the contexts read look back as far. */
  readonly signInContextDays: number;
}

/** The facts this run has read so far, each with its own value type. */
export type ReadSoFar = { readonly [K in FactKey]?: Fact<FactValue<K>> };

/** This run, as a fact's `due` sees it. */
export interface DueRun {
  readonly now: Date;
  readonly periods: ReadPeriods;
  /** Empty before the batches; every batched fact after them. */
  readonly read: ReadSoFar;
}

export type Due = "read" | "carry";

/** How a fact read only when due is decided, carried and folded with what came before. */
export interface ReadWhenDue<T> {
  /** The facts of this run `due` looks at: when it answered "carry" before the batches, it is asked again once these are in. */
  readonly after?: readonly FactKey[];
  due(previous: Previous, run: DueRun): Due;
  /**
   * The value carried when not read (default: the last value as read). `last` is absent when
   * there is none; undefined: nothing to carry (the collector says the fact was not read).
   */
  carry?(last: PreviousRead<T> | undefined, run: DueRun): Fact<T> | undefined;
  /** Folds a value just read with the last one kept (default: the value read). */
  fold?(read: Fact<T>, last: PreviousRead<T> | undefined, run: DueRun): Fact<T>;
}

/**
 * Whether a periodic read is due: never read, or read in an earlier period of `hours` than now's.
 * Each key (a tenant, or a tenant and what is read) has its own offset in the period, so an
 * estate's reads spread over the period instead of landing in the run one period after a first run.
 */
export function periodTurned(key: string, now: Date, readAt: string | null | undefined, hours: number): boolean {
  if (!readAt) return true;
  const at = Date.parse(readAt);
  if (Number.isNaN(at)) return true;
  return periodOf(key, now.getTime(), hours) !== periodOf(key, at, hours);
}

/**
 * What a periodic read's offset in its period is derived from: the tenant for its first account (the
 * offset it always had), the tenant and the account for another, so a tenant's accounts come due in
 * different runs instead of all in one.
 */
export function periodKeyOf(previous: Pick<PreviousRun, "tenantId" | "accountKey">): string {
  return previous.accountKey ? `${previous.tenantId}|${previous.accountKey}` : previous.tenantId;
}

/** The fact marked as carried from a read at `readAt`. */
export function markCarried<T>(fact: Fact<T>, readAt: string): Fact<T> {
  return { ...fact, carried: { readAt } };
}
