/**
 * Generates a large, realistic-looking Conditional Access estate (hundreds of policies) for the
 * storage and paging tests: department and app policies that either target other groups or
 * exclude the connection account's exclusion group, in every state. None affects the account.
 */
import type { GraphCaPolicy } from "../types.js";
import { stableGuid } from "./ids.js";

export interface ManyPoliciesSpec {
  count: number;
  /** The group holding the connection account; every policy that could reach it excludes it. */
  excludeGroupId: string;
  breakGlassGroupId: string;
}

const DEPARTMENTS = ["Finance", "HR", "Sales", "Marketing", "Legal", "Engineering", "Support", "Operations", "Research", "Facilities"];
const CONTROLS: string[][] = [["mfa"], ["compliantDevice"], ["block"], ["compliantDevice", "domainJoinedDevice"], ["approvedApplication"]];
const APPS = ["All", "Office365", "00000003-0000-0ff1-ce00-000000000000", "00000002-0000-0ff1-ce00-000000000000", "797f4846-ba00-4fd7-ba43-dac1f8f63013"];
const STATES = ["enabled", "enabled", "enabled", "disabled", "enabledForReportingButNotEnforced"];

export function generatePolicies(tenantId: string, spec: ManyPoliciesSpec): GraphCaPolicy[] {
  const out: GraphCaPolicy[] = [];
  for (let i = 0; i < spec.count; i += 1) {
    const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const controls = CONTROLS[i % CONTROLS.length]!;
    const app = APPS[i % APPS.length]!;
    // Half the policies target a department group; the other half all users minus exclusions.
    const targetsAll = i % 2 === 0;
    const deptGroup = stableGuid(tenantId, "group", dept);
    out.push({
      id: stableGuid(tenantId, "policy", String(i)),
      templateId: null,
      displayName: `CA${String(100 + i).padStart(3, "0")} - ${dept} - ${controls.join(" + ")} for ${app === "All" ? "all apps" : app}`,
      createdDateTime: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
      modifiedDateTime: new Date(Date.UTC(2025, 5, 1) + i * 3_600_000).toISOString(),
      state: STATES[i % STATES.length]!,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: i % 7 === 0 ? ["high"] : [],
        clientAppTypes: ["all"],
        platforms: null,
        locations: null,
        times: null,
        deviceStates: null,
        devices: null,
        clientApplications: null,
        applications: {
          includeApplications: [app],
          excludeApplications: [],
          includeUserActions: [],
          includeAuthenticationContextClassReferences: [],
          applicationFilter: null,
        },
        users: {
          includeUsers: targetsAll ? ["All"] : [],
          excludeUsers: [],
          includeGroups: targetsAll ? [] : [deptGroup],
          excludeGroups: targetsAll ? [spec.breakGlassGroupId, spec.excludeGroupId] : [spec.breakGlassGroupId],
          includeRoles: [],
          excludeRoles: [],
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
      },
      grantControls: { operator: "OR", builtInControls: controls, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
      sessionControls: null,
    });
  }
  return out;
}

/** The department groups the generated policies target (the account is in none of them). */
export function generatedGroups(tenantId: string): { id: string; displayName: string }[] {
  return DEPARTMENTS.map((d) => ({ id: stableGuid(tenantId, "group", d), displayName: `Department - ${d}` }));
}
