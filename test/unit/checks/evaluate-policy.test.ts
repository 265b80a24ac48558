/** Every clause and effect of the Conditional Access evaluation, one row each. */
import { describe, expect, it } from "vitest";
import { evaluatePolicy, getProfile, type AccountContext } from "../../../lib/checks/index.js";
import type { CaEffect, CaPolicy } from "../../../lib/model/index.js";
import { ACCOUNT_ID, context, failed, GROUP, membership, OTHER_USER, ok, policy, ROLE } from "./builders.js";

const strict = getProfile("strict")!;
const GRAPH = "00000003-0000-0000-c000-000000000000";
const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
const users = (u: Record<string, unknown>) => ({
  users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], ...u },
});
const apps = (a: Record<string, unknown>) => ({ applications: { includeApplications: [], excludeApplications: [], includeUserActions: [], ...a } });

const noMembership = context({ membership: failed("forbidden", "Graph answered 403", "GroupMember.Read.All") });
const noAssignments = context({ roleAssignments: failed("forbidden", "Graph answered 403", "RoleManagement.Read.Directory") });
/** The account holds Global Administrator only through a direct assignment, in no group. */
const directOnly = context({ membership: ok(membership({ groups: [], roles: [] })) });

interface Row {
  name: string;
  policy: CaPolicy;
  ctx?: AccountContext;
  effect: CaEffect;
  reason?: string | RegExp;
  conditions?: string[];
  controls?: string[];
}

const rows: Row[] = [
  // Clause 1: users
  { name: "include All", policy: policy(), effect: "blocking", reason: "included via all users", controls: ["mfa"] },
  {
    name: "include the account by id",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID] }) }),
    effect: "blocking",
    reason: "included via user (the account itself)",
  },
  { name: "include by id, case-insensitive", policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID.toUpperCase()] }) }), effect: "blocking" },
  {
    name: "include another user only",
    policy: policy({ conditions: users({ includeUsers: [OTHER_USER] }) }),
    effect: "not-targeted",
    reason: /not among its included/,
  },
  {
    name: "include via transitive group",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id] }) }),
    effect: "blocking",
    reason: "included via group Automation accounts",
  },
  { name: "include a group the account is not in", policy: policy({ conditions: users({ includeGroups: [GROUP.other.id] }) }), effect: "not-targeted" },
  {
    name: "include via active role (directoryRole)",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    effect: "blocking",
    reason: "included via role Global Administrator",
  },
  {
    name: "include via direct role assignment",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    ctx: directOnly,
    effect: "blocking",
    reason: "included via role Global Administrator",
  },
  { name: "include a role the account does not hold", policy: policy({ conditions: users({ includeRoles: [ROLE.securityAdmin] }) }), effect: "not-targeted" },
  {
    name: "exclude the account by id",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }),
    effect: "excluded",
    reason: "excluded via user (the account itself)",
  },
  {
    name: "exclude via group (wins over include by id)",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID], excludeGroups: [GROUP.automation.id] }) }),
    effect: "excluded",
    reason: "excluded via group Automation accounts",
  },
  {
    name: "exclude via role",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id], excludeRoles: [ROLE.globalAdmin] }) }),
    effect: "excluded",
    reason: "excluded via role Global Administrator",
  },
  {
    name: "exclude a group the account is not in",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGroups: [GROUP.other.id] }) }),
    effect: "blocking",
  },
  { name: "None", policy: policy({ conditions: users({ includeUsers: ["None"] }) }), effect: "not-targeted", reason: "targets no users (None)" },
  {
    name: "GuestsOrExternalUsers",
    policy: policy({ conditions: users({ includeUsers: ["GuestsOrExternalUsers"] }) }),
    effect: "not-targeted",
    reason: /only guests or external users/,
  },
  {
    name: "includeGuestsOrExternalUsers object",
    policy: policy({
      conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest", externalTenants: { membershipKind: "all" } } }),
    }),
    effect: "not-targeted",
    reason: /only guests/,
  },
  {
    name: "excludeGuestsOrExternalUsers does not remove a member",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: "internalGuest" } }) }),
    effect: "blocking",
  },
  { name: "no users condition (workload identities)", policy: policy({ conditions: { users: null } }), effect: "not-targeted", reason: /workload identities/ },

  // Unknown membership
  {
    name: "include via groups, membership unreadable",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /GroupMember\.Read\.All/,
  },
  {
    name: "include All, excluded groups unreadable",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGroups: [GROUP.automation.id] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /included via all users; whether an excluded group/,
  },
  {
    name: "excluded by id, membership unreadable",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id], excludeUsers: [ACCOUNT_ID] }) }),
    ctx: noMembership,
    effect: "excluded",
  },
  {
    name: "include by id, no group excludes, membership unreadable",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID] }) }),
    ctx: noMembership,
    effect: "blocking",
  },
  {
    name: "include via role, assignments unreadable but role seen in memberOf",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    ctx: noAssignments,
    effect: "blocking",
  },
  // transitiveMemberOf lists every active directory-wide role (also through role-assignable groups):
  // with it read, the role set is complete for Conditional Access; direct assignments only add evidence.
  {
    name: "include via other role, assignments unreadable",
    policy: policy({ conditions: users({ includeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noAssignments,
    effect: "not-targeted",
  },
  {
    name: "exclude via other role, assignments unreadable",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noAssignments,
    effect: "blocking",
    reason: "included via all users",
  },
  {
    name: "include via other role, membership unreadable",
    policy: policy({ conditions: users({ includeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /GroupMember\.Read\.All/,
  },
  {
    name: "unknown scope but apps not covered",
    policy: policy({ conditions: { ...users({ includeGroups: [GROUP.automation.id] }), ...apps({ includeApplications: ["None"] }) } }),
    ctx: noMembership,
    effect: "not-applicable",
  },

  // Clause 2: applications
  { name: "Office365 covers Exchange", policy: policy({ conditions: apps({ includeApplications: ["Office365"] }) }), effect: "blocking" },
  { name: "specific app id: Graph", policy: policy({ conditions: apps({ includeApplications: [GRAPH] }) }), effect: "blocking" },
  {
    name: "Graph excluded, nothing else included",
    policy: policy({ conditions: apps({ includeApplications: [GRAPH], excludeApplications: [GRAPH] }) }),
    effect: "not-applicable",
    reason: /excluded applications/,
  },
  {
    name: "All but Office365 excluded still covers Graph",
    policy: policy({ conditions: apps({ includeApplications: ["All"], excludeApplications: ["Office365"] }) }),
    effect: "blocking",
  },
  {
    name: "Office365 with Exchange excluded still covers SharePoint",
    policy: policy({ conditions: apps({ includeApplications: ["Office365"], excludeApplications: [EXCHANGE] }) }),
    effect: "blocking",
  },
  {
    name: "other app only",
    policy: policy({ conditions: apps({ includeApplications: ["d4ebce55-015a-49b5-a083-c84d1797ae8c"] }) }),
    effect: "not-applicable",
    reason: /not ones the account signs in to/,
  },
  { name: "MicrosoftAdminPortals", policy: policy({ conditions: apps({ includeApplications: ["MicrosoftAdminPortals"] }) }), effect: "not-applicable" },
  { name: "AllAgentIdResources", policy: policy({ conditions: apps({ includeApplications: ["AllAgentIdResources"] }) }), effect: "not-applicable" },
  {
    name: "None application",
    policy: policy({ conditions: apps({ includeApplications: ["None"] }) }),
    effect: "not-applicable",
    reason: /applications are None/,
  },
  {
    name: "user actions only",
    policy: policy({ conditions: apps({ includeUserActions: ["urn:user:registersecurityinfo"] }) }),
    effect: "not-applicable",
    reason: /only user actions \(urn:user:registersecurityinfo\)/,
  },
  {
    name: "authentication contexts only",
    policy: policy({ conditions: apps({ includeAuthenticationContextClassReferences: ["c1"] }) }),
    effect: "not-applicable",
    reason: /only authentication contexts/,
  },
  {
    name: "application filter (include) with no app listed",
    policy: policy({ conditions: apps({ applicationFilter: { mode: "include", rule: 'CustomSecurityAttribute.x -eq "y"' } }) }),
    effect: "conditional",
    conditions: ["application filter (include): covers only apps whose custom security attributes match"],
  },
  {
    name: "application filter (exclude): all resources except tagged apps still covers the account's apps",
    policy: policy({ conditions: apps({ includeApplications: ["All"], applicationFilter: { mode: "exclude", rule: 'CustomSecurityAttribute.x -eq "y"' } }) }),
    effect: "blocking",
  },
  {
    name: "application filter (exclude) cannot cover apps the policy does not include",
    policy: policy({
      conditions: apps({ includeApplications: ["MicrosoftAdminPortals"], applicationFilter: { mode: "exclude", rule: 'CustomSecurityAttribute.x -eq "y"' } }),
    }),
    effect: "not-applicable",
  },

  // Clause 3: client app types
  { name: "client types empty", policy: policy({ conditions: { clientAppTypes: [] } }), effect: "blocking" },
  { name: "client types include browser", policy: policy({ conditions: { clientAppTypes: ["browser"] } }), effect: "blocking" },
  {
    name: "client types legacy only",
    policy: policy({ conditions: { clientAppTypes: ["exchangeActiveSync", "other"] } }),
    effect: "not-applicable",
    reason: /only legacy client apps/,
  },
  { name: "client types easSupported only", policy: policy({ conditions: { clientAppTypes: ["easSupported"] } }), effect: "not-applicable" },

  // Clause 4: narrowing conditions
  {
    name: "locations: bare include All",
    policy: policy({ conditions: { locations: { includeLocations: ["All"], excludeLocations: [] } } }),
    effect: "blocking",
  },
  {
    name: "locations: All except trusted",
    policy: policy({ conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } }),
    effect: "conditional",
    conditions: ["locations: All except 1 location"],
  },
  {
    name: "locations: named locations",
    policy: policy({ conditions: { locations: { includeLocations: ["loc-1", "loc-2"] } } }),
    effect: "conditional",
    conditions: ["locations: 2 locations"],
  },
  {
    name: "platforms: bare include all",
    policy: policy({ conditions: { platforms: { includePlatforms: ["all"], excludePlatforms: [] } } }),
    effect: "blocking",
  },
  {
    name: "platforms: some",
    policy: policy({ conditions: { platforms: { includePlatforms: ["android", "iOS"] } } }),
    effect: "conditional",
    conditions: ["platforms: android, iOS"],
  },
  {
    name: "platforms: all with excludes",
    policy: policy({ conditions: { platforms: { includePlatforms: ["all"], excludePlatforms: ["windows"] } } }),
    effect: "conditional",
    conditions: ["platforms: all except windows"],
  },
  { name: "sign-in risk", policy: policy({ conditions: { signInRiskLevels: ["high"] } }), effect: "conditional", conditions: ["sign-in risk: high"] },
  { name: "user risk", policy: policy({ conditions: { userRiskLevels: ["medium", "high"] } }), effect: "conditional", conditions: ["user risk: medium, high"] },
  {
    name: "insider risk (flags string)",
    policy: policy({ conditions: { insiderRiskLevels: "elevated" } }),
    effect: "conditional",
    conditions: ["insider risk: elevated"],
  },
  {
    name: "device filter",
    policy: policy({ conditions: { devices: { deviceFilter: { mode: "exclude", rule: "device.isCompliant -eq True" } } } }),
    effect: "conditional",
    conditions: ["device filter (exclude): device.isCompliant -eq True"],
  },
  {
    name: "legacy device state",
    policy: policy({ conditions: { devices: { includeDevices: ["All"], excludeDevices: ["Compliant"] } } }),
    effect: "conditional",
    conditions: ["device state"],
  },
  {
    name: "authentication flows",
    policy: policy({ conditions: { authenticationFlows: { transferMethods: "deviceCodeFlow,authenticationTransfer" } } }),
    effect: "conditional",
    conditions: ["authentication flows: deviceCodeFlow, authenticationTransfer"],
  },
  // A risk list with "none" also takes every risk-free sign-in, i.e. every normal one: it does not narrow.
  { name: "sign-in risk none and high", policy: policy({ conditions: { signInRiskLevels: ["none", "high"] } }), effect: "blocking" },
  { name: "sign-in risk none only", policy: policy({ conditions: { signInRiskLevels: ["none"] } }), effect: "blocking" },
  { name: "sign-in risk none, as a string", policy: policy({ conditions: { signInRiskLevels: "low,none" as unknown as string[] } }), effect: "blocking" },
  { name: "user risk none and medium", policy: policy({ conditions: { userRiskLevels: ["medium", "none"] } }), effect: "blocking" },
  { name: "user risk hidden", policy: policy({ conditions: { userRiskLevels: ["hidden"] } }), effect: "conditional", conditions: ["user risk: hidden"] },
  {
    name: "sign-in risk unknownFutureValue is ignored",
    policy: policy({ conditions: { signInRiskLevels: ["high", "unknownFutureValue"] } }),
    effect: "conditional",
    conditions: ["sign-in risk: high"],
  },
  { name: "sign-in risk unknownFutureValue only", policy: policy({ conditions: { signInRiskLevels: ["unknownFutureValue"] } }), effect: "blocking" },
  {
    name: "insider risk unknownFutureValue is ignored",
    policy: policy({ conditions: { insiderRiskLevels: "minor,unknownFutureValue" } }),
    effect: "conditional",
    conditions: ["insider risk: minor"],
  },
  { name: "insider risk unknownFutureValue only", policy: policy({ conditions: { insiderRiskLevels: "unknownFutureValue" } }), effect: "blocking" },
  // transferMethods is a flags enum: none and unknownFutureValue name no flow.
  { name: "authentication flows none", policy: policy({ conditions: { authenticationFlows: { transferMethods: "none" } } }), effect: "blocking" },
  {
    name: "authentication flows none,unknownFutureValue",
    policy: policy({ conditions: { authenticationFlows: { transferMethods: "none, unknownFutureValue" } } }),
    effect: "blocking",
  },
  {
    name: "authentication flows device code, with unknownFutureValue",
    policy: policy({ conditions: { authenticationFlows: { transferMethods: "deviceCodeFlow,unknownFutureValue" } } }),
    effect: "conditional",
    conditions: ["authentication flows: deviceCodeFlow"],
  },
  {
    name: "agent-only conditions do not narrow",
    policy: policy({ conditions: { agentIdRiskLevels: "high", servicePrincipalRiskLevels: [], clientApplications: null, agents: null, times: null } }),
    effect: "blocking",
  },

  // Clause 5: controls
  { name: "block", policy: policy({ grantControls: { operator: "OR", builtInControls: ["block"] } }), effect: "blocking", controls: ["block"] },
  {
    name: "compliant device AND hybrid joined",
    policy: policy({ grantControls: { operator: "AND", builtInControls: ["compliantDevice", "domainJoinedDevice"] } }),
    effect: "blocking",
    controls: ["compliantDevice", "domainJoinedDevice"],
  },
  {
    name: "approved or compliant app, OR",
    policy: policy({ grantControls: { operator: "OR", builtInControls: ["approvedApplication", "compliantApplication"] } }),
    effect: "blocking",
  },
  {
    name: "password change",
    policy: policy({ grantControls: { operator: "AND", builtInControls: ["mfa", "passwordChange"] } }),
    effect: "blocking",
    controls: ["mfa", "passwordChange"],
  },
  {
    name: "authentication strength",
    policy: policy({
      grantControls: {
        operator: "OR",
        builtInControls: [],
        authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA" },
      },
    }),
    effect: "blocking",
    controls: ["authentication strength Phishing-resistant MFA"],
  },
  {
    name: "terms of use",
    policy: policy({ grantControls: { operator: "OR", builtInControls: [], termsOfUse: ["tou-1"] } }),
    effect: "blocking",
    controls: ["terms of use"],
  },
  {
    name: "custom control",
    policy: policy({ grantControls: { operator: "OR", customAuthenticationFactors: ["Duo"] } }),
    effect: "blocking",
    controls: ["custom control Duo"],
  },
  {
    name: "session controls only",
    policy: policy({ grantControls: null, sessionControls: { signInFrequency: { value: 1, type: "hours", isEnabled: true }, persistentBrowser: null } }),
    effect: "session-only",
    reason: "included via all users; session controls only (sign-in frequency)",
  },
  {
    name: "session control switched off is no control",
    policy: policy({ grantControls: { operator: "OR", builtInControls: [] }, sessionControls: { signInFrequency: { isEnabled: false } } }),
    effect: "not-applicable",
    reason: /no grant or session controls/,
  },
  {
    name: "continuous access evaluation disabled is no control",
    policy: policy({ grantControls: null, sessionControls: { continuousAccessEvaluation: { mode: "disabled" } } }),
    effect: "not-applicable",
    reason: /no grant or session controls/,
  },
  {
    name: "continuous access evaluation strict location is a session control",
    policy: policy({ grantControls: null, sessionControls: { continuousAccessEvaluation: { mode: "strictLocation" } } }),
    effect: "session-only",
    reason: "included via all users; session controls only (continuous access evaluation)",
  },
  {
    name: "grant and session controls: the grant control decides",
    policy: policy({ sessionControls: { applicationEnforcedRestrictions: { isEnabled: true } } }),
    effect: "blocking",
  },

  // State
  {
    name: "report-only that would block",
    policy: policy({ state: "enabledForReportingButNotEnforced" }),
    effect: "report-only",
    reason: /would block if enforced/,
  },
  {
    name: "report-only that would apply conditionally",
    policy: policy({ state: "enabledForReportingButNotEnforced", conditions: { signInRiskLevels: ["high"] } }),
    effect: "report-only",
    conditions: ["sign-in risk: high"],
  },
  {
    name: "report-only session-only",
    policy: policy({
      state: "enabledForReportingButNotEnforced",
      grantControls: null,
      sessionControls: { persistentBrowser: { mode: "never", isEnabled: true } },
    }),
    effect: "report-only",
    reason: /session controls only \(persistent browser\); report-only, would set session controls/,
  },
  {
    name: "report-only, excluded",
    policy: policy({ state: "enabledForReportingButNotEnforced", conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }),
    effect: "excluded",
  },
];

describe("evaluatePolicy", () => {
  it.each(rows)("$name → $effect", (row) => {
    const f = evaluatePolicy(row.policy, row.ctx ?? context(), strict);
    expect(f).not.toBeNull();
    expect(f?.effect).toBe(row.effect);
    if (typeof row.reason === "string") expect(f?.reason).toBe(row.reason);
    if (row.reason instanceof RegExp) expect(f?.reason).toMatch(row.reason);
    if (row.conditions) expect(f?.conditions).toEqual(row.conditions);
    if (row.controls) expect(f?.controls).toEqual(row.controls);
    expect(f).toMatchObject({ policyId: row.policy.id, policyName: row.policy.displayName, state: row.policy.state });
  });

  it("skips a disabled policy", () => {
    expect(evaluatePolicy(policy({ state: "disabled" }), context(), strict)).toBeNull();
  });

  it("lists no conditions for a blocking policy and no controls for a pass", () => {
    const blocking = evaluatePolicy(policy(), context(), strict);
    expect(blocking?.conditions).toBeUndefined();
    const excluded = evaluatePolicy(policy({ conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }), context(), strict);
    expect(excluded?.controls).toBeUndefined();
  });

  it("reads the account's apps and client types from the profile, not from built-in constants", () => {
    const graphOnly = { ...strict, signInApps: [GRAPH] };
    expect(evaluatePolicy(policy({ conditions: apps({ includeApplications: ["Office365"] }) }), context(), graphOnly)?.effect).toBe("not-applicable");
    const legacyClient = { ...strict, clientAppTypes: ["exchangeActiveSync"] };
    expect(evaluatePolicy(policy({ conditions: { clientAppTypes: ["exchangeActiveSync"] } }), context(), legacyClient)?.effect).toBe("blocking");
  });

  it("accepts a policy with null conditions parts and unknown fields", () => {
    const odd = policy({
      conditions: { applications: null, clientAppTypes: null, locations: null, platforms: null, futureCondition: { x: 1 } },
      futureField: true,
    });
    expect(evaluatePolicy(odd, context(), strict)?.effect).toBe("blocking");
  });
});
