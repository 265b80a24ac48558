/**
 * When a run reads the account's sign-in contexts, the named locations and Microsoft's What If
 * (issue 14), and what it keeps of them in the tenant's state. Pure: time and the stored state are
 * inputs. The rules:
 *
 * - contexts: once per SIGNIN_CONTEXT_HOURS period (at the tenant's offset in it), or when a sign-in failure newer than the last read
 *   appears (the failure request is read every run anyway); kept for SIGNIN_CONTEXT_DAYS, the
 *   newest 20. A licence refusal is carried like a value until the next due read.
 * - named locations: read with the contexts, or when a policy names a location not known yet.
 * - What If: only when the policies, the named locations or the contexts changed since the last
 *   evaluation (a hash of them), or the last one was throttled or failed (`retry`), or a refusal is
 *   older than SIGNIN_CONTEXT_HOURS (the permission may have been granted since).
 *
 * So a steady-state check with nothing changed sends no request for any of them.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../drift/canonical.js";
import type { ObservationsOption, ObservedKey } from "../graph/collect.js";
import { distinctContexts } from "../graph/facts/sign-in-contexts.js";
import type { CaPolicy, Fact, NamedLocationFact, SignInContext, TenantFacts, WhatIfAnswer, WhatIfFact } from "../model/facts.js";
import { PERIODIC_READ_DEFAULTS } from "../config/periodic-read-defaults.js";
import type { ObservedState } from "../model/observed.js";
import { contextKey } from "../checks/conditional-access/context-key.js";
import { periodOf } from "./periods.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ObservationSettings {
  readonly contextHours: number;
  readonly contextDays: number;
}

export const DEFAULT_OBSERVATION_SETTINGS: ObservationSettings = {
  contextHours: PERIODIC_READ_DEFAULTS.signInContextHours,
  contextDays: PERIODIC_READ_DEFAULTS.signInContextDays,
};

/**
 * Whether the contexts are due from the stored state alone (before anything is read): once per
 * SIGNIN_CONTEXT_HOURS period, each tenant at its own offset in the period (lib/runner/periods.ts),
 * as the registration report. Counted from the last read instead, every tenant of a first run came
 * due again in the same run or two one period later: at 10,000 tenants such a run needs two report
 * requests a check, about 29 minutes of the app's report budget.
 */
export function contextsDue(previous: ObservedState | undefined, now: Date, hours: number, tenantId: string): boolean {
  if (!previous?.contextsReadAt) return true;
  const readAt = Date.parse(previous.contextsReadAt);
  if (Number.isNaN(readAt)) return true;
  const key = `signInContexts|${tenantId}`;
  return periodOf(key, now.getTime(), hours) !== periodOf(key, readAt, hours);
}

/** Contexts seen within the window, each once, newest first, at most 20. */
export function mergeContexts(stored: readonly SignInContext[], read: readonly SignInContext[], now: Date, days: number): SignInContext[] {
  const since = now.getTime() - days * DAY;
  return distinctContexts([...read, ...stored].filter((c) => Date.parse(c.lastSeen) >= since));
}

/** A sign-in failure (the failure request's answer) newer than the last contexts read. */
export function failureSince(signIns: TenantFacts["signIns"], readAt: string | null): boolean {
  if (!signIns.ok || readAt === null) return false;
  const t = Date.parse(readAt);
  return signIns.value.some((s) => Date.parse(s.createdDateTime) > t);
}

const BUILT_IN_LOCATIONS = new Set(["all", "alltrusted"]);

/** Location ids the policies name that the named locations do not hold (sorted, each once). */
export function missingLocationIds(policies: TenantFacts["conditionalAccessPolicies"], known: readonly NamedLocationFact[] | null): string[] {
  if (!policies.ok) return [];
  const ids = new Set((known ?? []).map((l) => l.id.toLowerCase()));
  const named = policies.value.flatMap((p) => [...(p.conditions?.locations?.includeLocations ?? []), ...(p.conditions?.locations?.excludeLocations ?? [])]);
  return [...new Set(named.filter((id): id is string => typeof id === "string").map((id) => id.toLowerCase()))]
    .filter((id) => !BUILT_IN_LOCATIONS.has(id) && !ids.has(id))
    .sort();
}

/** A policy names a location the stored ones do not hold, and that the last read did not already miss. */
export function unknownLocations(
  policies: TenantFacts["conditionalAccessPolicies"],
  known: readonly NamedLocationFact[] | null,
  missingAtRead: readonly string[] = [],
): boolean {
  const before = new Set(missingAtRead);
  return missingLocationIds(policies, known).some((id) => !before.has(id));
}

/** The collector's option: what to read now and what to carry (pure). */
export function planObservations(
  tenantId: string,
  previous: ObservedState | undefined,
  now: Date,
  settings: ObservationSettings,
  stateKnown = true,
): ObservationsOption {
  const contextsSince = new Date(now.getTime() - settings.contextDays * DAY).toISOString();
  const due = !previous || contextsDue(previous, now, settings.contextHours, tenantId);
  // The named locations never ride in the first v1.0 batch: Graph allows one Conditional Access
  // request per second per tenant, and that batch already carries the policies (two CA requests in
  // one batch earn the second a 429). When due they are read in the round after, once the pacer
  // has room; otherwise the stored ones stand.
  const locationsDue = due || previous.locations === null;
  const namedLocations: Fact<readonly NamedLocationFact[]> =
    previous?.locations != null ? { ok: true, value: previous.locations } : { ok: false, code: "dependency", reason: "the named locations were not read yet" };
  const readLocations = (read: Parameters<NonNullable<ObservationsOption["readIf"]>>[0]): boolean =>
    locationsDue ||
    (read.conditionalAccessPolicies !== undefined &&
      unknownLocations(read.conditionalAccessPolicies, previous?.locations ?? null, previous?.locationsUnknownIds));
  // Without the stored state (a wiring that does not read it first) every run is a first run: both in the batches, no extra round.
  if (due && !stateKnown) return { contextsSince, carried: {} };
  if (due) return { contextsSince, carried: { namedLocations }, readIf: () => ["namedLocations"] };
  const contexts: Fact<readonly SignInContext[]> =
    previous.contextsUnlicensed !== null
      ? { ok: false, code: "unlicensed", reason: previous.contextsUnlicensed }
      : { ok: true, value: mergeContexts(previous.contexts, [], now, settings.contextDays) };
  return {
    contextsSince,
    carried: { signInContexts: contexts, namedLocations },
    readIf: (read) => {
      const out: ObservedKey[] = [];
      if (previous.contextsUnlicensed === null && read.signIns && failureSince(read.signIns, previous.contextsReadAt)) out.push("signInContexts");
      if (readLocations(read)) out.push("namedLocations");
      return out;
    },
  };
}

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
  if (previous.status === "skipped" && previous.permission !== null) return now.getTime() - Date.parse(previous.at) >= hours * HOUR;
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
export function whatIfContexts(contexts: readonly SignInContext[], assumed: SignInContext, max: number): SignInContext[] {
  return contexts.length > 0 ? contexts.slice(0, max) : [assumed];
}
