/**
 * Turns a tenant file (sim/estate/tenants/*.json) into the TenantData the sim serves: fills in
 * the documented defaults (Security Defaults off, registration campaign off, password only),
 * expands shared policy sets (the project's own baseline) and generated policies, and generates
 * the account's routine sign-ins relative to the sim's clock.
 */
import type {
  GraphCaPolicy,
  GraphDirectoryRole,
  GraphGroup,
  GraphRoleAssignment,
  GraphUser,
  JsonObject,
  PerUserMfaState,
  RoleAssignmentSchedule,
  SimSignIn,
  TenantData,
} from "../types.js";
import { baselineGroups, baselineNamedLocations, baselinePolicies } from "./baseline/index.js";
import securityDefaults from "./defaults/identitySecurityDefaultsEnforcementPolicy.json" with { type: "json" };
import authMethodsPolicy from "./defaults/authenticationMethodsPolicy.json" with { type: "json" };
import { generatedGroups, generatePolicies, type ManyPoliciesSpec } from "./many-policies.js";
import { stableGuid } from "./ids.js";
import { withEmergencyAccess, type EmergencyAccessSpec } from "./emergency-access.js";

export type Expected = "compliant" | "drifted" | "unknown";

export type MonitoredAccountKind = "connection" | "emergency-access";

/** A monitored account of the tenant besides `account`, as an operator registers it (UPN or object id). */
export interface MonitoredAccountFile {
  readonly ref: string;
  readonly kind: MonitoredAccountKind;
}

/** The JSON file format of one sample tenant. Everything but the header is optional. */
export interface TenantFile {
  tenantId: string;
  displayName: string;
  /** What the tenant demonstrates, one line. */
  scenario: string;
  /** Tenant status Drift Monitor should report with the strict profile. */
  expected: Expected;
  /** The connection account registered for the tenant (UPN). */
  account: string;
  consent?: "granted" | "revoked";
  /** Both by default; `entraIdP2` defaults to `entraIdP1` (a tenant with P1 and without P2 says `"entraIdP2": false`). */
  licenses?: { entraIdP1: boolean; entraIdP2?: boolean };
  users: GraphUser[];
  groups?: GraphGroup[];
  groupMembers?: Record<string, string[]>;
  directoryRoles?: GraphDirectoryRole[];
  roleAssignments?: GraphRoleAssignment[];
  roleEligibilityScheduleInstances?: GraphRoleAssignment[];
  /** PIM's schedule of active assignments, by `roleAssignments` id (TenantData.roleAssignmentSchedules); absent: all permanent. */
  roleAssignmentSchedules?: Record<string, RoleAssignmentSchedule>;
  conditionalAccessPolicies?: GraphCaPolicy[];
  /** Shared policy sets merged in before the tenant's own: "baseline" = sim/estate/baseline (its policies, groups and named locations). */
  conditionalAccessPolicySets?: "baseline"[];
  generatedConditionalAccessPolicies?: ManyPoliciesSpec;
  identitySecurityDefaultsEnforcementPolicy?: JsonObject;
  authenticationMethodsPolicy?: JsonObject;
  perUserMfa?: Record<string, PerUserMfaState>;
  authenticationMethods?: Record<string, JsonObject[]>;
  userRegistrationDetails?: Record<string, JsonObject>;
  signIns?: SimSignIn[];
  /** The tenant's domains (default: one per UPN suffix, passwords never expire). */
  domains?: JsonObject[];
  /** userId → riskyUser (Identity Protection). */
  riskyUsers?: Record<string, JsonObject>;
  /** Directory audit events (wire shape). */
  directoryAudits?: JsonObject[];
  /** Hourly successful sign-ins of the account over the last two days (default true). */
  routineSignIns?: boolean;
  /** The tenant's other monitored accounts, in registration order; a connection account gets routine sign-ins too. */
  monitoredAccounts?: MonitoredAccountFile[];
  /** Emergency-access accounts, expanded into users, roles, methods, memberships and sign-ins (./emergency-access.ts). */
  emergencyAccessAccounts?: EmergencyAccessSpec[];
}

const ROLE_NAMES: Record<string, string> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
};

/** `seed` tells a further connection account's sign-ins apart; the first account's ids stay as they always were. */
function routineSignIns(tenantId: string, user: GraphUser, seed: string[] = []): SimSignIn[] {
  const out: SimSignIn[] = [];
  for (let hour = 1; hour <= 48; hour += 1) {
    out.push({
      id: stableGuid(tenantId, "signin", ...seed, String(hour)),
      minutesAgo: hour * 60 - 7,
      userId: user.id,
      userPrincipalName: user.userPrincipalName,
      userDisplayName: (user.displayName as string | undefined) ?? null,
      appId: "1950a258-227b-4e31-a9cf-717495945fc2",
      appDisplayName: "Microsoft Azure PowerShell",
      resourceId: "00000003-0000-0000-c000-000000000000",
      resourceDisplayName: "Microsoft Graph",
      ipAddress: "20.61.13.77",
      clientAppUsed: "Mobile Apps and Desktop clients",
      correlationId: stableGuid(tenantId, "correlation", ...seed, String(hour)),
      conditionalAccessStatus: "notApplied",
      isInteractive: false,
      signInEventTypes: ["nonInteractiveUser"],
      authenticationRequirement: "singleFactorAuthentication",
      userType: "member",
      riskDetail: "none",
      riskLevelAggregated: "none",
      riskLevelDuringSignIn: "none",
      riskState: "none",
      status: { errorCode: 0, failureReason: "Other.", additionalDetails: null },
      location: { city: "Amsterdam", state: "Noord-Holland", countryOrRegion: "NL", geoCoordinates: { altitude: null, latitude: 52.37, longitude: 4.89 } },
      appliedConditionalAccessPolicies: [],
    });
  }
  return out;
}

/** Routine sign-ins of every connection account the file names: `account` first, then the further ones. */
function connectionSignIns(f: TenantFile): SimSignIn[] {
  if (f.routineSignIns === false) return [];
  const byRef = (ref: string) => f.users.find((u) => u.userPrincipalName.toLowerCase() === ref.toLowerCase() || u.id === ref.toLowerCase());
  const first = byRef(f.account);
  const out = first ? routineSignIns(f.tenantId, first) : [];
  for (const extra of f.monitoredAccounts ?? []) {
    const user = extra.kind === "connection" ? byRef(extra.ref) : undefined;
    if (user) out.push(...routineSignIns(f.tenantId, user, [user.id]));
  }
  return out;
}

export function toTenantData(file: TenantFile): TenantData {
  const f = withEmergencyAccess(structuredClone(file), file.emergencyAccessAccounts ?? []);
  const sets = f.conditionalAccessPolicySets ?? [];
  const policies: GraphCaPolicy[] = [];
  const groups: GraphGroup[] = [...(f.groups ?? [])];
  const namedLocations: JsonObject[] = [];
  if (sets.includes("baseline")) {
    policies.push(...baselinePolicies());
    groups.push(...baselineGroups());
    namedLocations.push(...baselineNamedLocations());
  }
  policies.push(...(f.conditionalAccessPolicies ?? []));
  if (f.generatedConditionalAccessPolicies) {
    policies.push(...generatePolicies(f.tenantId, f.generatedConditionalAccessPolicies));
    for (const g of generatedGroups(f.tenantId)) {
      groups.push({ ...g, description: null, securityEnabled: true, mailEnabled: false, groupTypes: [], isAssignableToRole: null, membershipRule: null });
    }
  }
  const roleAssignments = f.roleAssignments ?? [];
  const directoryRoles = [...(f.directoryRoles ?? [])];
  // Every role with an active assignment is activated in the directory, so it has a directoryRole.
  for (const templateId of new Set(roleAssignments.map((a) => a.roleDefinitionId))) {
    if (!directoryRoles.some((r) => r.roleTemplateId === templateId)) {
      directoryRoles.push({ id: stableGuid(f.tenantId, "role", templateId), displayName: ROLE_NAMES[templateId] ?? templateId, roleTemplateId: templateId });
    }
  }
  const signIns = [...(f.signIns ?? []), ...connectionSignIns(f)];
  return {
    tenantId: f.tenantId.toLowerCase(),
    displayName: f.displayName,
    consent: f.consent ?? "granted",
    licenses: { entraIdP1: f.licenses?.entraIdP1 ?? true, entraIdP2: f.licenses?.entraIdP2 ?? f.licenses?.entraIdP1 ?? true },
    users: f.users,
    groups,
    groupMembers: f.groupMembers ?? {},
    directoryRoles,
    roleAssignments,
    roleEligibilityScheduleInstances: f.roleEligibilityScheduleInstances ?? [],
    ...(f.roleAssignmentSchedules ? { roleAssignmentSchedules: f.roleAssignmentSchedules } : {}),
    conditionalAccessPolicies: policies,
    identitySecurityDefaultsEnforcementPolicy: { ...structuredClone(securityDefaults as JsonObject), ...(f.identitySecurityDefaultsEnforcementPolicy ?? {}) },
    authenticationMethodsPolicy: { ...structuredClone(authMethodsPolicy as unknown as JsonObject), ...(f.authenticationMethodsPolicy ?? {}) },
    perUserMfa: f.perUserMfa ?? {},
    authenticationMethods: f.authenticationMethods ?? {},
    userRegistrationDetails: f.userRegistrationDetails ?? {},
    signIns,
    ...(f.domains ? { domains: f.domains } : {}),
    ...(f.riskyUsers ? { riskyUsers: f.riskyUsers } : {}),
    ...(f.directoryAudits ? { directoryAudits: f.directoryAudits } : {}),
    ...(namedLocations.length > 0 ? { namedLocations } : {}),
  };
}
