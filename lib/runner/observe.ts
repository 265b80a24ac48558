/**
 * The imperative half of issue 14's observations, run by `inspect` after the collector: fold the
 * contexts just read (or carried) into the ones kept, note what was read when, and send What If
 * when it is due (lib/runner/observations.ts decides). Returns the facts the rules judge (with the
 * kept contexts and Microsoft's answers) and what the tenant's state keeps.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ObservationsOption } from "../graph/collect.js";
import { MAX_WHAT_IF_CONTEXTS } from "../graph/facts/what-if.js";
import type { TenantPacer } from "../graph/pacing.js";
import { evaluateWhatIf } from "../graph/what-if.js";
import type { SignInContext, TenantFacts, WhatIfFact } from "../model/facts.js";
import type { Profile } from "../model/profile.js";
import type { ObservedState } from "../model/observed.js";
import {
  carriedWhatIf,
  mergeContexts,
  missingLocationIds,
  storedWhatIf,
  whatIfContexts,
  whatIfDue,
  whatIfHash,
  type ObservationSettings,
} from "./observations.js";

interface ObserveInput {
  readonly previous: ObservedState | undefined;
  readonly settings: ObservationSettings;
  /** The collector's option this run was planned with: what it left out stands for the stored values. */
  readonly plan: ObservationsOption;
  readonly profile: Pick<Profile, "signInApps" | "clientAppTypes">;
  readonly now: Date;
  /** False: What If is not asked this run (whether it is due is unknown); the stored answers are kept. */
  readonly whatIf: boolean;
  readonly pacer?: TenantPacer;
}

interface Observed {
  readonly facts: TenantFacts;
  readonly observed: ObservedState;
  readonly roundTrips: number;
}

/** The profile's assumed sign-in, for What If when no real one is known. */
function assumedContext(profile: ObserveInput["profile"], now: Date): SignInContext {
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

function contextsPart(facts: TenantFacts, input: ObserveInput): Pick<ObservedState, "contextsReadAt" | "contextsUnlicensed" | "contexts"> {
  const { previous, now, settings } = input;
  const fact = facts.signInContexts;
  // The collector hands the carried value over as is: the same object means it was not read this run.
  const read = fact !== input.plan.carried.signInContexts;
  const kept = previous?.contextsUnlicensed === null ? previous.contexts : [];
  if (!read)
    return {
      contextsReadAt: previous?.contextsReadAt ?? null,
      contextsUnlicensed: previous?.contextsUnlicensed ?? null,
      contexts: fact.ok ? [...fact.value] : kept,
    };
  if (fact.ok) return { contextsReadAt: now.toISOString(), contextsUnlicensed: null, contexts: mergeContexts(kept, fact.value, now, settings.contextDays) };
  if (fact.code === "unlicensed") return { contextsReadAt: now.toISOString(), contextsUnlicensed: fact.reason, contexts: [] };
  // Refused or failed: nothing learned; due again next run.
  return { contextsReadAt: null, contextsUnlicensed: null, contexts: [...kept] };
}

function locationsPart(facts: TenantFacts, input: ObserveInput): Pick<ObservedState, "locationsReadAt" | "locations" | "locationsUnknownIds"> {
  const fact = facts.namedLocations;
  const read = fact !== input.plan.carried.namedLocations;
  if (read && fact.ok) {
    return {
      locationsReadAt: input.now.toISOString(),
      locations: fact.value.map((l) => ({ ...l, cidrs: [...l.cidrs], countries: [...l.countries] })),
      locationsUnknownIds: missingLocationIds(facts.conditionalAccessPolicies, fact.value).slice(0, 200),
    };
  }
  const kept = input.previous?.locationsUnknownIds;
  return {
    locationsReadAt: input.previous?.locationsReadAt ?? null,
    locations: input.previous?.locations ?? null,
    ...(kept ? { locationsUnknownIds: kept } : {}),
  };
}

export async function observe(client: Client, collected: TenantFacts, input: ObserveInput): Promise<Observed> {
  const contexts = contextsPart(collected, input);
  const locations = locationsPart(collected, input);
  const signInContexts: TenantFacts["signInContexts"] = collected.signInContexts.ok ? { ok: true, value: contexts.contexts } : collected.signInContexts;
  const facts: TenantFacts = { ...collected, signInContexts };
  const base = { ...contexts, ...locations };

  const account = facts.account.ok ? facts.account.value : null;
  const policies = facts.conditionalAccessPolicies;
  if (!account || !policies.ok || !input.whatIf) {
    return { facts, observed: { ...base, whatIf: input.previous?.whatIf ?? null }, roundTrips: 0 };
  }
  const asked = whatIfContexts(contexts.contexts, assumedContext(input.profile, input.now), MAX_WHAT_IF_CONTEXTS);
  const hash = whatIfHash(policies.value, facts.namedLocations, asked);
  const previous = input.previous?.whatIf;
  if (!whatIfDue(previous, hash, input.now, input.settings.contextHours) && previous) {
    return { facts: { ...facts, whatIf: carriedWhatIf(previous) }, observed: { ...base, whatIf: previous }, roundTrips: 0 };
  }
  const run = await evaluateWhatIf(client, { userId: account.id, contexts: asked, now: input.now, ...(input.pacer ? { pacer: input.pacer } : {}) });
  const whatIf: WhatIfFact = run.fact;
  return { facts: { ...facts, whatIf }, observed: { ...base, whatIf: storedWhatIf(whatIf, hash, input.now, run.retry) }, roundTrips: run.roundTrips };
}
