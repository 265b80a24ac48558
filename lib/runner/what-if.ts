/**
 * Microsoft's What If cross-check, asked after the facts are read: it evaluates the policies, the
 * named locations and the account's observed contexts, so it is an evaluation of what was read,
 * not a read of its own. Asked only when what it evaluates changed since the last evaluation (a
 * hash of it), or the last one was throttled or failed (`retry`), or a refusal is older than
 * SIGNIN_CONTEXT_HOURS (the permission may have been granted since); otherwise the stored answers
 * stand. So a steady-state check with nothing changed sends no request for it.
 */
import { createHash } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import { canonicalJson } from "../drift/canonical.js";
import { MAX_WHAT_IF_CONTEXTS } from "../graph/facts/what-if.js";
import type { TenantPacer } from "../graph/pacing.js";
import { evaluateWhatIf } from "../graph/what-if.js";
import type { CaPolicy, SignInContext, TenantFacts, WhatIfAnswer, WhatIfFact } from "../model/facts.js";
import type { ObservedState } from "../model/observed.js";
import type { Profile } from "../model/profile.js";
import { ageMs } from "../retry/horizon.js";
import { contextKey } from "../checks/conditional-access/context-key.js";

const HOUR = 3_600_000;

/** What What If is asked about: the policies (as read), the named locations' modified times, the contexts (without their times). */
export function whatIfHash(policies: readonly CaPolicy[], locations: TenantFacts["namedLocations"], contexts: readonly SignInContext[]): string {
  const input = {
    policies,
    locations: locations.ok ? locations.value.map((l) => [l.id, l.modifiedDateTime]) : locations.code,
    contexts: contexts.map(contextKey),
  };
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

type StoredWhatIf = NonNullable<ObservedState["whatIf"]>;

/** Whether What If is due (pure). */
export function whatIfDue(previous: StoredWhatIf | null | undefined, hash: string, now: Date, hours: number): boolean {
  if (!previous || previous.hash !== hash) return true;
  if (previous.status === "skipped" && previous.permission !== null) return ageMs(now.getTime(), Date.parse(previous.at)) >= hours * HOUR;
  return false;
}

/** Answers grouped by (context, answer, reason), as the state row keeps them. */
function packAnswers(answers: readonly WhatIfAnswer[]): StoredWhatIf["answers"] {
  const groups = new Map<string, StoredWhatIf["answers"][number]>();
  for (const a of answers) {
    const key = JSON.stringify([a.context, a.policyApplies, a.analysisReasons]);
    const group = groups.get(key) ?? { context: a.context, policyApplies: a.policyApplies, analysisReasons: a.analysisReasons, policyIds: [] };
    group.policyIds.push(a.policyId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function unpackAnswers(groups: StoredWhatIf["answers"]): WhatIfAnswer[] {
  return groups.flatMap((g) =>
    g.policyIds.map((policyId) => ({ context: g.context, policyId, policyApplies: g.policyApplies, analysisReasons: g.analysisReasons })),
  );
}

/** The fact a stored evaluation stands for (carried when not due). */
export function carriedWhatIf(previous: StoredWhatIf): WhatIfFact {
  if (previous.status === "evaluated")
    return { status: "evaluated", evaluatedAt: previous.at, answers: unpackAnswers(previous.answers), contexts: previous.contexts };
  return { status: "skipped", reason: previous.reason ?? "What If was not evaluated", ...(previous.permission ? { permission: previous.permission } : {}) };
}

/** What the state keeps of a What If outcome; a retry-worthy one keeps no hash, so the next run tries again. */
export function storedWhatIf(fact: WhatIfFact, hash: string, now: Date, retry: boolean): StoredWhatIf {
  const base = { hash: retry ? `retry:${hash}` : hash, at: now.toISOString() };
  if (fact.status === "evaluated")
    return { ...base, status: "evaluated", reason: null, permission: null, answers: packAnswers(fact.answers), contexts: [...fact.contexts] };
  return { ...base, status: "skipped", reason: fact.reason, permission: fact.permission ?? null, answers: [], contexts: [] };
}

/** The contexts What If is asked about: the newest observed ones, or the profile's assumed one when none is known. */
function whatIfContexts(contexts: readonly SignInContext[], assumed: SignInContext, max: number): SignInContext[] {
  return contexts.length > 0 ? contexts.slice(0, max) : [assumed];
}

/** The profile's assumed sign-in, for What If when no real one is known. */
function assumedContext(profile: WhatIfInput["profile"], now: Date): SignInContext {
  const desktop = profile.clientAppTypes.includes("mobileAppsAndDesktopClients") || profile.clientAppTypes.length === 0;
  return {
    appId: null,
    appDisplayName: null,
    resourceId: profile.signInApps[0] ?? null,
    resourceDisplayName: null,
    clientAppUsed: desktop ? "Mobile Apps and Desktop clients" : "Browser",
    ipAddress: null,
    country: null,
    operatingSystem: null,
    deviceRegistered: null,
    deviceCompliant: null,
    lastSeen: now.toISOString(),
  };
}

interface WhatIfInput {
  readonly previous: StoredWhatIf | null | undefined;
  readonly profile: Pick<Profile, "signInApps" | "clientAppTypes">;
  readonly now: Date;
  /** SIGNIN_CONTEXT_HOURS: a refusal is asked again after this long. */
  readonly retryHours: number;
  readonly pacer?: TenantPacer;
}

interface WhatIfOutcome {
  readonly facts: TenantFacts;
  /** What the state keeps of it (the stored one when nothing was asked). */
  readonly stored: StoredWhatIf | null;
  readonly roundTrips: number;
}

/** Asks What If when it is due; else the stored answers stand in the facts. Without an account or policies, nothing is asked. */
export async function askWhatIf(client: Client, facts: TenantFacts, input: WhatIfInput): Promise<WhatIfOutcome> {
  const account = facts.account.ok ? facts.account.value : null;
  const policies = facts.conditionalAccessPolicies;
  const previous = input.previous ?? null;
  if (!account || !policies.ok) return { facts, stored: previous, roundTrips: 0 };
  const contexts = facts.signInContexts.ok ? facts.signInContexts.value : [];
  const asked = whatIfContexts(contexts, assumedContext(input.profile, input.now), MAX_WHAT_IF_CONTEXTS);
  const hash = whatIfHash(policies.value, facts.namedLocations, asked);
  if (previous && !whatIfDue(previous, hash, input.now, input.retryHours)) {
    return { facts: { ...facts, whatIf: carriedWhatIf(previous) }, stored: previous, roundTrips: 0 };
  }
  const run = await evaluateWhatIf(client, { userId: account.id, contexts: asked, now: input.now, ...(input.pacer ? { pacer: input.pacer } : {}) });
  return { facts: { ...facts, whatIf: run.fact }, stored: storedWhatIf(run.fact, hash, input.now, run.retry), roundTrips: run.roundTrips };
}
