/**
 * inspect: the first half of the pipeline — collect the facts from Graph (the ones read only when
 * due decided from what the last run stored, lib/graph/facts/due.ts), ask Microsoft's What If when
 * it is due, judge them with the pure rules. The CLI's `check` uses it alone (nothing stored, so
 * everything is due); the runner follows it with `record`. One function, so the two can never read
 * or judge a tenant differently.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { CollectOptions, CollectResult, CollectTarget } from "../graph/collect.js";
import { DEFAULT_READ_PERIODS } from "../graph/collect-due.js";
import type { TenantFacts } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { Report } from "../model/report.js";
import type { ObservedState } from "../model/observed.js";
import { observedAfter } from "./previous.js";
import { askWhatIf } from "./what-if.js";

interface InspectTarget {
  readonly tenantId: string;
  /** UPN or object id as registered. */
  readonly accountRef: string;
  /** The object id learned on an earlier run: saves a round trip. */
  readonly accountObjectId?: string;
  readonly profile: Profile;
}

export interface InspectDeps {
  readonly client: Client;
  readonly collect: (client: Client, target: CollectTarget, options: CollectOptions) => Promise<CollectResult>;
  readonly evaluate: (facts: TenantFacts, profile: Profile) => Report;
  /** The collector's options: the time of the run, the look-back window, pacing, retries, the previous run and the periods. */
  readonly options: CollectOptions;
  /** False: What If is not asked this run (whether it is due is unknown); the stored answers are kept. Default true. */
  readonly whatIf?: boolean;
}

export interface Inspection {
  readonly facts: TenantFacts;
  readonly report: Report;
  /** HTTP requests sent to Graph. */
  readonly roundTrips: number;
  /** What the tenant's state keeps for the next run of the facts read only when due, and of What If. */
  readonly observed?: ObservedState;
  /** The profile's `signInNotices`: "every" makes each sign-in of the account a notice (absent: none). */
  readonly signInNotices?: Profile["signInNotices"];
}

export async function inspect(target: InspectTarget, deps: InspectDeps): Promise<Inspection> {
  const collected = await deps.collect(
    deps.client,
    { tenantId: target.tenantId, accountRef: target.accountRef, ...(target.accountObjectId ? { accountObjectId: target.accountObjectId } : {}) },
    deps.options,
  );
  return judge(target, collected, deps);
}

/**
 * The part after the collection: What If when it is due, the rules, and what the state keeps. The
 * runner calls it for each account of a tenant's one collection (`options.previous`: that account's).
 */
export async function judge(
  target: Pick<InspectTarget, "tenantId" | "profile">,
  collected: CollectResult,
  deps: Omit<InspectDeps, "collect">,
): Promise<Inspection> {
  const { options } = deps;
  const previous = options.previous?.observed;
  const kept = observedAfter(collected.facts, previous, options.now);
  if (deps.whatIf === false) {
    const facts = collected.facts;
    return {
      facts,
      report: deps.evaluate(facts, target.profile),
      roundTrips: collected.roundTrips,
      observed: { ...kept, whatIf: previous?.whatIf ?? null },
      signInNotices: target.profile.signInNotices,
    };
  }
  const pacer = options.pacer?.forTenant(target.tenantId);
  const asked = await askWhatIf(deps.client, collected.facts, {
    previous: previous?.whatIf,
    profile: target.profile,
    now: options.now,
    retryHours: (options.periods ?? DEFAULT_READ_PERIODS).signInContextHours,
    ...(pacer ? { pacer } : {}),
  });
  return {
    facts: asked.facts,
    report: deps.evaluate(asked.facts, target.profile),
    roundTrips: collected.roundTrips + asked.roundTrips,
    observed: { ...kept, whatIf: asked.stored },
    signInNotices: target.profile.signInNotices,
  };
}
