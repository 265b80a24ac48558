/**
 * The registry of Graph facts: every fact the collector reads, each defined in its own file
 * beside this one (its requests, version, permission, paging, licence, pacing budget, the words
 * the doctor and failure reasons use, its zod schema and normaliser). The collector, the pacer,
 * the doctor and the poisoned-run path iterate this object; none of them lists facts.
 *
 * Adding a fact: write `lib/graph/facts/<fact>.ts` exporting a FactDefinition, add one line
 * below, and add the field to TenantFacts in lib/model/facts.ts (the type below then demands
 * the line). The order of the lines is the order requests are batched and the doctor probes.
 */
import type { Fact, FactKey } from "../../model/facts.js";
import { account } from "./account.js";
import { appPermissions } from "./app-permissions.js";
import { authMethods } from "./auth-methods.js";
import { conditionalAccessPolicies } from "./conditional-access-policies.js";
import { domainPasswordPolicies } from "./domain-password-policies.js";
import type { FactDefinition, FactRecord, FactRequest, FactValue, UrlContext } from "./definition.js";
import { membership } from "./membership.js";
import { namedLocations } from "./named-locations.js";
import { perUserMfa } from "./per-user-mfa.js";
import { registrationCampaign } from "./registration-campaign.js";
import { registrationDetails } from "./registration-details.js";
import { riskyUser } from "./risky-user.js";
import { roleAssignmentInstances } from "./role-assignment-instances.js";
import { roleAssignments } from "./role-assignments.js";
import { roleEligibility } from "./role-eligibility.js";
import { securityDefaults } from "./security-defaults.js";
import { sessionRevocation } from "./session-revocation.js";
import { signInActivity } from "./sign-in-activity.js";
import { signIns } from "./sign-ins.js";
import { signInContexts } from "./sign-in-contexts.js";

type FactRegistry = { readonly [K in FactKey]: FactDefinition<FactValue<K>, K> };

export const FACTS: FactRegistry = {
  account,
  membership,
  roleAssignments,
  roleEligibility,
  roleAssignmentInstances,
  conditionalAccessPolicies,
  securityDefaults,
  authMethods,
  registrationDetails,
  registrationCampaign,
  perUserMfa,
  domainPasswordPolicies,
  signInActivity,
  riskyUser,
  signInContexts,
  namedLocations,
  sessionRevocation,
  signIns,
  appPermissions,
};

/** Every fact, in the registry's order. */
export const FACT_KEYS: readonly FactKey[] = Object.keys(FACTS) as FactKey[];

/** One value per fact, made by `make` for each key in the registry's order. */
export function factRecord(make: <K extends FactKey>(key: K) => Fact<FactValue<K>>): FactRecord {
  // fromEntries loses the pairing of each key with its own value type; `make` guarantees it.
  return Object.fromEntries(FACT_KEYS.map((key) => [key, make(key)])) as unknown as FactRecord;
}

/** The requests of a fact: one each today (a definition may read several lists merged into one fact). */
export function factRequests(fact: FactKey, ctx: UrlContext): readonly FactRequest[] {
  return FACTS[fact].requests(ctx);
}

/** Relative URL (to the version) of a fact's first request. */
export function factUrl(fact: FactKey, ctx: UrlContext): string {
  return FACTS[fact].requests(ctx)[0].url;
}

export { accountUrl } from "./account.js";
export { licenceNeeded } from "./definition.js";
export type { FactDefinition, FactRequestSpec, FactValue, Licence, UrlContext } from "./definition.js";
