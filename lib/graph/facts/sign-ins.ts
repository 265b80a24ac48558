/**
 * The monitored accounts' sign-ins of the look-back window (beta, Entra ID P1): a connection
 * account's failures, an emergency-access account's every sign-in. `auditLogs/signIns`,
 * interactive and non-interactive, read as ONE request: one lambda naming both event types asks
 * for the rows two lists (one per type) would, and takes one slot of Graph's report budget (122
 * requests per 10 s for the app across all tenants, 5 per 10 s per tenant) instead of two, which
 * is most of what a steady-state check draws from that budget (docs/scale.md). A tenant with
 * several accounts still sends one: its filter names them all (lib/graph/collect-round.ts).
 */
import { z } from "zod";
import { SIGN_IN_FAILURES } from "../../checks/sign-ins/causes.js";
import type { SignInFact } from "../../model/facts.js";
import { graphPath, odataString } from "../odata.js";
import type { FactDefinition, FactRequest, UrlContext } from "./definition.js";
import { map, nullableBool, nullableStr, parseList, str, type Normalised } from "./parse.js";

/**
 * The sign-in event types read. Beta's List signIns returns interactive sign-ins only unless the
 * filter names others (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta, the
 * `signInEventTypes` property), and a background account's failures are non-interactive (a token
 * refresh interrupted by 50076 or 53003): both types are named, in one lambda joined by `or`
 * (`signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`). Microsoft's
 * reference shows the single-type lambda; the `or` form is the one widely used against beta
 * `auditLogs/signIns` (scripts and tools that read both logs in one listing), and what the
 * simulator answers like Graph (sim/handlers/authentication.ts).
 */
const SIGN_IN_EVENT_TYPES = ["interactiveUser", "nonInteractiveUser"] as const;
type SignInEventType = (typeof SIGN_IN_EVENT_TYPES)[number];

/**
 * Only the failures the sign-ins check reads (lib/checks/sign-ins/causes.ts: every code that stops
 * an unattended sign-in, about twenty): filtered by Graph, still in this one request, so a busy
 * account's thousands of successful token refreshes are never paged through.
 */
function errorCodeClause(): string {
  return `(${[...SIGN_IN_FAILURES.keys()].map((code) => `status/errorCode eq ${code}`).join(" or ")})`;
}

/** The lambda naming the event types: `signInEventTypes/any(t: t eq 'a' or t eq 'b')`. */
function eventTypeClause(eventTypes: readonly SignInEventType[]): string {
  return `signInEventTypes/any(t: ${eventTypes.map((type) => `t eq ${odataString(type)}`).join(" or ")})`;
}

/** `$filter` of one connection account's sign-in list: the account, the window, the event types (all read by default), the failure codes. */
export function signInsFilter(objectId: string, since: string, eventTypes: readonly SignInEventType[] = SIGN_IN_EVENT_TYPES): string {
  return tenantSignInsFilter([{ objectId, everySignIn: false }], since, eventTypes);
}

/** A monitored account in the tenant's one sign-in request: its object id, and whether every sign-in of it is read. */
export interface SignInsReader {
  readonly objectId: string;
  /** An account whose profile mails each sign-in: every one, successful or failed; else the failures the check reads. */
  readonly everySignIn: boolean;
}

/** `userId eq 'a'`, or `(userId eq 'a' or userId eq 'b')` for several. */
function userClause(ids: readonly string[]): string {
  const each = ids.map((id) => `userId eq ${odataString(id)}`);
  return each.length === 1 ? (each[0] ?? "") : `(${each.join(" or ")})`;
}

/**
 * `$filter` of the tenant's one sign-in request, naming every monitored account: the connection
 * accounts' failures the check reads, and every sign-in of the emergency-access accounts, in one
 * list (the signIn resource's `userId` and `status/errorCode` support `eq`, joined by `and`/`or`
 * with parentheses: learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta). One
 * connection account alone gets the filter it always had.
 */
export function tenantSignInsFilter(readers: readonly SignInsReader[], since: string, eventTypes: readonly SignInEventType[] = SIGN_IN_EVENT_TYPES): string {
  const failuresOf = [...new Set(readers.filter((r) => !r.everySignIn).map((r) => r.objectId))];
  const everyOf = [...new Set(readers.filter((r) => r.everySignIn).map((r) => r.objectId))];
  if (failuresOf.length === 0 && everyOf.length === 0) throw new Error("tenantSignInsFilter: no account to read");
  const window = [`createdDateTime ge ${since}`, eventTypeClause(eventTypes)];
  if (everyOf.length === 0) return [userClause(failuresOf), ...window, errorCodeClause()].join(" and ");
  if (failuresOf.length === 0) return [userClause(everyOf), ...window].join(" and ");
  const who = `((${userClause(failuresOf)} and ${errorCodeClause()}) or ${userClause(everyOf)})`;
  return [who, ...window].join(" and ");
}

/** The tenant's one sign-in request (relative to beta): one slot of the report budget, whatever the number of accounts. */
export function tenantSignInsUrl(readers: readonly SignInsReader[], since: string): string {
  return graphPath([{ raw: "auditLogs/signIns" }], { $filter: tenantSignInsFilter(readers, since) });
}

/** The one request: both event types, so one slot of the report budget per check. */
function signInsRequest(ctx: UrlContext): FactRequest {
  return {
    id: "signIns",
    url: graphPath([{ raw: "auditLogs/signIns" }], { $filter: signInsFilter(ctx.objectId, ctx.signInsSince) }),
  };
}

const signInSchema = z.looseObject({
  id: str,
  createdDateTime: str,
  appDisplayName: nullableStr,
  appId: nullableStr,
  resourceId: nullableStr,
  resourceDisplayName: nullableStr,
  ipAddress: nullableStr,
  conditionalAccessStatus: nullableStr,
  isInteractive: nullableBool,
  clientAppUsed: nullableStr,
  location: z.looseObject({ city: nullableStr, countryOrRegion: nullableStr }).nullish(),
  status: z.looseObject({ errorCode: z.number().int(), failureReason: nullableStr }).nullish(),
});

/**
 * Sign-ins read from the list's pages (or from several lists, concatenated): each sign-in once,
 * newest first, whichever order the pages brought them in.
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
          resourceId: s.resourceId?.toLowerCase() || null,
          resourceDisplayName: s.resourceDisplayName,
          ipAddress: s.ipAddress,
          errorCode: s.status?.errorCode ?? 0,
          failureReason: s.status?.failureReason ?? null,
          conditionalAccessStatus: s.conditionalAccessStatus,
          isInteractive: s.isInteractive,
          clientAppUsed: s.clientAppUsed,
          city: s.location?.city ?? null,
          countryOrRegion: s.location?.countryOrRegion ?? null,
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
  licence: "Entra ID P1",
  needsObjectId: true,
  // An identity and access report, like the registration report: the one request takes one slot.
  budget: "reports",
  reads: "sign-ins (beta)",
  subject: "the account's sign-ins",
  requests: (ctx) => [signInsRequest(ctx)],
  normalise: toSignIns,
};
