/**
 * The claims of a signed-in person's ID token, checked against what the dashboard expects. Pure:
 * the signature is verified elsewhere (entra-keys.ts), the time is given.
 *
 * Entra's v2.0 ID token (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference):
 * `iss` is `https://login.microsoftonline.com/{tid}/v2.0`, `aud` the app registration's client id,
 * `tid` the directory, `oid` the person, `roles` the app roles assigned to them, `exp`/`nbf` in
 * seconds since the epoch.
 */
import { z } from "zod";

/**
 * Leeway for clocks that disagree, in seconds: five minutes, the default of Microsoft's own token
 * validation (TokenValidationParameters.ClockSkew), since Entra's clock and ours are never the same.
 */
export const CLOCK_SKEW_SECONDS = 300;

export interface IdTokenExpectations {
  /** `{authority}/{tenant}/v2.0`: see entraIssuer. */
  readonly issuer: string;
  /** The dashboard's app registration (client id). */
  readonly audience: string;
  readonly tenantId: string;
  /** The app role a person needs; null: any signed-in person of the tenant. */
  readonly role: string | null;
}

interface SignedInPerson {
  readonly oid: string;
  readonly name: string;
  readonly roles: readonly string[];
}

type IdTokenVerdict = { readonly ok: true; readonly person: SignedInPerson } | { readonly ok: false; readonly status: 401 | 403; readonly why: string };

/** The v2.0 issuer of a tenant at an authority (https://login.microsoftonline.com, or another cloud's). */
export const entraIssuer = (authorityHost: string, tenantId: string): string => `${authorityHost.replace(/\/+$/, "")}/${tenantId.toLowerCase()}/v2.0`;

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string()).max(20)]),
  tid: z.string(),
  oid: z.string().min(1),
  exp: z.number(),
  nbf: z.number().optional(),
  roles: z.array(z.string()).max(500).optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
});

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Whether a verified token's claims admit its bearer, given the time (seconds since the epoch)
 * and the object id of the principal the request claims to be (the token must be that person's).
 */
export function checkIdTokenClaims(claims: unknown, expect: IdTokenExpectations, nowSeconds: number, principalOid: string): IdTokenVerdict {
  const refuse = (why: string): IdTokenVerdict => ({ ok: false, status: 401, why });
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return refuse(`the ID token lacks a claim the sign-in needs (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})`);
  const c = parsed.data;
  if (c.iss !== expect.issuer) return refuse(`the ID token was issued by ${c.iss}, not by the operator's tenant (${expect.issuer})`);
  if (!(Array.isArray(c.aud) ? c.aud : [c.aud]).some((a) => same(a, expect.audience))) return refuse("the ID token was issued to another application");
  if (!same(c.tid, expect.tenantId)) return refuse("the ID token is of another tenant");
  if (c.exp + CLOCK_SKEW_SECONDS <= nowSeconds) return refuse("the ID token has expired: sign in again");
  if (c.nbf !== undefined && c.nbf - CLOCK_SKEW_SECONDS > nowSeconds) return refuse("the ID token is not valid yet");
  if (!same(c.oid, principalOid)) return refuse("the signed-in principal is not the person the ID token names");
  const roles = c.roles ?? [];
  if (expect.role !== null && !roles.includes(expect.role))
    return { ok: false, status: 403, why: `the dashboard needs the app role ${expect.role}: ask an administrator to assign it` };
  return { ok: true, person: { oid: c.oid, name: c.name ?? c.preferred_username ?? "signed-in user", roles } };
}
