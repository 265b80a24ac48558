/**
 * Who may use the dashboard, and protection of its state-changing actions.
 *
 * In Azure, App Service built-in authentication (Easy Auth, infra/modules/dashboard-auth.bicep)
 * signs people in with Entra ID and passes who they are in `X-MS-CLIENT-PRINCIPAL` (base64 of
 * `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`) and their ID token in
 * `X-MS-TOKEN-AAD-ID-TOKEN` (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities,
 * https://learn.microsoft.com/azure/app-service/configure-authentication-oauth-tokens). The platform
 * strips those headers from what a caller sends only while its authentication is on, so the
 * dashboard believes them only when WEBSITE_AUTH_ENABLED says it is (else it is off), and even
 * then not on their word: the ID token's signature is verified against Entra's published keys
 * (entra-keys.ts), its claims must name the operator's tenant, the dashboard's app registration,
 * a time within its life and the app role the dashboard requires (id-token.ts), and the principal
 * header must be the token's person (the same `oid`). Locally (`drift-monitor dashboard`, bound
 * to 127.0.0.1) the person at the machine is the operator.
 *
 * Cross-site requests: every POST must come from this origin (Origin, else Sec-Fetch-Site) and
 * carry the token of a double-submit cookie (SameSite=Strict, HttpOnly) in its form body — the
 * OWASP "signed/double submit cookie plus origin check" pattern, stateless across instances.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { VerifyIdToken } from "./entra-keys.js";
import { checkIdTokenClaims, type IdTokenExpectations } from "./id-token.js";

/** The app role (value) a person needs to open the dashboard; infra/modules/dashboard-auth.bicep documents it. */
export const DASHBOARD_ROLE = "DriftMonitor.Operator";
/** The app role a person needs to preview, request, approve, apply or revert a fix (docs/remediation.md). */
export const REMEDIATOR_ROLE = "DriftMonitor.Remediator";
export const CSRF_COOKIE = "dm_csrf";

interface Principal {
  /** Who it is, stably (the ID token's `oid`): four-eyes compares this, not the name. */
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

export type AccessMode =
  | { readonly kind: "local" }
  | {
      readonly kind: "easy-auth";
      /** The operator's tenant, the dashboard's app registration, the issuer and the role its people's ID tokens must show. */
      readonly expect: IdTokenExpectations;
      readonly verifyIdToken: VerifyIdToken;
      readonly now: () => Date;
    }
  | { readonly kind: "disabled"; readonly why: string };

const principalSchema = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
});

/** Easy Auth maps `oid` to this claim type (its default claim mapping) or leaves it as `oid`. */
const OID = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

type AccessResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string };

const refused = (status: 401 | 403 | 503, message: string): AccessResult => ({ ok: false, status, message });

/** The principal header's object id, or undefined when it is missing or unreadable. */
function principalOid(raw: string): string | undefined {
  try {
    const parsed = principalSchema.parse(JSON.parse(Buffer.from(raw, "base64").toString("utf8")));
    return parsed.claims.find((c) => OID.includes(c.typ))?.val;
  } catch {
    return undefined;
  }
}

/** Decides from the request's headers whether its sender may use the dashboard. */
export async function authorize(mode: AccessMode, header: (name: string) => string | null): Promise<AccessResult> {
  // The person at the machine (the local server binds 127.0.0.1) is the operator, and may fix.
  if (mode.kind === "local") return { ok: true, principal: { id: "local", name: "local operator", roles: [DASHBOARD_ROLE, REMEDIATOR_ROLE] } };
  if (mode.kind === "disabled") return refused(403, mode.why);
  const raw = header("x-ms-client-principal");
  if (!raw) return refused(401, "sign in first: no signed-in principal reached the dashboard");
  const oid = principalOid(raw);
  if (!oid) return refused(401, "the signed-in principal could not be read");
  const token = header("x-ms-token-aad-id-token");
  if (!token) return refused(401, "the sign-in's ID token did not reach the dashboard (App Service forwards it with its token store on: docs/dashboard.md)");
  const verified = await mode.verifyIdToken(token);
  if (!verified.ok) return refused(verified.unavailable ? 503 : 401, verified.why);
  const verdict = checkIdTokenClaims(verified.claims, mode.expect, Math.floor(mode.now().getTime() / 1000), oid);
  if (!verdict.ok) return refused(verdict.status, verdict.why);
  return { ok: true, principal: { id: verdict.person.oid, name: verdict.person.name, roles: verdict.person.roles } };
}

export const newCsrfToken = (): string => randomBytes(24).toString("base64url");

export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

export function csrfCookie(token: string, base: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=${base}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** Constant time over the bytes; strings of equal length can differ in bytes (a non-ASCII form value), which timingSafeEqual throws on. */
function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Null when a state-changing request is same-origin and carries the cookie's token; else why not. */
export function csrfProblem(request: { header: (name: string) => string | null; origin: string; formToken: string | undefined }): string | null {
  const origin = request.header("origin");
  if (origin !== null) {
    if (origin !== request.origin) return "cross-origin request refused";
  } else if (request.header("sec-fetch-site") !== "same-origin") {
    return "the request does not show it came from this site (no Origin header)";
  }
  const cookie = cookieValue(request.header("cookie"), CSRF_COOKIE);
  if (!cookie || !request.formToken || !equal(cookie, request.formToken)) return "missing or wrong CSRF token: reload the page and try again";
  return null;
}
