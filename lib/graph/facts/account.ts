/** The connection account itself: `GET /users('{upn-or-id}')`. A 404 is an answer: it does not exist. */
import { z } from "zod";
import type { AccountFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableBool, nullableStr, parse, str, type Normalised } from "./parse.js";

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

const userSchema = z.looseObject({
  id: str,
  userPrincipalName: str,
  displayName: nullableStr,
  accountEnabled: nullableBool,
  onPremisesSyncEnabled: nullableBool,
  userType: nullableStr,
});

function toAccount(body: unknown): Normalised<AccountFact> {
  return map(parse(userSchema, body), (u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    userType: u.userType,
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
