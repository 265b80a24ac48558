/**
 * The design's table of what is read, as data: one entry per fact, with the Graph version,
 * the permission a 401/403 names, whether it pages, and whether a licence answer is expected.
 * collect.ts turns these into batch sub-requests; nothing else knows a Graph path.
 */
import { graphPath, odataString } from "./odata.js";

export type GraphVersion = "v1.0" | "beta";

export type FactKey =
  | "account"
  | "membership"
  | "roleAssignments"
  | "roleEligibility"
  | "conditionalAccessPolicies"
  | "securityDefaults"
  | "perUserMfa"
  | "authMethods"
  | "registrationDetails"
  | "registrationCampaign"
  | "signIns";

export interface FactRequestSpec {
  readonly fact: FactKey;
  readonly version: GraphVersion;
  /** Application permission to grant when Graph answers 401/403. */
  readonly permission: string;
  /** Follow `@odata.nextLink` and concatenate `value`. */
  readonly paged: boolean;
  /** The endpoint needs Entra ID P1; a licence answer makes the fact `unlicensed`. */
  readonly premium: boolean;
  /** Needs the account's object id (everything but the account itself). */
  readonly needsObjectId: boolean;
}

export const FACT_SPECS: Readonly<Record<FactKey, FactRequestSpec>> = {
  account: { fact: "account", version: "v1.0", permission: "User.Read.All", paged: false, premium: false, needsObjectId: false },
  membership: { fact: "membership", version: "v1.0", permission: "GroupMember.Read.All", paged: true, premium: false, needsObjectId: true },
  roleAssignments: { fact: "roleAssignments", version: "v1.0", permission: "RoleManagement.Read.Directory", paged: true, premium: false, needsObjectId: true },
  roleEligibility: { fact: "roleEligibility", version: "v1.0", permission: "RoleManagement.Read.Directory", paged: true, premium: false, needsObjectId: true },
  conditionalAccessPolicies: { fact: "conditionalAccessPolicies", version: "v1.0", permission: "Policy.Read.All", paged: true, premium: false, needsObjectId: false },
  securityDefaults: { fact: "securityDefaults", version: "v1.0", permission: "Policy.Read.All", paged: false, premium: false, needsObjectId: false },
  authMethods: { fact: "authMethods", version: "v1.0", permission: "UserAuthenticationMethod.Read.All", paged: true, premium: false, needsObjectId: true },
  registrationDetails: { fact: "registrationDetails", version: "v1.0", permission: "AuditLog.Read.All", paged: false, premium: true, needsObjectId: true },
  registrationCampaign: { fact: "registrationCampaign", version: "v1.0", permission: "Policy.Read.All", paged: false, premium: false, needsObjectId: false },
  perUserMfa: { fact: "perUserMfa", version: "beta", permission: "Policy.Read.All", paged: false, premium: false, needsObjectId: true },
  signIns: { fact: "signIns", version: "beta", permission: "AuditLog.Read.All", paged: true, premium: true, needsObjectId: true },
};

const ACCOUNT_SELECT = "id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled,userType";

/** `GET /users/{upn-or-id}` — the one request that may run before the batches, by UPN or id. */
export function accountUrl(ref: string): string {
  return graphPath(["users", ref], { $select: ACCOUNT_SELECT });
}

export interface UrlContext {
  /** The account's object id (or, for `account`, the ref it was registered with). */
  readonly objectId: string;
  /** ISO instant: sign-ins created at or after it are read. */
  readonly signInsSince: string;
}

/** Relative URL (to the version) of each fact's first page. */
export function factUrl(fact: FactKey, ctx: UrlContext): string {
  const id = ctx.objectId;
  switch (fact) {
    case "account":
      return accountUrl(id);
    case "membership":
      return graphPath(["users", id, { raw: "transitiveMemberOf" }], { $select: "id,displayName,roleTemplateId", $top: 999 });
    case "roleAssignments":
      return graphPath([{ raw: "roleManagement/directory/roleAssignments" }], { $filter: `principalId eq ${odataString(id)}` });
    case "roleEligibility":
      return graphPath([{ raw: "roleManagement/directory/roleEligibilityScheduleInstances" }], { $filter: `principalId eq ${odataString(id)}` });
    case "conditionalAccessPolicies":
      return graphPath([{ raw: "identity/conditionalAccess/policies" }]);
    case "securityDefaults":
      return graphPath([{ raw: "policies/identitySecurityDefaultsEnforcementPolicy" }]);
    case "authMethods":
      return graphPath(["users", id, { raw: "authentication/methods" }]);
    case "registrationDetails":
      return graphPath([{ raw: "reports/authenticationMethods/userRegistrationDetails" }, id]);
    case "registrationCampaign":
      return graphPath([{ raw: "policies/authenticationMethodsPolicy" }]);
    case "perUserMfa":
      return graphPath(["users", id, { raw: "authentication/requirements" }]);
    case "signIns":
      // A DateTimeOffset literal is unquoted in OData; the ISO form has no characters to escape.
      return graphPath([{ raw: "auditLogs/signIns" }], { $filter: `userId eq ${odataString(id)} and createdDateTime ge ${ctx.signInsSince}` });
  }
}
