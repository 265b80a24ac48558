/**
 * Who revoked the account's sessions: the directory audit events on the account
 * around its `signInSessionsValidFromDateTime`, read only when that instant is later than its last
 * successful sign-in (the sessions-revoked warning), so a healthy tenant never pays for it.
 *
 * `GET /v1.0/auditLogs/directoryAudits` (learn.microsoft.com/graph/api/directoryaudit-list:
 * AuditLog.Read.All, which the sign-ins already need; `$filter` on `activityDateTime` (ge, le) and
 * `targetResources/any(t: t/id eq '…')`, learn.microsoft.com/graph/api/resources/directoryaudit).
 * No activity name is filtered on: a revocation is logged under several names ("Revoke user
 * sessions", a password reset or change, an admin action in another portal) and Microsoft's list
 * of them changes; the event closest to the instant, on this account, is the answer. The audit log
 * keeps 7 days (Entra ID Free) or 30 (P1/P2): an older revocation finds nothing, which the check
 * says. Audit logs count towards the identity-and-access-reports throttling budget
 * (learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits), so the
 * read is paced on it like the sign-ins.
 */
import { z } from "zod";
import { AUDIT_SEARCH_MINUTES, revokedAfterLastSignIn } from "../../checks/sessions-revoked/revoked.js";
import type { AuditEventFact, SessionRevocationFact } from "../../model/facts.js";
import { graphPath, odataString } from "../odata.js";
import type { FactDefinition, UrlContext } from "./definition.js";
import type { ReadSoFar, ReadWhenDue } from "./due.js";
import { map, nullableStr, parse, parseList, str, type Normalised } from "./parse.js";

const REVOCATION_SEARCH_MS = AUDIT_SEARCH_MINUTES * 60_000;
/** Events kept in the fact: the window is 20 minutes on one account, so a handful at most in practice. */
const MAX_EVENTS = 20;

const identitySchema = z.looseObject({ displayName: nullableStr, userPrincipalName: nullableStr, id: nullableStr }).nullish();
const auditSchema = z.looseObject({
  id: str,
  activityDateTime: str,
  activityDisplayName: nullableStr,
  result: nullableStr,
  initiatedBy: z.looseObject({ user: identitySchema, app: z.looseObject({ displayName: nullableStr, appId: nullableStr }).nullish() }).nullish(),
});

type Audit = z.output<typeof auditSchema>;

/** Who did it, as the audit log names them: a user's UPN (or name), else an app's name (or id). */
function initiatorOf(a: Audit): Pick<AuditEventFact, "initiatedBy" | "initiatorKind"> {
  const user = a.initiatedBy?.user;
  const userName = user?.userPrincipalName ?? user?.displayName ?? null;
  if (userName) return { initiatedBy: userName, initiatorKind: "user" };
  const app = a.initiatedBy?.app;
  const appName = app?.displayName ?? app?.appId ?? null;
  if (appName) return { initiatedBy: appName, initiatorKind: "app" };
  return { initiatedBy: null, initiatorKind: null };
}

function windowOf(around: string): { from: string; to: string } | undefined {
  const at = Date.parse(around);
  if (Number.isNaN(at)) return undefined;
  return { from: new Date(at - REVOCATION_SEARCH_MS).toISOString(), to: new Date(at + REVOCATION_SEARCH_MS).toISOString() };
}

/** `$filter` of the read: events on the account within the search window around `around`. */
function revocationAuditFilter(objectId: string, around: string): string {
  const w = windowOf(around);
  // A DateTimeOffset literal is unquoted in OData; the ISO form has no characters to escape.
  const clauses = [`targetResources/any(t: t/id eq ${odataString(objectId)})`];
  if (w) clauses.push(`activityDateTime ge ${w.from}`, `activityDateTime le ${w.to}`);
  return clauses.join(" and ");
}

const pageSchema = z.looseObject({ value: z.array(z.unknown()) });

/**
 * The events of the first page as Graph listed them (newest first); the check picks the one closest
 * to the revocation. One page on purpose (not `paged`): every further page would be another request
 * on the app's report budget, and 20 events on one account within 20 minutes already say who.
 */
function toSessionRevocation(body: unknown): Normalised<SessionRevocationFact | null> {
  const page = parse(pageSchema, body);
  if (!page.ok) return page;
  return map(parseList(auditSchema, page.value.value), (list) => ({
    events: list
      .slice(0, MAX_EVENTS)
      .map((a) => ({ activityDateTime: a.activityDateTime, activity: a.activityDisplayName ?? "", result: a.result, ...initiatorOf(a) })),
  }));
}

/** When the account's sessions were revoked after its last successful sign-in, as this run read them; else undefined. */
function revokedAtOf(read: ReadSoFar | undefined): string | undefined {
  const account = read?.account?.ok ? read.account.value : null;
  const activity = read?.signInActivity?.ok ? read.signInActivity.value : null;
  return revokedAfterLastSignIn(account?.signInSessionsValidFromDateTime, activity?.lastSuccessfulSignInDateTime) ?? undefined;
}

/**
 * Due only when this run's account and sign-in activity say the sessions were revoked after the last
 * sign-in; otherwise it holds `null` (nothing to look up), which is not a carried value.
 */
export const revocationDue: ReadWhenDue<SessionRevocationFact | null> = {
  after: ["account", "signInActivity"],
  due: (_previous, run) => (revokedAtOf(run.read) ? "read" : "carry"),
  carry: () => ({ ok: true, value: null }),
};

export const sessionRevocation: FactDefinition<SessionRevocationFact | null, "sessionRevocation"> = {
  fact: "sessionRevocation",
  version: "v1.0",
  permission: "AuditLog.Read.All",
  paged: false,
  needsObjectId: true,
  budget: "reports",
  reads: "the audit log entries on the account (only when its sessions were revoked after its last sign-in)",
  subject: "the audit log entries on the account",
  requests: (ctx: UrlContext) => [
    {
      id: "sessionRevocation",
      url: graphPath([{ raw: "auditLogs/directoryAudits" }], {
        $filter: revocationAuditFilter(ctx.objectId, revokedAtOf(ctx.read) ?? ctx.signInsSince),
        $top: String(MAX_EVENTS),
      }),
    },
  ],
  normalise: toSessionRevocation,
  readWhenDue: revocationDue,
};
