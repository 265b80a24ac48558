/**
 * The simulator's data model. Everything a tenant holds is stored in Graph's own wire shape
 * (plain JSON objects, `@odata` annotations allowed) so a handler can hand it out unchanged;
 * only the links between objects (group members, relative sign-in times) are sim-specific.
 */

/** A JSON object as Graph sends it. Fields the sim does not know are kept and served as-is. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** A Graph `user` (id, userPrincipalName, accountEnabled, onPremisesSyncEnabled, …). */
export interface GraphUser extends JsonObject {
  id: string;
  userPrincipalName: string;
}

/** A Graph `group`; `isAssignableToRole: true` lets it hold directory roles. */
export interface GraphGroup extends JsonObject {
  id: string;
  displayName: string;
}

/** An activated directory role (`directoryRole`), keyed by its `roleTemplateId`. */
export interface GraphDirectoryRole extends JsonObject {
  id: string;
  displayName: string;
  roleTemplateId: string;
}

/** A `unifiedRoleAssignment` or a `unifiedRoleEligibilityScheduleInstance`. */
export interface GraphRoleAssignment extends JsonObject {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

/**
 * PIM's schedule of one active role assignment: what its roleAssignmentScheduleInstance says
 * (learn.microsoft.com/graph/api/resources/unifiedroleassignmentscheduleinstance). Each field
 * absent: the default of an assignment made directly and permanently ("Assigned", "Direct", no dates).
 */
export interface RoleAssignmentSchedule {
  assignmentType?: "Assigned" | "Activated";
  memberType?: "Direct" | "Group" | "Inherited";
  startDateTime?: string | null;
  /** When it ends (ISO); null or absent: permanent. */
  endDateTime?: string | null;
}

export interface GraphCaPolicy extends JsonObject {
  id: string;
  displayName: string;
  state: string;
}

/**
 * A Graph `signIn`. Sample sign-ins carry `minutesAgo` instead of `createdDateTime` so they
 * stay recent relative to the sim's clock; the sim fills `createdDateTime` in when serving.
 */
export interface SimSignIn extends JsonObject {
  id: string;
  userId: string;
  createdDateTime?: string;
  minutesAgo?: number;
}

export type PerUserMfaState = "disabled" | "enabled" | "enforced";

/** One tenant as the sim serves it. Mutable: tests change it between runs. */
export interface TenantData {
  tenantId: string;
  displayName: string;
  /** `revoked`: token requests fail with AADSTS65001 and Graph answers 403 to everything. */
  consent: "granted" | "revoked";
  /**
   * Without Entra ID P1, reports and sign-ins answer 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant;
   * without Entra ID P2 (or Microsoft Entra ID Governance), PIM's roleEligibilityScheduleInstances and roleAssignmentScheduleInstances
   * answer 400 AadPremiumLicenseRequired.
   */
  licenses: { entraIdP1: boolean; entraIdP2: boolean };
  users: GraphUser[];
  groups: GraphGroup[];
  /** groupId → ids of its direct members (users or groups). */
  groupMembers: Record<string, string[]>;
  directoryRoles: GraphDirectoryRole[];
  /** Active assignments; one with `directoryScopeId: "/"` activates the role for its principal. */
  roleAssignments: GraphRoleAssignment[];
  roleEligibilityScheduleInstances: GraphRoleAssignment[];
  /**
   * PIM's schedule of the active assignments, by `roleAssignments` id: one here is time-bound or an
   * activation; absent, permanent (roleAssignmentScheduleInstances lists every active assignment).
   */
  roleAssignmentSchedules?: Record<string, RoleAssignmentSchedule>;
  conditionalAccessPolicies: GraphCaPolicy[];
  identitySecurityDefaultsEnforcementPolicy: JsonObject;
  authenticationMethodsPolicy: JsonObject;
  /** userId → per-user MFA state; absent = "disabled". */
  perUserMfa: Record<string, PerUserMfaState>;
  /** userId → authentication methods (each with `@odata.type`); absent = password only. */
  authenticationMethods: Record<string, JsonObject[]>;
  /** userId → userRegistrationDetails; absent = derived from the methods. */
  userRegistrationDetails: Record<string, JsonObject>;
  signIns: SimSignIn[];
  /** The tenant's domains (`GET /domains`); absent = one per UPN suffix, passwords never expiring (sim/handlers/domains.ts). */
  domains?: JsonObject[];
  /** userId → riskyUser (Identity Protection, P2); absent = no risk record (404). */
  riskyUsers?: Record<string, JsonObject>;
  /** Directory audit events (`GET /auditLogs/directoryAudits`, wire shape); absent = none. */
  directoryAudits?: JsonObject[];
  /** Conditional Access named locations (`ipNamedLocation` / `countryNamedLocation`, wire shape); absent = none. */
  namedLocations?: JsonObject[];
  /**
   * The Microsoft Graph application permissions granted to the app (its app role assignments); absent: the
   * sim's consented set (sim/handlers/service-principals.ts). An endpoint needing one not granted answers 403.
   */
  grantedPermissions?: string[];
  /**
   * Application permissions granted to other apps, by client id (lower case): a second app registration
   * (remediation's writer) gets these in its tokens' `roles` instead of `grantedPermissions`.
   */
  appGrants?: Record<string, string[]>;
  /** The service principals of the apps `appGrants` names, by client id, once created (`POST /servicePrincipals`). */
  appPrincipals?: Record<string, string>;
  /**
   * The app's service principal: absent, there since the tenant consented; `null`, not created yet
   * (`POST /servicePrincipals` creates it). `unassignableFor` is how many app role assignments are
   * still refused (404) before the new principal is visible, as Entra's replication delays it.
   */
  appServicePrincipal?: { id: string; unassignableFor: number } | null;
  /** How many assignments a newly created service principal refuses before it is visible (default 0). */
  servicePrincipalDelay?: number;
  /** Policy ids whose What If `policyApplies` the sim inverts: a test tells it to disagree. */
  whatIfDisagree?: string[];
}

export interface Estate {
  tenants: TenantData[];
  /** Partner (CSP) tenants with GDAP relationships to some of the tenants (sim/partner). */
  partners?: PartnerData[];
}

/** Names used for faults and counters (docs/contracts.md). */
export const ENDPOINTS = [
  "user",
  "transitiveMemberOf",
  "roleAssignments",
  "roleEligibility",
  "roleAssignmentInstances",
  "caPolicies",
  "securityDefaults",
  "perUserMfa",
  "authMethods",
  "registrationDetails",
  "authMethodsPolicy",
  "signIns",
  "directoryAudits",
  "domains",
  "riskyUsers",
  "namedLocations",
  "whatIf",
  "appRoleAssignments",
  "token",
  // Listing users by UPN prefix, and the partner side of GDAP (sim/handlers/partner-relationships.ts).
  "users",
  "delegatedAdminCustomers",
  "delegatedAdminRelationships",
  // Consent through GDAP (sim/handlers/app-consent.ts): the reads, then the two writes.
  "servicePrincipals",
  "createServicePrincipal",
  "assignAppRole",
  // Remediation's writes (sim/handlers/ca-policy-update.ts, auth-updates.ts).
  "updateCaPolicy",
  "updatePerUserMfa",
  "updateAuthMethodsPolicy",
  "updateUser",
] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

/** "echo-secret": 401 whose message quotes the credential sent (the bearer token; on the token endpoint, the client secret), as a careless upstream might. */
export type FaultKind = "429" | "429-no-retry-after" | "503" | "403" | "unlicensed" | "echo-secret";
export const FAULT_KINDS: readonly FaultKind[] = ["429", "429-no-retry-after", "503", "403", "unlicensed", "echo-secret"];

export interface FaultSpec {
  /** Only this tenant; absent = every tenant. */
  tenantId?: string;
  /** One endpoint, or "*" for all of them. */
  endpoint: EndpointName | "*";
  kind: FaultKind;
  /** How many answers the fault replaces; absent = until cleared. */
  times?: number;
  /** Retry-After for kind "429" (default 1). */
  retryAfterSeconds?: number;
}

export interface SimCounters {
  /** Every HTTP request the sim answered (Graph, token, metadata), control API excluded. */
  httpRequests: number;
  /** `POST /{version}/$batch` requests. */
  batchRequests: number;
  /** Requests carried inside batches. */
  subRequests: number;
  /** Graph requests per endpoint, top-level and batch sub-requests alike. */
  byEndpoint: Record<string, number>;
  /** Graph and token requests per tenant, top-level and batch sub-requests alike. */
  byTenant: Record<string, number>;
  /** HTTP round trips per tenant: a batch counts once, whatever it carries. */
  httpByTenant: Record<string, number>;
  /** 429 answers served, top-level and sub-requests. */
  throttled: number;
}

/** A response before it is written to the socket or into a batch. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: JsonValue | undefined;
}

/**
 * A Microsoft partner (CSP) tenant as the sim serves it: its customers and the granular delegated
 * admin (GDAP) relationships that give its admin agents roles in them. Wire shapes after
 * https://learn.microsoft.com/en-us/graph/api/resources/delegatedadmincustomer?view=graph-rest-1.0 and
 * https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationship?view=graph-rest-1.0.
 */

/** `delegatedAdminRelationshipStatus`: only `active` gives the partner any access. */
export type RelationshipStatus =
  "activating" | "active" | "approvalPending" | "approved" | "created" | "expired" | "expiring" | "terminated" | "terminating" | "terminationRequested";

export interface DelegatedAdminRelationship extends JsonObject {
  id: string;
  displayName: string;
  status: RelationshipStatus;
  customer: { tenantId: string; displayName: string };
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

export interface PartnerData {
  tenantId: string;
  displayName: string;
  /**
   * Object ids of the partner's users in its Admin agents group. Only they get answers from the
   * GDAP APIs and roles in customers; anyone else is refused with 403.
   */
  adminAgents: string[];
  /** `delegatedAdminCustomer` objects: `id` and `tenantId` are the customer's tenant id. */
  customers: JsonObject[];
  relationships: DelegatedAdminRelationship[];
}
