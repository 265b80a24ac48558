/**
 * The distinct contexts of the account's recent sign-ins, successful ones included (beta, Entra ID
 * P1): `auditLogs/signIns`, interactive and non-interactive, newest first, ONE bounded page with
 * only the fields Conditional Access conditions look at. The failure-only request of the sign-ins
 * check (sign-ins.ts) cannot serve: it filters on the failure codes so a busy account's successful
 * token refreshes are never paged through. This one is due only once per SIGNIN_CONTEXT_HOURS period
 * (at the tenant's own offset in it), or when a sign-in failure newer than the last read appears
 * (the failure request is read every run anyway), so a steady-state check still sends one sign-in
 * request. The contexts read are folded into the ones kept: seen within SIGNIN_CONTEXT_DAYS, the
 * newest 20. A licence refusal is carried like a value until the next period.
 *
 * Fields (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta): `appId` (the client
 * app), `resourceId`, `clientAppUsed`, `ipAddress`, `location.countryOrRegion`, `deviceDetail`
 * (`operatingSystem`, `isCompliant`, `isManaged`, `trustType`:
 * learn.microsoft.com/graph/api/resources/devicedetail), `signInEventTypes` (beta lists interactive
 * sign-ins only unless the filter names the types), `status.errorCode`.
 */
import { z } from "zod";
import type { SignInContext, TenantFacts } from "../../model/facts.js";
import { contextKey } from "../../checks/conditional-access/context-key.js";
import { graphPath, odataString } from "../odata.js";
import type { FactDefinition, UrlContext } from "./definition.js";
import { periodKeyOf, periodTurned, type DueRun, type Previous, type ReadWhenDue } from "./due.js";
import { map, nullableBool, nullableStr, parse, type Normalised } from "./parse.js";

/** One page, newest first: a bounded read whatever the account's volume (older contexts stay in the tenant's state). */
const SIGN_IN_CONTEXT_PAGE = 500;
/** Distinct contexts kept: the newest ones. */
const MAX_SIGN_IN_CONTEXTS = 20;

const SELECT = [
  "id",
  "createdDateTime",
  "appId",
  "appDisplayName",
  "resourceId",
  "resourceDisplayName",
  "clientAppUsed",
  "ipAddress",
  "location",
  "deviceDetail",
  "status",
];

function contextsRequestUrl(ctx: UrlContext): string {
  const since = ctx.contextsSince ?? ctx.signInsSince;
  const filter = [
    `userId eq ${odataString(ctx.objectId)}`,
    `createdDateTime ge ${since}`,
    `signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`,
  ].join(" and ");
  return graphPath([{ raw: "auditLogs/signIns" }], { $filter: filter, $select: SELECT.join(","), $top: String(SIGN_IN_CONTEXT_PAGE) });
}

const entrySchema = z.looseObject({
  createdDateTime: z.string(),
  appId: nullableStr,
  appDisplayName: nullableStr,
  resourceId: nullableStr,
  resourceDisplayName: nullableStr,
  clientAppUsed: nullableStr,
  ipAddress: nullableStr,
  location: z.looseObject({ countryOrRegion: nullableStr }).nullish(),
  deviceDetail: z.looseObject({ operatingSystem: nullableStr, isCompliant: nullableBool, isManaged: nullableBool, trustType: nullableStr }).nullish(),
});
const pageSchema = z.looseObject({ value: z.array(z.unknown()) });

type Entry = z.output<typeof entrySchema>;

function blank(v: string | null | undefined): string | null {
  return v === null || v === undefined || v.trim() === "" ? null : v;
}

function toContext(e: Entry): SignInContext {
  const device = e.deviceDetail ?? null;
  return {
    appId: blank(e.appId)?.toLowerCase() ?? null,
    appDisplayName: blank(e.appDisplayName),
    resourceId: blank(e.resourceId)?.toLowerCase() ?? null,
    resourceDisplayName: blank(e.resourceDisplayName),
    clientAppUsed: blank(e.clientAppUsed),
    ipAddress: blank(e.ipAddress),
    country: blank(e.location?.countryOrRegion ?? null)?.toUpperCase() ?? null,
    operatingSystem: blank(device?.operatingSystem ?? null),
    // An empty trustType is an unregistered device; null deviceDetail says nothing.
    deviceRegistered: device ? blank(device.trustType ?? null) !== null : null,
    deviceCompliant: device ? (device.isCompliant ?? null) : null,
    lastSeen: e.createdDateTime,
  };
}

/** Distinct contexts, each with its newest time, newest first, at most `limit`. */
function distinctContexts(list: readonly SignInContext[], limit = MAX_SIGN_IN_CONTEXTS): SignInContext[] {
  const byKey = new Map<string, SignInContext>();
  for (const c of list) {
    const key = contextKey(c);
    const seen = byKey.get(key);
    if (!seen || Date.parse(c.lastSeen) > Date.parse(seen.lastSeen)) byKey.set(key, c);
  }
  return [...byKey.values()].sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen)).slice(0, limit);
}

function toSignInContexts(body: unknown): Normalised<SignInContext[]> {
  const page = parse(pageSchema, body);
  if (!page.ok) return page;
  const entries: SignInContext[] = [];
  for (const [i, v] of page.value.value.entries()) {
    const e = parse(entrySchema, v, `value[${i}].`);
    if (!e.ok) return e;
    entries.push(toContext(e.value));
  }
  return map({ ok: true, value: entries }, (list) => distinctContexts(list));
}

const DAY = 86_400_000;

/** Contexts seen within the window, each once, newest first, at most 20. */
export function mergeContexts(stored: readonly SignInContext[], read: readonly SignInContext[], now: Date, days: number): SignInContext[] {
  const since = now.getTime() - days * DAY;
  return distinctContexts([...read, ...stored].filter((c) => Date.parse(c.lastSeen) >= since));
}

/** A sign-in failure (the failure request's answer) newer than the last contexts read. */
export function failureSince(signIns: TenantFacts["signIns"], readAt: string | null): boolean {
  if (!signIns.ok || readAt === null) return false;
  const t = Date.parse(readAt);
  return signIns.value.some((s) => Date.parse(s.createdDateTime) > t);
}

/**
 * Whether the contexts' period turned since their last read (or nothing is kept). Counted from
 * the last read instead of per period, every tenant of a first run came due again in the same run
 * or two one period later: at 10,000 tenants such a run needs two report requests a check.
 */
export function contextsPeriodDue(previous: Previous, run: Pick<DueRun, "now" | "periods">): boolean {
  const last = previous?.reads.signInContexts;
  return !previous || !last || periodTurned(`signInContexts|${periodKeyOf(previous)}`, run.now, last.readAt, run.periods.signInContextHours);
}

export const contextsDue: ReadWhenDue<readonly SignInContext[]> = {
  after: ["signIns"],
  due: (previous, run) => {
    const last = previous?.reads.signInContexts;
    if (!last || contextsPeriodDue(previous, run)) return "read";
    // A licence refusal stands until the next period; a new failure is no reason to ask again.
    if (!last.fact.ok) return "carry";
    const signIns = run.read.signIns;
    return signIns !== undefined && failureSince(signIns, last.readAt) ? "read" : "carry";
  },
  carry: (last, run) => {
    if (!last?.fact.ok) return last?.fact;
    return { ok: true, value: mergeContexts(last.fact.value, [], run.now, run.periods.signInContextDays) };
  },
  fold: (read, last, run) => {
    if (!read.ok) return read;
    const kept = last?.fact.ok ? last.fact.value : [];
    return { ok: true, value: mergeContexts(kept, read.value, run.now, run.periods.signInContextDays) };
  },
};

export const signInContexts: FactDefinition<readonly SignInContext[], "signInContexts"> = {
  fact: "signInContexts",
  version: "beta",
  permission: "AuditLog.Read.All",
  // One bounded page on purpose: the newest sign-ins say where the account signs in today.
  paged: false,
  licence: "Entra ID P1",
  needsObjectId: true,
  budget: "reports",
  reads: "sign-in contexts (beta, successful sign-ins included)",
  subject: "the account's sign-in contexts",
  requests: (ctx) => [{ id: "signInContexts", url: contextsRequestUrl(ctx) }],
  normalise: toSignInContexts,
  readWhenDue: contextsDue,
};
