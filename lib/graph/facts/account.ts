/** The connection account itself: `GET /users('{upn-or-id}')`. A 404 is an answer: it does not exist. */
import { z } from "zod";
import type { AccountFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableBool, nullableStr, parse, str, type Normalised } from "./parse.js";

/**
 * The password and session properties ride on the same request (no extra round trip). Each is
 * "Returned only on $select" on v1.0's user (learn.microsoft.com/graph/api/resources/user), and
 * User.Read.All, which the app already holds, reads the full profile including passwordProfile
 * (learn.microsoft.com/answers/questions/285432: "full profile means all the properties on the user
 * object, including password profile and password policies"; the password itself is never
 * returned). Only writing passwordProfile needs more (User-PasswordProfile.ReadWrite.All), which
 * Drift Monitor never does. `forceChangePasswordNextSignIn` "If not set, default is false"
 * (learn.microsoft.com/graph/api/resources/passwordprofile?view=graph-rest-beta), so a null
 * passwordProfile reads as not forced. `signInSessionsValidFromDateTime`: refresh tokens issued
 * before it are invalid (learn.microsoft.com/graph/api/user-revokesigninsessions).
 */
const ACCOUNT_SELECT = [
  "id",
  "userPrincipalName",
  "displayName",
  "accountEnabled",
  "onPremisesSyncEnabled",
  "userType",
  "passwordPolicies",
  "lastPasswordChangeDateTime",
  "signInSessionsValidFromDateTime",
  "passwordProfile",
].join(",");

/**
 * `GET /users('{upn-or-id}')` — the one request that may run before the batches, by UPN or id.
 * Key syntax, not `/users/{upn}`: Graph answers 400 to a UPN that starts with `$` in a path
 * segment (it reads it as a system segment such as `$count`), and reads a quote there as literal
 * syntax; inside `('…')` either is just part of the string.
 */
export function accountUrl(ref: string): string {
  return graphPath([keySegment("users", ref)], { $select: ACCOUNT_SELECT });
}

const userSchema = z.looseObject({
  id: str,
  userPrincipalName: str,
  displayName: nullableStr,
  accountEnabled: nullableBool,
  onPremisesSyncEnabled: nullableBool,
  userType: nullableStr,
  passwordPolicies: nullableStr,
  lastPasswordChangeDateTime: nullableStr,
  signInSessionsValidFromDateTime: nullableStr,
  passwordProfile: z.looseObject({ forceChangePasswordNextSignIn: nullableBool }).nullish(),
});

function toAccount(body: unknown): Normalised<AccountFact> {
  return map(parse(userSchema, body), (u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    userType: u.userType,
    passwordPolicies: u.passwordPolicies,
    lastPasswordChangeDateTime: u.lastPasswordChangeDateTime,
    signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
    // Not set = false (see above); the property itself missing from the answer is null (unknown).
    forceChangePasswordNextSignIn: u.passwordProfile === undefined ? null : (u.passwordProfile?.forceChangePasswordNextSignIn ?? false),
  }));
}

export const account: FactDefinition<AccountFact | null, "account"> = {
  fact: "account",
  version: "v1.0",
  permission: "User.Read.All",
  paged: false,
  needsObjectId: false,
  reads: "the account",
  subject: "the account",
  requests: (ctx) => [{ id: "account", url: accountUrl(ctx.objectId) }],
  // R1 fails on a missing account; "could not verify" would hide that.
  notFound: { value: null },
  normalise: toAccount,
};
