/** Every Conditional Access policy of the tenant, kept whole: `identity/conditionalAccess/policies`. */
import { z } from "zod";
import type { CaPolicy } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { parseList, str, stringList, type Normalised } from "./parse.js";

const caUsersSchema = z.looseObject({
  includeUsers: stringList,
  excludeUsers: stringList,
  includeGroups: stringList,
  excludeGroups: stringList,
  includeRoles: stringList,
  excludeRoles: stringList,
});

const caApplicationsSchema = z.looseObject({
  includeApplications: stringList,
  excludeApplications: stringList,
  includeUserActions: stringList,
  includeAuthenticationContextClassReferences: stringList,
});

const caConditionsSchema = z.looseObject({
  users: caUsersSchema.nullish(),
  applications: caApplicationsSchema.nullish(),
  clientAppTypes: stringList,
  locations: z.looseObject({ includeLocations: stringList, excludeLocations: stringList }).nullish(),
  platforms: z.looseObject({ includePlatforms: stringList, excludePlatforms: stringList }).nullish(),
  signInRiskLevels: stringList,
  userRiskLevels: stringList,
  // A flag-enum string in Graph ("none", "minor,moderate"); tolerated as a list too.
  insiderRiskLevels: z.union([z.string(), z.array(z.string())]).nullish(),
  devices: z.looseObject({ deviceFilter: z.looseObject({ mode: z.string().optional(), rule: z.string().optional() }).nullish() }).nullish(),
  authenticationFlows: z.looseObject({ transferMethods: z.string().nullish() }).nullish(),
});

const caGrantControlsSchema = z.looseObject({
  operator: z.string().nullish(),
  builtInControls: stringList,
  customAuthenticationFactors: stringList,
  termsOfUse: stringList,
  authenticationStrength: z.looseObject({ id: z.string().optional(), displayName: z.string().nullish() }).nullish(),
});

const caPolicySchema = z.looseObject({
  id: str,
  displayName: str,
  state: str,
  conditions: caConditionsSchema.nullish().transform((v) => v ?? null),
  grantControls: caGrantControlsSchema.nullish().transform((v) => v ?? null),
  sessionControls: z
    .looseObject({})
    .nullish()
    .transform((v) => v ?? null),
});

/** Drops OData annotations (`@odata.type`, `x@odata.type`, …) at every depth; keeps every other field. */
function stripODataAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripODataAnnotations);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("@odata.")) continue;
    out[k] = stripODataAnnotations(v);
  }
  return out;
}

export function toCaPolicies(values: readonly unknown[]): Normalised<CaPolicy[]> {
  return parseList(caPolicySchema, values.map(stripODataAnnotations));
}

export const conditionalAccessPolicies: FactDefinition<readonly CaPolicy[], "conditionalAccessPolicies"> = {
  fact: "conditionalAccessPolicies",
  version: "v1.0",
  permission: "Policy.Read.All",
  paged: true,
  needsObjectId: false,
  // 1 request per second per tenant, shared with every other app: paced, never retried into.
  budget: "ca",
  reads: "the Conditional Access policies",
  subject: "the Conditional Access policies",
  requests: () => [{ id: "conditionalAccessPolicies", url: graphPath([{ raw: "identity/conditionalAccess/policies" }]) }],
  normalise: toCaPolicies,
};
