/**
 * The design's table of what is read, as data: one entry per fact, with the Graph version,
 * the permission a 401/403 names, whether it pages, and whether a licence answer is expected.
 * collect.ts turns these into batch sub-requests; nothing else knows a Graph path.
 */
import { MFA_OR_CA_ERROR_CODES } from "../checks/well-known.js";
import type { FactKey } from "../model/facts.js";
import { graphPath, keySegment, odataString } from "./odata.js";

export type GraphVersion = "v1.0" | "beta";

export type { FactKey };

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

/**
 * `GET /users('{upn-or-id}')` — the one request that may run before the batches, by UPN or id.
 * Key syntax, not `/users/{upn}`: Graph answers 400 to a UPN that starts with `$` in a path
 * segment (it reads it as a system segment such as `$count`), and reads a quote there as literal
 * syntax; inside `('…')` either is just part of the string.
 */
export function accountUrl(ref: string): string {
  return graphPath([keySegment("users", ref)], { $select: ACCOUNT_SELECT });
}

/**
 * The sign-in event types read. Beta's List signIns returns interactive sign-ins only unless the
 * filter names others (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta), and a
 * background account's failures are non-interactive (a token refresh interrupted by 50076 or
 * 53003): both lists are read, as two sub-requests of the same beta batch.
 */
export const SIGN_IN_EVENT_TYPES = ["interactiveUser", "nonInteractiveUser"] as const;
export type SignInEventType = (typeof SIGN_IN_EVENT_TYPES)[number];

/**
 * Only the failures the sign-ins check reads (lib/checks/well-known.ts): filtered by Graph, so a
 * busy account's thousands of successful token refreshes are never paged through.
 */
function errorCodeClause(): string {
  return `(${[...MFA_OR_CA_ERROR_CODES.keys()].map((code) => `status/errorCode eq ${code}`).join(" or ")})`;
}

/** `$filter` of one sign-in list: the account, the window, the event type, the failure codes. */
export function signInsFilter(objectId: string, since: string, eventType: SignInEventType): string {
  // A DateTimeOffset literal is unquoted in OData; the ISO form has no characters to escape.
  return `userId eq ${odataString(objectId)} and createdDateTime ge ${since} and signInEventTypes/any(t: t eq ${odataString(eventType)}) and ${errorCodeClause()}`;
}

export interface UrlContext {
  /** The account's object id (or, for `account`, the ref it was registered with). */
  readonly objectId: string;
  /** ISO instant: sign-ins created at or after it are read. */
  readonly signInsSince: string;
}

/** One request a fact is read with: its `$batch` sub-request id and relative URL. */
export interface FactRequest {
  readonly id: string;
  readonly url: string;
}

/**
 * The requests of a fact: one each, except the sign-ins, read as two lists (interactive and
 * non-interactive) whose answers the collector merges.
 */
export function factRequests(fact: FactKey, ctx: UrlContext): readonly FactRequest[] {
  if (fact === "signIns") {
    return SIGN_IN_EVENT_TYPES.map((type) => ({
      id: type === "interactiveUser" ? "signIns" : "signIns-nonInteractive",
      url: graphPath([{ raw: "auditLogs/signIns" }], { $filter: signInsFilter(ctx.objectId, ctx.signInsSince, type) }),
    }));
  }
  return [{ id: fact, url: factUrl(fact, ctx) }];
}

/** Relative URL (to the version) of a fact's first page (for the sign-ins, the interactive list's). */
export function factUrl(fact: FactKey, ctx: UrlContext): string {
  const id = ctx.objectId;
  switch (fact) {
    case "account":
      return accountUrl(id);
    case "membership":
      return graphPath([keySegment("users", id), { raw: "transitiveMemberOf" }], { $select: "id,displayName,roleTemplateId", $top: 999 });
    case "roleAssignments":
      return graphPath([{ raw: "roleManagement/directory/roleAssignments" }], { $filter: `principalId eq ${odataString(id)}` });
    case "roleEligibility":
      return graphPath([{ raw: "roleManagement/directory/roleEligibilityScheduleInstances" }], { $filter: `principalId eq ${odataString(id)}` });
    case "conditionalAccessPolicies":
      return graphPath([{ raw: "identity/conditionalAccess/policies" }]);
    case "securityDefaults":
      return graphPath([{ raw: "policies/identitySecurityDefaultsEnforcementPolicy" }]);
    case "authMethods":
      return graphPath([keySegment("users", id), { raw: "authentication/methods" }]);
    case "registrationDetails":
      return graphPath([{ raw: "reports/authenticationMethods" }, keySegment("userRegistrationDetails", id)]);
    case "registrationCampaign":
      return graphPath([{ raw: "policies/authenticationMethodsPolicy" }]);
    case "perUserMfa":
      return graphPath([keySegment("users", id), { raw: "authentication/requirements" }]);
    case "signIns":
      return graphPath([{ raw: "auditLogs/signIns" }], { $filter: signInsFilter(id, ctx.signInsSince, "interactiveUser") });
  }
}
