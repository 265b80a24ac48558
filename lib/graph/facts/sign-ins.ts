/**
 * The account's failed sign-ins of the look-back window (beta, Entra ID P1): `auditLogs/signIns`,
 * read as two lists whose answers are one fact.
 */
import { z } from "zod";
import { MFA_OR_CA_ERROR_CODES } from "../../checks/well-known.js";
import type { SignInFact } from "../../model/facts.js";
import { graphPath, odataString } from "../odata.js";
import type { FactDefinition, FactRequest, UrlContext } from "./definition.js";
import { map, nullableBool, nullableStr, parseList, str, type Normalised } from "./parse.js";

/**
 * The sign-in event types read. Beta's List signIns returns interactive sign-ins only unless the
 * filter names others (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta), and a
 * background account's failures are non-interactive (a token refresh interrupted by 50076 or
 * 53003): both lists are read, as two sub-requests of the same beta batch.
 */
type SignInEventType = "interactiveUser" | "nonInteractiveUser";

/**
 * Only the failures the sign-ins check reads (lib/checks/well-known.ts): filtered by Graph, so a
 * busy account's thousands of successful token refreshes are never paged through.
 */
function errorCodeClause(): string {
  return `(${[...MFA_OR_CA_ERROR_CODES.keys()].map((code) => `status/errorCode eq ${code}`).join(" or ")})`;
}

/** `$filter` of one sign-in list: the account, the window, the event type, the failure codes. */
function signInsFilter(objectId: string, since: string, eventType: SignInEventType): string {
  // A DateTimeOffset literal is unquoted in OData; the ISO form has no characters to escape.
  const clauses = [
    `userId eq ${odataString(objectId)}`,
    `createdDateTime ge ${since}`,
    `signInEventTypes/any(t: t eq ${odataString(eventType)})`,
    errorCodeClause(),
  ];
  return clauses.join(" and ");
}

function signInsRequest(ctx: UrlContext, type: SignInEventType): FactRequest {
  return {
    // The interactive list keeps the fact's own id: it is the one the doctor probes.
    id: type === "interactiveUser" ? "signIns" : "signIns-nonInteractive",
    url: graphPath([{ raw: "auditLogs/signIns" }], { $filter: signInsFilter(ctx.objectId, ctx.signInsSince, type) }),
  };
}

const signInSchema = z.looseObject({
  id: str,
  createdDateTime: str,
  appDisplayName: nullableStr,
  appId: nullableStr,
  resourceDisplayName: nullableStr,
  ipAddress: nullableStr,
  conditionalAccessStatus: nullableStr,
  isInteractive: nullableBool,
  status: z.looseObject({ errorCode: z.number().int(), failureReason: nullableStr }).nullish(),
});

/**
 * Sign-ins read from one or more lists (interactive, non-interactive), their pages concatenated:
 * this is where the lists merge, each sign-in once, newest first.
 */
export function toSignIns(values: readonly unknown[]): Normalised<SignInFact[]> {
  return map(parseList(signInSchema, values), (list) => {
    const seen = new Set<string>();
    return (
      list
        .filter((s) => !seen.has(s.id) && seen.add(s.id) !== undefined)
        .map((s) => ({
          id: s.id,
          createdDateTime: s.createdDateTime,
          appDisplayName: s.appDisplayName,
          appId: s.appId,
          resourceDisplayName: s.resourceDisplayName,
          ipAddress: s.ipAddress,
          errorCode: s.status?.errorCode ?? 0,
          failureReason: s.status?.failureReason ?? null,
          conditionalAccessStatus: s.conditionalAccessStatus,
          isInteractive: s.isInteractive,
        }))
        // Newest first; ISO-8601 instants in UTC compare as numbers once parsed.
        .sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime))
    );
  });
}

export const signIns: FactDefinition<readonly SignInFact[], "signIns"> = {
  fact: "signIns",
  version: "beta",
  permission: "AuditLog.Read.All",
  paged: true,
  premium: true,
  needsObjectId: true,
  // An identity and access report, like the registration report: each list takes its own slot.
  budget: "reports",
  reads: "sign-ins (beta)",
  subject: "the account's sign-ins",
  requests: (ctx) => [signInsRequest(ctx, "interactiveUser"), signInsRequest(ctx, "nonInteractiveUser")],
  normalise: toSignIns,
};
