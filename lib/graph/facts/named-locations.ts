/**
 * The tenant's Conditional Access named locations: `GET /v1.0/identity/conditionalAccess/namedLocations`
 * (Policy.Read.All; learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations).
 * `#microsoft.graph.ipNamedLocation` carries `ipRanges` (`cidrAddress` of iPv4CidrRange /
 * iPv6CidrRange) and `isTrusted`; `#microsoft.graph.countryNamedLocation` carries
 * `countriesAndRegions`, `includeUnknownCountriesAndRegions` and `countryLookupMethod`
 * (learn.microsoft.com/graph/api/resources/ipnamedlocation, …/countrynamedlocation). Counted
 * against the tenant's Conditional Access budget (1 request/s), and read only when due
 * (lib/runner/observations.ts): with the contexts, or when a policy names a location not known yet.
 */
import { z } from "zod";
import type { NamedLocationFact } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
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
};
