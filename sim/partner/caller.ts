/**
 * Who is calling, from the bearer token: an app (client credentials, `idtyp: app`) or a person
 * with a delegated token. A partner's admin agent signed in to a customer tenant through GDAP
 * carries the customer's `tid` and, in `idp`, the issuer of the partner tenant it belongs to
 * (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference: `idp`
 * records the identity provider that authenticated a subject from another tenant).
 */
import { claimsOf } from "../tokens.js";

interface DelegatedCaller {
  /** The tenant the user belongs to (the partner, for a GDAP sign-in). */
  homeTenantId: string;
  userId: string;
}

/** The delegated caller, or undefined for an app-only (or unreadable) token. */
export function delegatedCaller(authorization: string | undefined): DelegatedCaller | undefined {
  const c = claimsOf(authorization);
  if (!c || c.idtyp !== "user" || typeof c.oid !== "string" || typeof c.tid !== "string") return undefined;
  const idp = typeof c.idp === "string" ? /^https:\/\/sts\.windows\.net\/([^/]+)\/$/.exec(c.idp)?.[1] : undefined;
  return { homeTenantId: (idp ?? c.tid).toLowerCase(), userId: c.oid.toLowerCase() };
}
