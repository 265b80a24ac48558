/**
 * Does a sign-in context meet a policy's location condition? Named locations come from Graph
 * (`ipNamedLocation` ranges, `countryNamedLocation` countries:
 * learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network). Three-valued:
 * a location we do not know, an IP we cannot place, a range list cut short, a GPS-based country
 * lookup, or `AllTrusted` without a trusted named location holding the IP (the legacy MFA trusted
 * IPs also count as trusted and Graph does not list them) leave it undecided.
 */
import type { CaPolicy, NamedLocationFact, SignInContext } from "../../model/index.js";
import { inCidr } from "./ip-range.js";
import type { MissingFactId } from "./missing-facts.js";

export type Tri = "yes" | "no" | "maybe";

export interface LocationIndex {
  readonly byId: ReadonlyMap<string, NamedLocationFact>;
  /** False when the named locations could not be read: a location id then decides nothing. */
  readonly known: boolean;
}

export function locationIndex(locations: readonly NamedLocationFact[] | null): LocationIndex {
  return { byId: new Map((locations ?? []).map((l) => [l.id.toLowerCase(), l])), known: locations !== null };
}

function inLocation(l: NamedLocationFact, c: SignInContext): Tri {
  if (l.kind === "ip") {
    if (!c.ipAddress) return "maybe";
    let unsure = l.truncated;
    for (const cidr of l.cidrs) {
      const hit = inCidr(c.ipAddress, cidr);
      if (hit === true) return "yes";
      if (hit === null) unsure = true;
    }
    return unsure ? "maybe" : "no";
  }
  if (l.kind === "country") {
    // A GPS lookup (Authenticator) places the user, not the IP the log shows.
    if ((l.countryLookupMethod ?? "clientIpAddress").toLowerCase() !== "clientipaddress") return "maybe";
    if (!c.country) return "maybe";
    return l.countries.includes(c.country.toUpperCase()) ? "yes" : "no";
  }
  return "maybe";
}

function inTarget(target: string, index: LocationIndex, c: SignInContext): Tri {
  const key = target.toLowerCase();
  if (key === "all") return "yes";
  if (key === "alltrusted") {
    const trusted = [...index.byId.values()].filter((l) => l.isTrusted).map((l) => inLocation(l, c));
    return trusted.includes("yes") ? "yes" : "maybe";
  }
  const l = index.byId.get(key);
  return l ? inLocation(l, c) : "maybe";
}

function anyOf(values: readonly Tri[]): Tri {
  if (values.includes("yes")) return "yes";
  return values.includes("maybe") ? "maybe" : "no";
}

function nameOf(target: string, index: LocationIndex): string {
  if (/^all(trusted)?$/i.test(target)) return target;
  return index.byId.get(target.toLowerCase())?.displayName ?? target;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length > 0) : [];
}

export interface ConditionResult {
  readonly result: Tri;
  readonly why: string;
  /** For `maybe`: the facts Graph cannot give that leave it undecided. */
  readonly missing?: readonly MissingFactId[];
}

/**
 * An `AllTrusted` target left undecided for a known IP: no trusted named location holds it, but
 * the legacy MFA trusted IPs (not in Graph) might.
 */
function trustedIpsOpen(targets: readonly string[], index: LocationIndex, c: SignInContext): boolean {
  return c.ipAddress !== null && targets.some((t) => t.toLowerCase() === "alltrusted" && inTarget(t, index, c) === "maybe");
}

export function locationCondition(policy: CaPolicy, c: SignInContext, index: LocationIndex): ConditionResult {
  const include = strings(policy.conditions?.locations?.includeLocations);
  const exclude = strings(policy.conditions?.locations?.excludeLocations);
  if (include.length === 0 && exclude.length === 0) return { result: "yes", why: "" };
  const where = c.ipAddress ?? "an unknown IP";
  const inc = include.length === 0 ? "yes" : anyOf(include.map((t) => inTarget(t, index, c)));
  const exc = exclude.length === 0 ? "no" : anyOf(exclude.map((t) => inTarget(t, index, c)));
  const incNames = include.map((t) => nameOf(t, index)).join(", ");
  const excNames = exclude.map((t) => nameOf(t, index)).join(", ");
  if (inc === "no") return { result: "no", why: `its locations (${incNames}) do not contain ${where}` };
  if (exc === "yes") return { result: "no", why: `its excluded locations (${excNames}) contain ${where}` };
  if (inc === "yes" && exc === "no") return { result: "yes", why: `its locations take ${where}` };
  const unknown = index.known ? "" : " (the named locations could not be read)";
  const open = [...(inc === "maybe" ? include : []), ...(exc === "maybe" ? exclude : [])];
  const missing: MissingFactId[] = index.known && trustedIpsOpen(open, index, c) ? ["mfa-trusted-ips"] : [];
  return { result: "maybe", why: `locations: whether ${where} is in ${inc === "maybe" ? incNames : excNames} is unknown${unknown}`, missing };
}
