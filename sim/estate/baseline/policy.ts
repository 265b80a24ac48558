/**
 * One baseline policy from a short specification. The baseline's conventions live here, once:
 * the display name is `BLnn <what it does>`, the id and the policy's own exclusion group follow from
 * `nn`, and every policy that targets people excludes the emergency-access group and its own
 * exclusion group (unless its specification says it forgets the emergency-access group, as real
 * tenants sometimes do).
 */
import type { GraphCaPolicy, JsonObject } from "../../types.js";
import { action, complex, date, entityPath, enumValue, enums, navigation, strings } from "./wire.js";
import { GROUP, codeName, exclusionGroupId, policyId } from "./directory.js";

export interface UsersSpec {
  include?: string[];
  exclude?: string[];
  includeGroups?: string[];
  /** Beyond the emergency-access group and the policy's own exclusion group. */
  excludeGroups?: string[];
  includeRoles?: string[];
  excludeRoles?: string[];
  includeGuests?: JsonObject;
  excludeGuests?: JsonObject;
  /** The policy excludes only its own exclusion group. */
  forgetsEmergencyAccess?: true;
}

export interface AppsSpec {
  include?: string[];
  exclude?: string[];
  userActions?: string[];
  authenticationContexts?: string[];
  filter?: JsonObject;
}

export interface SessionSpec {
  signInFrequency?: { value: number; type: "hours" | "days" } | "everyTime";
  persistentBrowser?: "never" | "always";
  continuousAccessEvaluation?: "strictLocation" | "strictEnforcement" | "disabled";
  applicationEnforcedRestrictions?: true;
  cloudAppSecurity?: "monitorOnly" | "blockDownloads" | "mcasConfigured";
}

export interface PolicySpec {
  /** 1–99: the `BLnn` of the name, the end of the id and of the exclusion group's id. */
  code: number;
  /** What it does, after `BLnn `. */
  name: string;
  state?: "enabled" | "enabledForReportingButNotEnforced" | "disabled";
  users: UsersSpec;
  apps: AppsSpec;
  clientAppTypes?: string[];
  platforms?: { include: string[]; exclude?: string[] };
  locations?: { include: string[]; exclude?: string[] };
  deviceFilter?: JsonObject;
  /** A flags enum: `deviceCodeFlow,authenticationTransfer`. */
  authenticationFlows?: string;
  signInRisk?: string[];
  userRisk?: string[];
  /** A flags enum: `elevated`. */
  insiderRisk?: string;
  /** A flags enum: `medium,high`. */
  agentIdRisk?: string;
  agentIdentities?: { include?: string[]; exclude?: string[]; filter?: JsonObject };
  grant?: { controls?: string[]; operator?: "AND" | "OR"; strength?: (path: string) => JsonObject; termsOfUse?: string[] };
  session?: SessionSpec;
}

const POLICIES = "identity/conditionalAccess/policies";

const displayName = (spec: Pick<PolicySpec, "code" | "name">): string => `${codeName(spec.code)} ${spec.name}`;

/** A policy for agents or workload identities includes the user `None`: it has no people to exclude. */
export const targetsPeople = (spec: PolicySpec): boolean => !(spec.users.include?.length === 1 && spec.users.include[0] === "None");

function users(spec: PolicySpec): JsonObject {
  const u = spec.users;
  const own = targetsPeople(spec) ? [...(u.forgetsEmergencyAccess ? [] : [GROUP.emergencyAccess.id]), exclusionGroupId(spec.code)] : [];
  return complex("conditionalAccessUsers", {
    includeUsers: strings(u.include),
    excludeUsers: strings(u.exclude),
    includeGroups: strings(u.includeGroups),
    excludeGroups: strings([...own, ...(u.excludeGroups ?? [])]),
    includeRoles: strings(u.includeRoles),
    excludeRoles: strings(u.excludeRoles),
    includeGuestsOrExternalUsers: u.includeGuests ?? null,
    excludeGuestsOrExternalUsers: u.excludeGuests ?? null,
  });
}

function conditions(spec: PolicySpec): JsonObject {
  const { apps, platforms, locations, agentIdentities } = spec;
  return complex("conditionalAccessConditionSet", {
    userRiskLevels: enums("riskLevel", spec.userRisk),
    signInRiskLevels: enums("riskLevel", spec.signInRisk),
    servicePrincipalRiskLevels: enums("riskLevel"),
    clientAppTypes: enums("conditionalAccessClientApp", spec.clientAppTypes ?? ["all"]),
    insiderRiskLevels: enumValue("conditionalAccessInsiderRiskLevels", spec.insiderRisk),
    agentIdRiskLevels: enumValue("conditionalAccessAgentIdRiskLevels", spec.agentIdRisk),
    platforms: platforms
      ? complex("conditionalAccessPlatforms", {
          includePlatforms: enums("conditionalAccessDevicePlatform", platforms.include),
          excludePlatforms: enums("conditionalAccessDevicePlatform", platforms.exclude),
        })
      : null,
    locations: locations
      ? complex("conditionalAccessLocations", { includeLocations: strings(locations.include), excludeLocations: strings(locations.exclude) })
      : null,
    times: null,
    deviceStates: null,
    devices: spec.deviceFilter
      ? complex("conditionalAccessDevices", {
          includeDeviceStates: strings(),
          excludeDeviceStates: strings(),
          includeDevices: strings(),
          excludeDevices: strings(),
          deviceFilter: spec.deviceFilter,
        })
      : null,
    authenticationFlows: spec.authenticationFlows
      ? complex("conditionalAccessAuthenticationFlows", { transferMethods: enumValue("conditionalAccessTransferMethods", spec.authenticationFlows) })
      : null,
    clientApplications: agentIdentities
      ? complex("conditionalAccessClientApplications", {
          includeServicePrincipals: strings(),
          excludeServicePrincipals: strings(),
          servicePrincipalFilter: null,
          includeAgentIdServicePrincipals: strings(agentIdentities.include),
          excludeAgentIdServicePrincipals: strings(agentIdentities.exclude),
          agentIdServicePrincipalFilter: agentIdentities.filter ?? null,
        })
      : null,
    applications: complex("conditionalAccessApplications", {
      includeApplications: strings(apps.include),
      excludeApplications: strings(apps.exclude),
      includeUserActions: strings(apps.userActions),
      includeAuthenticationContextClassReferences: strings(apps.authenticationContexts),
      applicationFilter: apps.filter ?? null,
    }),
    users: users(spec),
  });
}

function grantControls(spec: PolicySpec, path: string): JsonObject | null {
  const g = spec.grant;
  if (!g) return null;
  return {
    ...complex("conditionalAccessGrantControls", {
      operator: g.operator ?? "OR",
      builtInControls: enums("conditionalAccessGrantControl", g.controls),
      customAuthenticationFactors: strings(),
      termsOfUse: strings(g.termsOfUse),
    }),
    ...navigation(`${path}/grantControls`, "authenticationStrength", g.strength ? g.strength(`${path}/grantControls/authenticationStrength`) : null),
  };
}

function signInFrequency(value: SessionSpec["signInFrequency"]): JsonObject {
  const every = value === "everyTime";
  return complex("signInFrequencySessionControl", {
    value: every ? null : value!.value,
    type: every ? null : enumValue("signinFrequencyType", value!.type),
    authenticationType: enumValue("signInFrequencyAuthenticationType", "primaryAndSecondaryAuthentication"),
    frequencyInterval: enumValue("signInFrequencyInterval", every ? "everyTime" : "timeBased"),
    isEnabled: true,
  });
}

function sessionControls(s: SessionSpec | undefined): JsonObject | null {
  if (!s) return null;
  return complex("conditionalAccessSessionControls", {
    disableResilienceDefaults: null,
    applicationEnforcedRestrictions: s.applicationEnforcedRestrictions ? complex("applicationEnforcedRestrictionsSessionControl", { isEnabled: true }) : null,
    cloudAppSecurity: s.cloudAppSecurity
      ? complex("cloudAppSecuritySessionControl", {
          cloudAppSecurityType: enumValue("cloudAppSecuritySessionControlType", s.cloudAppSecurity),
          isEnabled: true,
        })
      : null,
    signInFrequency: s.signInFrequency ? signInFrequency(s.signInFrequency) : null,
    persistentBrowser: s.persistentBrowser
      ? complex("persistentBrowserSessionControl", { mode: enumValue("persistentBrowserSessionMode", s.persistentBrowser), isEnabled: true })
      : null,
    continuousAccessEvaluation: s.continuousAccessEvaluation
      ? complex("continuousAccessEvaluationSessionControl", { mode: enumValue("continuousAccessEvaluationMode", s.continuousAccessEvaluation) })
      : null,
    secureSignInSession: null,
  });
}

/** The policy as Graph beta lists it: created when the baseline was first rolled out, modified at its last review. */
export function policy(spec: PolicySpec): GraphCaPolicy {
  const id = policyId(spec.code);
  const path = entityPath(POLICIES, id);
  const minute = String(spec.code % 60).padStart(2, "0");
  const state = spec.state ?? "enabled";
  const body = complex(
    "conditionalAccessPolicy",
    {
      id,
      templateId: null,
      displayName: displayName(spec),
      createdDateTime: date(`2025-09-15T08:${minute}:00Z`),
      modifiedDateTime: date(`2026-01-26T13:${minute}:00Z`),
      state: enumValue("conditionalAccessPolicyState", state),
      deletedDateTime: null,
      partialEnablementStrategy: null,
      sessionControls: sessionControls(spec.session),
      conditions: conditions(spec),
    },
    { "@odata.id": path, "@odata.editLink": path },
  );
  // id, displayName and state keep their places in body; grantControls and the restore action follow.
  return { ...body, id, displayName: displayName(spec), state, grantControls: grantControls(spec, path), ...action(path, "restore") };
}
