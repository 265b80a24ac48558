/**
 * inspect: the first half of the pipeline — collect the facts from Graph, fold in what the account
 * was observed doing (its sign-in contexts, the named locations, Microsoft's What If: issue 14,
 * each read only when due), judge them with the pure rules. The CLI's `check` uses it alone
 * (nothing stored, so everything is due); the runner follows it with `record`. One function, so
 * the two can never read or judge a tenant differently.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { CollectOptions, CollectResult, CollectTarget } from "../graph/collect.js";
import type { TenantFacts } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { Report } from "../model/report.js";
import type { ObservedState } from "../model/observed.js";
import { DEFAULT_OBSERVATION_SETTINGS, planObservations, type ObservationSettings } from "./observations.js";
import { observe } from "./observe.js";

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
  /** The collector's options: the time of the run, the look-back window, pacing, retries. */
  readonly options: CollectOptions;
  /** What the tenant's state keeps of earlier observations, and SIGNIN_CONTEXT_HOURS/DAYS (absent: nothing kept, defaults). */
  /** `whatIf: false`: do not ask What If this run (whether it is due is unknown); default true. */
  readonly observations?: { readonly previous?: ObservedState; readonly settings?: ObservationSettings; readonly whatIf?: boolean };
}

export interface Inspection {
  readonly facts: TenantFacts;
  readonly report: Report;
  /** HTTP requests sent to Graph. */
  readonly roundTrips: number;
  /** What the tenant's state keeps of this run's observations (absent: keep the stored ones). */
  readonly observed?: ObservedState;
}

export async function inspect(target: InspectTarget, deps: InspectDeps): Promise<Inspection> {
  const settings = deps.observations?.settings ?? DEFAULT_OBSERVATION_SETTINGS;
  const previous = deps.observations?.previous;
  const plan = planObservations(target.tenantId, previous, deps.options.now, settings, deps.observations?.whatIf ?? true);
  const collected = await deps.collect(
    deps.client,
    { tenantId: target.tenantId, accountRef: target.accountRef, ...(target.accountObjectId ? { accountObjectId: target.accountObjectId } : {}) },
    { ...deps.options, observations: plan },
  );
  const pacer = deps.options.pacer?.forTenant(target.tenantId);
  const seen = await observe(deps.client, collected.facts, {
    previous,
    settings,
    plan,
    profile: target.profile,
    now: deps.options.now,
    whatIf: deps.observations?.whatIf ?? true,
    ...(pacer ? { pacer } : {}),
  });
  return { facts: seen.facts, report: deps.evaluate(seen.facts, target.profile), roundTrips: collected.roundTrips + seen.roundTrips, observed: seen.observed };
}
