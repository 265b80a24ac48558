/** The applications, client app types and narrowing-conditions clauses of the Conditional Access evaluation, one row each. */
import { describe, it } from "vitest";
import { policy } from "./builders.js";
import type { Row } from "./evaluate-policy-helpers.js";
import { EXCHANGE, GRAPH, apps, expectRow } from "./evaluate-policy-helpers.js";

const rows: Row[] = [
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
];

describe("evaluatePolicy", () => {
  it.each(rows)("$name → $effect", expectRow);
});
