/**
 * Clause 4: conditions that make a policy apply only in some sign-in contexts (where, from what
 * device, at what risk, through which flow). We cannot know the context of every future sign-in,
 * so such a policy is `conditional`, not `blocking`. Conditions that only concern agents or
 * workload identities (agentIdRiskLevels, servicePrincipalRiskLevels, clientApplications, agents)
 * and the retired `times` condition never narrow a user's sign-in and are ignored.
 */
import type { CaConditions } from "../../model/index.js";

function strings(value: unknown): string[] {
  if (typeof value === "string") {
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v.length > 0);
  return [];
}

function isBareAll(include: readonly string[], exclude: readonly string[]): boolean {
  return exclude.length === 0 && (include.length === 0 || (include.length === 1 && include[0]?.toLowerCase() === "all"));
}

function count(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

function locations(c: CaConditions): string | null {
  const include = strings(c.locations?.includeLocations);
  const exclude = strings(c.locations?.excludeLocations);
  if (isBareAll(include, exclude)) return null;
  const inc = include.length === 1 && /^(all|alltrusted)$/i.test(include[0] ?? "") ? include[0] : count(include.length, "location");
  return exclude.length > 0 ? `locations: ${inc} except ${count(exclude.length, "location")}` : `locations: ${inc}`;
}

function platforms(c: CaConditions): string | null {
  const include = strings(c.platforms?.includePlatforms);
  const exclude = strings(c.platforms?.excludePlatforms);
  if (isBareAll(include, exclude)) return null;
  return exclude.length > 0 ? `platforms: ${include.join(", ") || "all"} except ${exclude.join(", ")}` : `platforms: ${include.join(", ")}`;
}

/** Graph's placeholder for enum members a client did not ask for: it names no real value. */
function isPlaceholder(v: string): boolean {
  return v.toLowerCase() === "unknownfuturevalue";
}

/**
 * Sign-in and user risk (`riskLevel`: low, medium, high, hidden, none) and insider risk (flags:
 * minor, moderate, elevated; it has no `none`). A list that contains `none` also takes every
 * sign-in without risk, i.e. every normal sign-in of the account: it does not narrow at all. Only
 * a list made purely of real risk levels limits the policy to risky sign-ins.
 */
function levels(label: string, value: unknown): string | null {
  const values = strings(value).filter((v) => !isPlaceholder(v));
  if (values.some((v) => v.toLowerCase() === "none")) return null;
  return values.length > 0 ? `${label}: ${values.join(", ")}` : null;
}

/** Does the insider-risk condition limit the policy (a fact no Graph read decides: ./missing-facts.ts)? */
export function insiderRiskNarrows(c: CaConditions): boolean {
  return levels("insider risk", c.insiderRiskLevels) !== null;
}

function devices(c: CaConditions): string[] {
  const out: string[] = [];
  const filter = c.devices?.deviceFilter;
  if (filter && typeof filter.rule === "string" && filter.rule.trim() !== "") {
    out.push(`device filter (${filter.mode ?? "include"}): ${filter.rule}`);
  }
  // The retired device-state conditions still narrow where a tenant kept them: anything but a
  // bare include of All (e.g. All except Compliant) limits the devices the policy meets.
  const d = (c.devices ?? {}) as Record<string, unknown>;
  const states = (c.deviceStates ?? {}) as Record<string, unknown>;
  const include = [...strings(d.includeDevices), ...strings(d.includeDeviceStates), ...strings(states.includeStates)];
  const exclude = [...strings(d.excludeDevices), ...strings(d.excludeDeviceStates), ...strings(states.excludeStates)];
  if (exclude.length > 0 || include.some((v) => v.toLowerCase() !== "all")) out.push("device state");
  return out;
}

/** `transferMethods` is a flags enum (a comma-separated string): `none` and the placeholder name no flow. */
function authenticationFlows(c: CaConditions): string | null {
  const methods = strings(c.authenticationFlows?.transferMethods).filter((v) => v.toLowerCase() !== "none" && !isPlaceholder(v));
  return methods.length > 0 ? `authentication flows: ${methods.join(", ")}` : null;
}

/** Every narrowing condition of the policy, as short labels; empty when it applies everywhere. */
export function narrowingConditions(conditions: CaConditions | null): string[] {
  if (conditions === null) return [];
  return [
    locations(conditions),
    platforms(conditions),
    levels("sign-in risk", conditions.signInRiskLevels),
    levels("user risk", conditions.userRiskLevels),
    levels("insider risk", conditions.insiderRiskLevels),
    ...devices(conditions),
    authenticationFlows(conditions),
  ].filter((s): s is string => s !== null);
}
