/**
 * The user properties the next-sign-in checks read, served as Graph does:
 * - `signInActivity` needs Entra ID P1: selecting it in a tenant without answers 403 with Graph's
 *   premium-licence error; otherwise the user's own, or a successful sign-in 53 minutes ago (the
 *   newest routine sign-in of the sample estate).
 * - `lastPasswordChangeDaysAgo` in a sample file → `lastPasswordChangeDateTime`, that many days
 *   before the start of the sim's current day (UTC): a sample stays true whatever the day, and the
 *   date a check derives from it stays the same all day (alerts keyed on it are not re-sent).
 * - `signInSessionsValidFromDateTime` defaults to the user's creation time, as for a user never revoked.
 * - `lastSignInMinutesAgo` in a sample file → `signInActivity` that many minutes before now (`null`: never
 *   signed in, as Graph answers for an account nobody uses, such as an emergency-access account).
 */
import type { GraphUser, JsonObject, SimResponse, TenantData } from "../types.js";
import { unlicensed } from "../errors.js";

export const EXTRA_USER_PROPERTIES = ["passwordProfile", "signInSessionsValidFromDateTime"];

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Midnight UTC of `now`'s day, minus `days` days. */
export function daysBeforeToday(now: Date, days: number): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000;
}

/** A 403 when the request selects signInActivity in a tenant without Entra ID P1; null otherwise. */
export function signInActivityGate(tenant: TenantData, props: readonly string[]): SimResponse | null {
  return props.some((p) => p.toLowerCase() === "signinactivity") && !tenant.licenses.entraIdP1 ? unlicensed() : null;
}

/** The user as served: relative times made absolute against `now`, defaults filled in. */
export function servedUser(user: GraphUser, now: Date): GraphUser {
  const { lastPasswordChangeDaysAgo, lastSignInMinutesAgo, ...rest } = user;
  const out: GraphUser = { ...rest };
  if (lastSignInMinutesAgo !== undefined) {
    const at = typeof lastSignInMinutesAgo === "number" ? iso(now.getTime() - lastSignInMinutesAgo * 60_000) : null;
    out.signInActivity ??= { lastSignInDateTime: at, lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: at } satisfies JsonObject;
  }
  if (typeof lastPasswordChangeDaysAgo === "number") out.lastPasswordChangeDateTime = iso(daysBeforeToday(now, lastPasswordChangeDaysAgo));
  out.signInSessionsValidFromDateTime ??= (typeof user.createdDateTime === "string" ? user.createdDateTime : null) ?? "2024-01-01T00:00:00Z";
  const recent = iso(now.getTime() - 53 * 60_000);
  out.signInActivity ??= {
    lastSignInDateTime: recent,
    lastNonInteractiveSignInDateTime: recent,
    lastSuccessfulSignInDateTime: recent,
  } satisfies JsonObject;
  return out;
}
