/**
 * One check of one tenant's connection account: collect the facts from Graph, judge them.
 * The imperative shell around the pure rules; storage and alerts build on its result.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { collectFacts } from "./graph/collect.js";
import { evaluate } from "./checks/evaluate.js";
import { sharedGraphPacer, type GraphPacer } from "./graph/pacing.js";
import type { Profile, Report, TenantFacts } from "./model/index.js";

export interface AccountCheckTarget {
  readonly tenantId: string;
  /** UPN or object id as registered. */
  readonly accountRef: string;
  /** The object id learned on an earlier run: saves a round trip. */
  readonly accountObjectId?: string;
  readonly profile: Profile;
}

export interface AccountCheckDeps {
  readonly client: Client;
  readonly now: () => Date;
  readonly signInLookbackHours: number;
  /** Next links pointing anywhere else are refused. */
  readonly graphEndpoint?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Graph's per-tenant budgets (1 CA request/s, 5 report requests/10 s); default the process-wide pacer. */
  readonly pacer?: Pick<GraphPacer, "forTenant">;
}

export interface AccountCheckResult {
  readonly report: Report;
  readonly facts: TenantFacts;
  readonly roundTrips: number;
}

export async function checkAccount(target: AccountCheckTarget, deps: AccountCheckDeps): Promise<AccountCheckResult> {
  const { facts, roundTrips } = await collectFacts(
    deps.client,
    { tenantId: target.tenantId, accountRef: target.accountRef, accountObjectId: target.accountObjectId },
    {
      now: deps.now(),
      signInLookbackHours: deps.signInLookbackHours,
      graphEndpoint: deps.graphEndpoint,
      pacer: deps.pacer ?? sharedGraphPacer(),
      sleep: deps.sleep,
      random: deps.random,
    },
  );
  return { report: evaluate(facts, target.profile), facts, roundTrips };
}
