/**
 * inspect: the first half of the pipeline — collect the facts from Graph, judge them with the
 * pure rules. The CLI's `check` uses it alone (nothing stored); the runner follows it with
 * `record`. One function, so the two can never read or judge a tenant differently.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { CollectOptions, CollectResult, CollectTarget } from "../graph/collect.js";
import type { TenantFacts } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { Report } from "../model/report.js";

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
}

export interface Inspection {
  readonly facts: TenantFacts;
  readonly report: Report;
  /** HTTP requests sent to Graph. */
  readonly roundTrips: number;
}

export async function inspect(target: InspectTarget, deps: InspectDeps): Promise<Inspection> {
  const { facts, roundTrips } = await deps.collect(
    deps.client,
    { tenantId: target.tenantId, accountRef: target.accountRef, ...(target.accountObjectId ? { accountObjectId: target.accountObjectId } : {}) },
    deps.options,
  );
  return { facts, report: deps.evaluate(facts, target.profile), roundTrips };
}
