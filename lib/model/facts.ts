/**
 * The facts the collector reads from Microsoft Graph for one tenant, as plain data.
 * The rules in lib/checks are pure functions of these facts, so every field here is already
 * validated and normalised: no `@odata` noise the rules would have to know about, but unknown
 * policy fields are kept (see CaPolicy) because the evidence stored in snapshots should be whole.
 */

import type { AppPermissionsFact, NamedLocationFact, SignInContext, WhatIfFact } from "./observed-facts.js";
export type { AppPermissionsFact, NamedLocationFact, SignInContext, WhatIfAnswer, WhatIfFact } from "./observed-facts.js";
import type { RoleAssignmentFact, RoleAssignmentInstanceFact } from "./role-facts.js";
export type { RoleAssignmentFact, RoleAssignmentInstanceFact } from "./role-facts.js";

/** Why a fact could not be read. `unlicensed` is not a failure of monitoring: the check is skipped. */
export type FactErrorCode =
  | "forbidden" // 401/403: consent revoked or a permission missing
  | "unlicensed" // the tenant lacks the licence the endpoint needs (e.g. Entra ID P1)
  | "throttled" // still 429 after the retries
  | "unavailable" // 5xx after the retries, network error, timeout
  | "invalid-response" // the answer did not have the documented shape
  | "dependency"; // not requested because a fact it needs (usually the account id) is missing

/**
 * On a fact this run did not read but carried forward from an earlier read (a fact read only when
 * due, lib/graph/facts/due.ts): when that read was. Absent on a fact read in this run.
 */
export interface CarriedMark {
  readonly readAt: string;
}

export type Fact<T> =
  | { readonly ok: true; readonly value: T; readonly carried?: CarriedMark }
  | {
      readonly ok: false;
      readonly carried?: CarriedMark;
      readonly code: FactErrorCode;
      /** One sentence a person can act on, e.g. "Graph answered 403: grant Policy.Read.All". */
      readonly reason: string;
      /** The application permission the request needs, when the failure is a 401/403. */
      readonly permission?: string;
      /** HTTP status Graph answered, when there was one. */
      readonly httpStatus?: number;
    };

export const GLOBAL_ADMIN_TEMPLATE_ID = "62e90394-69f5-4237-9190-012177145e10";

export interface AccountFact {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string | null;
  readonly accountEnabled: boolean | null;
  readonly onPremisesSyncEnabled: boolean | null;
  readonly userType: string | null;
  /**
   * For the next-sign-in checks: `passwordPolicies` ("DisablePasswordExpiration, DisableStrongPassword"), the last
   * password change, the time before which refresh tokens are void, and whether a password change
   * is forced at next sign-in (`passwordProfile.forceChangePasswordNextSignIn`). Optional so an
   * account read before they were selected (a stored snapshot, a poisoned run) still parses; null =
   * Graph answered without it.
   */
  readonly passwordPolicies?: string | null;
  readonly lastPasswordChangeDateTime?: string | null;
  readonly signInSessionsValidFromDateTime?: string | null;
  readonly forceChangePasswordNextSignIn?: boolean | null;
}

/** One domain of the tenant with the password lifetime it imposes on its users (`GET /domains`). */
export interface DomainPasswordFact {
  readonly id: string;
  readonly isDefault: boolean;
  /** Days a password stays valid; null = Graph's default (90); 2147483647 = never expires. */
  readonly passwordValidityPeriodInDays: number | null;
}

/** `signInActivity` of the account (Entra ID P1): the last successful sign-in, interactive or not. */
export interface SignInActivityFact {
  readonly lastSuccessfulSignInDateTime: string | null;
  readonly lastSignInDateTime: string | null;
  readonly lastNonInteractiveSignInDateTime: string | null;
}

/** The account's Identity Protection record (Entra ID P2); riskLevel `none` when it has none. */
export interface RiskyUserFact {
  readonly riskLevel: "none" | "low" | "medium" | "high" | "hidden" | (string & {});
  readonly riskState: "none" | "atRisk" | "confirmedCompromised" | "remediated" | "dismissed" | (string & {});
  readonly riskDetail: string | null;
  readonly riskLastUpdatedDateTime: string | null;
}

/** One directory audit event on the account (who did what to it, when). */
export interface AuditEventFact {
  readonly activityDateTime: string;
  /** activityDisplayName ("Revoke user sessions", "Reset user password", …); "" when Graph gave none. */
  readonly activity: string;
  /** `success`, `failure`, … as Graph says; null when absent. */
  readonly result: string | null;
  /** The user's UPN (or name), or the app's name (or id), that initiated it; null when the log does not say. */
  readonly initiatedBy: string | null;
  readonly initiatorKind: "user" | "app" | null;
}

/** The audit events on the account around the time its sessions were revoked, as Graph listed them (newest first). */
export interface SessionRevocationFact {
  readonly events: readonly AuditEventFact[];
}

export interface GroupRef {
  readonly id: string;
  readonly displayName: string | null;
}

/** An activated directory role (`#microsoft.graph.directoryRole` in transitiveMemberOf). */
export interface DirectoryRoleRef {
  readonly id: string;
  readonly displayName: string | null;
  readonly roleTemplateId: string;
}

export interface MembershipFact {
  /** Every group the account is in, directly or through nesting. */
  readonly groups: readonly GroupRef[];
  /** Every active directory role the account holds, directly or through a role-assignable group. */
  readonly roles: readonly DirectoryRoleRef[];
}

/** A Conditional Access policy as Graph returns it (v1.0 or beta), unknown fields kept. */
export interface CaPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly state: "enabled" | "disabled" | "enabledForReportingButNotEnforced" | (string & {});
  readonly conditions: CaConditions | null;
  readonly grantControls: CaGrantControls | null;
  readonly sessionControls: CaSessionControls | null;
  readonly [key: string]: unknown;
}

export interface CaConditions {
  readonly users?: CaUsers | null;
  readonly applications?: CaApplications | null;
  readonly clientAppTypes?: readonly string[] | null;
  readonly locations?: { readonly includeLocations?: readonly string[] | null; readonly excludeLocations?: readonly string[] | null } | null;
  readonly platforms?: { readonly includePlatforms?: readonly string[] | null; readonly excludePlatforms?: readonly string[] | null } | null;
  readonly signInRiskLevels?: readonly string[] | null;
  readonly userRiskLevels?: readonly string[] | null;
  readonly insiderRiskLevels?: string | readonly string[] | null;
  readonly devices?: { readonly deviceFilter?: { readonly mode?: string; readonly rule?: string } | null; readonly [key: string]: unknown } | null;
  readonly authenticationFlows?: { readonly transferMethods?: string | null; readonly [key: string]: unknown } | null;
  readonly [key: string]: unknown;
}

export interface CaUsers {
  readonly includeUsers?: readonly string[] | null;
  readonly excludeUsers?: readonly string[] | null;
  readonly includeGroups?: readonly string[] | null;
  readonly excludeGroups?: readonly string[] | null;
  readonly includeRoles?: readonly string[] | null;
  readonly excludeRoles?: readonly string[] | null;
  readonly includeGuestsOrExternalUsers?: unknown;
  readonly excludeGuestsOrExternalUsers?: unknown;
  readonly [key: string]: unknown;
}

export interface CaApplications {
  readonly includeApplications?: readonly string[] | null;
  readonly excludeApplications?: readonly string[] | null;
  readonly includeUserActions?: readonly string[] | null;
  readonly includeAuthenticationContextClassReferences?: readonly string[] | null;
  readonly applicationFilter?: unknown;
  readonly [key: string]: unknown;
}

export interface CaGrantControls {
  readonly operator?: string | null;
  readonly builtInControls?: readonly string[] | null;
  readonly customAuthenticationFactors?: readonly string[] | null;
  readonly termsOfUse?: readonly string[] | null;
  readonly authenticationStrength?: { readonly id?: string; readonly displayName?: string | null; readonly [key: string]: unknown } | null;
  readonly [key: string]: unknown;
}

export interface CaSessionControls {
  readonly [key: string]: unknown;
}

export interface SecurityDefaultsFact {
  readonly isEnabled: boolean;
}

export type PerUserMfaState = "disabled" | "enabled" | "enforced";

export interface PerUserMfaFact {
  readonly perUserMfaState: PerUserMfaState;
}

/** One entry of /users/{id}/authentication/methods; `type` is the `@odata.type` without the prefix. */
export interface AuthMethodFact {
  readonly id: string;
  /** e.g. "passwordAuthenticationMethod", "microsoftAuthenticatorAuthenticationMethod". */
  readonly type: string;
  /** A label safe to show (device name, masked phone number), never a secret. */
  readonly label: string | null;
}

/** /reports/authenticationMethods/userRegistrationDetails/{id}. */
export interface RegistrationDetailsFact {
  readonly isMfaRegistered: boolean;
  readonly isMfaCapable: boolean | null;
  readonly methodsRegistered: readonly string[];
  readonly lastUpdatedDateTime: string | null;
}

export interface CampaignTarget {
  readonly id: string;
  readonly targetType: string; // "user" | "group"; id "all_users" means everyone
  /** Include targets only: `microsoftAuthenticator` or `fido2` (a passkey). Absent in facts stored before it was read. */
  readonly targetedAuthenticationMethod?: string | null;
}

/** registrationEnforcement.authenticationMethodsRegistrationCampaign of the methods policy. */
export interface RegistrationCampaignFact {
  readonly state: "default" | "enabled" | "disabled" | (string & {});
  readonly snoozeDurationInDays: number | null;
  readonly includeTargets: readonly CampaignTarget[];
  readonly excludeTargets: readonly CampaignTarget[];
}

export interface SignInFact {
  readonly id: string;
  readonly createdDateTime: string;
  readonly appDisplayName: string | null;
  readonly appId: string | null;
  /** The resource's app id, lower case (Azure Resource Manager: 797f4846-…). */
  readonly resourceId: string | null;
  readonly resourceDisplayName: string | null;
  readonly ipAddress: string | null;
  readonly errorCode: number;
  readonly failureReason: string | null;
  readonly conditionalAccessStatus: string | null;
  readonly isInteractive: boolean | null;
  readonly clientAppUsed?: string | null; // these three: what an emergency access sign-in notice names; absent in facts stored before
  readonly city?: string | null;
  readonly countryOrRegion?: string | null;
}

/** Everything known about one tenant's connection account after one collection. */
export interface TenantFacts {
  readonly tenantId: string;
  /** ISO time the collection started. */
  readonly collectedAt: string;
  /** The UPN or object id the tenant registered as its connection account. */
  readonly accountRef: string;
  /** `null` value = Graph answered 404: the account does not exist (an answer, not an error). */
  readonly account: Fact<AccountFact | null>;
  readonly membership: Fact<MembershipFact>;
  readonly roleAssignments: Fact<readonly RoleAssignmentFact[]>;
  readonly roleEligibility: Fact<readonly RoleAssignmentFact[]>;
  /** The account's active role assignments as PIM schedules them (Entra ID P2): whether each ends, whether it is an activation. */
  readonly roleAssignmentInstances: Fact<readonly RoleAssignmentInstanceFact[]>;
  readonly conditionalAccessPolicies: Fact<readonly CaPolicy[]>;
  readonly securityDefaults: Fact<SecurityDefaultsFact>;
  readonly perUserMfa: Fact<PerUserMfaFact>;
  readonly authMethods: Fact<readonly AuthMethodFact[]>;
  readonly registrationDetails: Fact<RegistrationDetailsFact>;
  readonly registrationCampaign: Fact<RegistrationCampaignFact>;
  /** The tenant's domains: the account's UPN suffix names the one whose password lifetime applies. */
  readonly domainPasswordPolicies: Fact<readonly DomainPasswordFact[]>;
  /** The account's last sign-ins (Entra ID P1). */
  readonly signInActivity: Fact<SignInActivityFact>;
  /** The account's user risk (Entra ID P2). */
  readonly riskyUser: Fact<RiskyUserFact>;
  /**
   * Who revoked the account's sessions (the audit log around signInSessionsValidFromDateTime); read
   * only when they were revoked after its last successful sign-in, else `null` (nothing to explain).
   */
  readonly sessionRevocation: Fact<SessionRevocationFact | null>;
  /** Sign-ins of the account since collectedAt minus the look-back window, newest first. */
  readonly signIns: Fact<readonly SignInFact[]>;
  /** Distinct contexts of the account's recent sign-ins (successful ones too), newest first. */
  readonly signInContexts: Fact<readonly SignInContext[]>;
  /** The tenant's named locations (what a location condition names). */
  readonly namedLocations: Fact<readonly NamedLocationFact[]>;
  /** The Graph permissions the app holds in the tenant, against the ones the checks need (absent: not compared). */
  readonly appPermissions: Fact<AppPermissionsFact>;
  readonly requiredPermissions?: readonly string[];
  /** The look-back window the sign-ins were read for. */
  readonly signInLookbackHours: number;
  /** Microsoft's What If answers, when the cross-check ran or was carried over (absent: not attempted). */
  readonly whatIf?: WhatIfFact;
  /** Days of warning before a deadline (PASSWORD_EXPIRY_WARN_DAYS, MANAGED_POLICY_WARN_DAYS, ROLE_END_WARN_DAYS); the checks default to 14. */
  readonly warnDays?: WarnDays;
}

/** `roleEnd` is optional: facts stored before it existed carry only the other two. */
export type WarnDays = { readonly passwordExpiry: number; readonly managedPolicy: number; readonly roleEnd?: number };

/** The facts read from Graph, by name: every key of TenantFacts that holds a Fact (here, so the pure checks need not import lib/graph). */
type NotFacts = "tenantId" | "collectedAt" | "accountRef" | "signInLookbackHours" | "warnDays" | "whatIf" | "requiredPermissions";
export type FactKey = Exclude<keyof TenantFacts, NotFacts>;
