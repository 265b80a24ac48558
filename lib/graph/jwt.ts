/**
 * What our own access tokens say about themselves: their expiry and the application permissions
 * consented where they were issued. The tokens come over TLS from the authority, so their claims
 * are read, not verified.
 */
/** The claims of a JWT, read not verified, or undefined when the token is opaque (a ready token may be). */
function jwtClaims(token: string): { readonly exp?: unknown; readonly roles?: unknown } | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** `exp` of a JWT in ms, when the token is one. */
export function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === "number" ? exp * 1000 : undefined;
}

/** The `roles` claim of a JWT access token, sorted, or undefined when the token is opaque or has none. */
export function tokenRoles(token: string): string[] | undefined {
  const roles = jwtClaims(token)?.roles;
  return Array.isArray(roles) && roles.every((r): r is string => typeof r === "string") ? [...roles].sort() : undefined;
}
