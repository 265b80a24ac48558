/** Small builders for the rules' inputs: a compliant tenant's facts, CA policies, failed facts. */
import { GLOBAL_ADMIN_TEMPLATE_ID } from "../../../lib/model/index.js";
import type {
  AccountFact,
  CaConditions,
  CaPolicy,
  Fact,
  FactErrorCode,
  MembershipFact,
  RoleAssignmentFact,
  RoleAssignmentInstanceFact,
  TenantFacts,
} from "../../../lib/model/index.js";
import { buildAccountContext, type AccountContext } from "../../../lib/checks/index.js";

export const TENANT_ID = "11111111-1111-1111-1111-111111111111";
export const ACCOUNT_ID = "aaaaaaaa-0000-0000-0000-000000000001";
export const OTHER_USER = "bbbbbbbb-0000-0000-0000-000000000002";
export const COLLECTED_AT = "2026-01-02T12:00:00.000Z";

export const GROUP = {
  automation: { id: "99999999-0000-0000-0000-00000000000a", displayName: "Automation accounts" },
  admins: { id: "99999999-0000-0000-0000-00000000000b", displayName: "Tenant admins" },
  other: { id: "99999999-0000-0000-0000-00000000000c", displayName: "Sales" },
} as const;

export const ROLE = {
  globalAdmin: GLOBAL_ADMIN_TEMPLATE_ID,
  securityAdmin: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  exchangeAdmin: "29232cdf-9323-42fd-ade2-1d097af3e4de",
} as const;

export function ok<T>(value: T): Fact<T> {
  return { ok: true, value };
}

export function failed<T>(code: FactErrorCode, reason = `Graph could not answer (${code})`, permission?: string): Fact<T> {
  return permission ? { ok: false, code, reason, permission, httpStatus: 403 } : { ok: false, code, reason };
}

export const account = (over: Partial<AccountFact> = {}): AccountFact => ({
  id: ACCOUNT_ID,
  userPrincipalName: "svc-connect@contoso.com",
  displayName: "Connection account",
  accountEnabled: true,
  onPremisesSyncEnabled: null,
  userType: "Member",
  passwordPolicies: "DisablePasswordExpiration",
  lastPasswordChangeDateTime: "2025-06-01T00:00:00Z",
  signInSessionsValidFromDateTime: "2025-06-01T00:00:00Z",
  forceChangePasswordNextSignIn: false,
  ...over,
});

export const gaAssignment = (over: Partial<RoleAssignmentFact> = {}): RoleAssignmentFact => ({
  id: "assignment-1",
  roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID,
  principalId: ACCOUNT_ID,
  directoryScopeId: "/",
  ...over,
});

/** A PIM schedule instance of Global Administrator: permanent, assigned directly, unless overridden. */
export const gaInstance = (over: Partial<RoleAssignmentInstanceFact> = {}): RoleAssignmentInstanceFact => ({
  ...gaAssignment({ id: "instance-1" }),
  assignmentType: "Assigned",
  memberType: "Direct",
  startDateTime: null,
  endDateTime: null,
  ...over,
});

export const membership = (over: Partial<MembershipFact> = {}): MembershipFact => ({
  groups: [GROUP.automation],
  roles: [{ id: "role-object-1", displayName: "Global Administrator", roleTemplateId: GLOBAL_ADMIN_TEMPLATE_ID }],
  ...over,
});

/** A compliant tenant under the strict profile. */
export function facts(over: Partial<TenantFacts> = {}): TenantFacts {
  return {
    tenantId: TENANT_ID,
    collectedAt: COLLECTED_AT,
    accountRef: "svc-connect@contoso.com",
    account: ok(account()),
    membership: ok(membership()),
    roleAssignments: ok([gaAssignment()]),
    roleEligibility: ok([]),
    roleAssignmentInstances: ok([gaInstance()]),
    conditionalAccessPolicies: ok([]),
    securityDefaults: ok({ isEnabled: false }),
    perUserMfa: ok({ perUserMfaState: "disabled" }),
    authMethods: ok([{ id: "28c10230-6103-485e-b985-444c60001490", type: "passwordAuthenticationMethod", label: null }]),
    registrationDetails: failed("unlicensed", "Graph answered 403: the tenant needs Entra ID P1"),
    registrationCampaign: ok({ state: "disabled", snoozeDurationInDays: 1, includeTargets: [], excludeTargets: [] }),
    domainPasswordPolicies: ok([{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 2147483647 }]),
    signInActivity: ok({
      lastSuccessfulSignInDateTime: "2026-01-02T11:00:00Z",
      lastSignInDateTime: "2026-01-02T11:00:00Z",
      lastNonInteractiveSignInDateTime: null,
    }),
    riskyUser: ok({ riskLevel: "none", riskState: "none", riskDetail: null, riskLastUpdatedDateTime: null }),
    signIns: ok([]),
    sessionRevocation: ok(null),
    signInContexts: ok([]),
    namedLocations: ok([]),
    appPermissions: ok({ granted: [] }),
    requiredPermissions: [],
    signInLookbackHours: 24,
    whatIf: { status: "evaluated", evaluatedAt: COLLECTED_AT, answers: [], contexts: [] },
    ...over,
  };
}

type PolicyOver = Omit<Partial<CaPolicy>, "conditions"> & { conditions?: Partial<CaConditions> };

/** An enabled policy requiring MFA for all users, all apps, all client types; override any part. */
export function policy(over: PolicyOver = {}): CaPolicy {
  const { conditions, ...rest } = over;
  return {
    id: "00000000-0000-0000-0000-0000000000ca",
    displayName: "Require MFA for everyone",
    state: "enabled",
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      clientAppTypes: ["all"],
      ...conditions,
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
    sessionControls: null,
    ...rest,
  };
}

/** The account context for the default facts, or built from other membership facts. */
export function context(over: Partial<Pick<TenantFacts, "membership" | "roleAssignments">> = {}): AccountContext {
  const f = facts(over);
  return buildAccountContext(ACCOUNT_ID, f);
}
