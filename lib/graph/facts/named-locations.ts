/**
 * The tenant's Conditional Access named locations: `GET /v1.0/identity/conditionalAccess/namedLocations`
 * (Policy.Read.All; learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations).
 * `#microsoft.graph.ipNamedLocation` carries `ipRanges` (`cidrAddress` of iPv4CidrRange /
 * iPv6CidrRange) and `isTrusted`; `#microsoft.graph.countryNamedLocation` carries
 * `countriesAndRegions`, `includeUnknownCountriesAndRegions` and `countryLookupMethod`
 * (learn.microsoft.com/graph/api/resources/ipnamedlocation, …/countrynamedlocation). Counted
 * against the tenant's Conditional Access budget (1 request/s), and read only when due: with the
 * contexts (once per SIGNIN_CONTEXT_HOURS period), or when a policy names a location not known yet.
 * Never in the batch that carries the policies (two Conditional Access requests in one batch earn
 * the second a 429): when due they are read in the round after, once the pacer has room, unless
 * the caller keeps no state (then every run is a first run and they ride in the batches).
 */
import { z } from "zod";
import type { NamedLocationFact, TenantFacts } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import type { ReadWhenDue } from "./due.js";
import { contextsPeriodDue } from "./sign-in-contexts.js";
import { map, nullableStr, parseList, type Normalised } from "./parse.js";

/** Ranges kept across all locations: the state row stays small; a location cut short says so (`truncated`). */
const MAX_STORED_CIDRS = 1000;

const rangeSchema = z.looseObject({ cidrAddress: z.string().nullish() });
const locationSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: z.string(),
  displayName: z.string(),
  modifiedDateTime: nullableStr,
  isTrusted: z.boolean().nullish(),
  ipRanges: z.array(rangeSchema).nullish(),
  countriesAndRegions: z.array(z.string()).nullish(),
  includeUnknownCountriesAndRegions: z.boolean().nullish(),
  countryLookupMethod: nullableStr,
});

type Location = z.output<typeof locationSchema>;

function kindOf(l: Location): NamedLocationFact["kind"] {
  const type = (l["@odata.type"] ?? "").toLowerCase();
  if (type.endsWith("ipnamedlocation") || l.ipRanges) return "ip";
  if (type.endsWith("countrynamedlocation") || l.countriesAndRegions) return "country";
  return "other";
}

function toNamedLocations(values: readonly unknown[]): Normalised<NamedLocationFact[]> {
  return map(parseList(locationSchema, values), (list) => {
    let budget = MAX_STORED_CIDRS;
    return list.map((l) => {
      const all = (l.ipRanges ?? []).map((r) => r.cidrAddress ?? "").filter((c) => c !== "");
      const cidrs = all.slice(0, Math.max(0, budget));
      budget -= cidrs.length;
      return {
        id: l.id.toLowerCase(),
        displayName: l.displayName,
        kind: kindOf(l),
        isTrusted: l.isTrusted ?? false,
        cidrs,
        truncated: cidrs.length < all.length,
        countries: (l.countriesAndRegions ?? []).map((c) => c.toUpperCase()),
        includeUnknownCountriesAndRegions: l.includeUnknownCountriesAndRegions ?? false,
        countryLookupMethod: l.countryLookupMethod,
        modifiedDateTime: l.modifiedDateTime,
      };
    });
  });
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

export const locationsDue: ReadWhenDue<readonly NamedLocationFact[]> = {
  after: ["conditionalAccessPolicies"],
  due: (previous, run) => {
    if (previous === undefined) return "read";
    const policies = run.read.conditionalAccessPolicies;
    if (policies === undefined) return "carry";
    const last = previous?.reads.namedLocations;
    if (!last?.fact.ok || contextsPeriodDue(previous, run)) return "read";
    return unknownLocations(policies, last.fact.value, previous?.observed?.locationsUnknownIds) ? "read" : "carry";
  },
};

export const namedLocations: FactDefinition<readonly NamedLocationFact[], "namedLocations"> = {
  fact: "namedLocations",
  version: "v1.0",
  permission: "Policy.Read.All",
  paged: true,
  needsObjectId: false,
  budget: "ca",
  reads: "the Conditional Access named locations",
  subject: "the named locations",
  requests: () => [{ id: "namedLocations", url: graphPath([{ raw: "identity/conditionalAccess/namedLocations" }]) }],
  normalise: toNamedLocations,
  readWhenDue: locationsDue,
};
