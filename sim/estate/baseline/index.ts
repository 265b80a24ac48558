/**
 * The project's own Conditional Access baseline (README.md beside this file): the policies, the groups
 * and the named locations a tenant that deploys it has, in the wire format Graph beta returns. Each call
 * returns fresh objects, so a simulator or a test may change them.
 */
import type { GraphCaPolicy, GraphGroup, JsonObject } from "../../types.js";
import { GROUP, LOCATION, exclusionGroup } from "./directory.js";
import { POLICY_SPECS } from "./policies.js";
import { policy, targetsPeople } from "./policy.js";

export { GROUP as BASELINE_GROUP, exclusionGroupId } from "./directory.js";

export function baselinePolicies(): GraphCaPolicy[] {
  return POLICY_SPECS.map(policy);
}

/** The persona groups, then one exclusion group per policy that targets people. */
export function baselineGroups(): GraphGroup[] {
  const perPolicy = POLICY_SPECS.filter(targetsPeople).map((s) => exclusionGroup(s.code));
  return [...Object.values(GROUP), ...perPolicy].map((g) => structuredClone(g));
}

export function baselineNamedLocations(): JsonObject[] {
  return Object.values(LOCATION).map((l) => structuredClone(l));
}
