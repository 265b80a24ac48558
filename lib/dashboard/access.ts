/**
 * Who may use the dashboard, and protection of its state-changing actions.
 *
 * In Azure, App Service built-in authentication (Easy Auth, infra/modules/dashboard-auth.bicep)
 * signs people in with Entra ID and passes who they are in `X-MS-CLIENT-PRINCIPAL`: base64 of
 * `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
 * The dashboard requires the app role the template defines (DASHBOARD_ROLE) among the role
 * claims, and the operator's tenant in the `tid` claim. Locally (`drift-monitor dashboard`, bound
 * to 127.0.0.1) the person at the machine is the operator.
 *
 * Cross-site requests: every POST must come from this origin (Origin, else Sec-Fetch-Site) and
 * carry the token of a double-submit cookie (SameSite=Strict, HttpOnly) in its form body — the
 * OWASP "signed/double submit cookie plus origin check" pattern, stateless across instances.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** The app role (value) a person needs to open the dashboard; infra/modules/dashboard-auth.bicep documents it. */
export const DASHBOARD_ROLE = "DriftMonitor.Operator";
export const CSRF_COOKIE = "dm_csrf";

interface Principal {
  readonly name: string;
  readonly roles: readonly string[];
}

export type AccessMode =
  { readonly kind: "local" } | { readonly kind: "easy-auth"; readonly tenantId: string } | { readonly kind: "disabled"; readonly why: string };

const principalSchema = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
});

const TID = ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"];
const ROLES = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

type AccessResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** Decides from the request's headers whether its sender may use the dashboard. */
export function authorize(mode: AccessMode, header: (name: string) => string | null): AccessResult {
  if (mode.kind === "local") return { ok: true, principal: { name: "local operator", roles: [DASHBOARD_ROLE] } };
  if (mode.kind === "disabled") return { ok: false, status: 403, message: mode.why };
  const raw = header("x-ms-client-principal");
  if (!raw) return { ok: false, status: 401, message: "sign in first: no signed-in principal reached the dashboard" };
  let parsed: z.infer<typeof principalSchema>;
  try {
    parsed = principalSchema.parse(JSON.parse(Buffer.from(raw, "base64").toString("utf8")));
  } catch {
    return { ok: false, status: 401, message: "the signed-in principal could not be read" };
  }
  const of = (types: readonly string[]) => parsed.claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const roles = of([...ROLES, ...(parsed.role_typ ? [parsed.role_typ] : [])]);
  const tenant = of(TID)[0];
  const name = of(["name", "preferred_username", ...(parsed.name_typ ? [parsed.name_typ] : [])])[0] ?? "signed-in user";
  if (tenant?.toLowerCase() !== mode.tenantId.toLowerCase())
    return { ok: false, status: 403, message: "only people of the operator's own tenant may open the dashboard" };
  if (!roles.includes(DASHBOARD_ROLE))
    return { ok: false, status: 403, message: `the dashboard needs the app role ${DASHBOARD_ROLE}: ask an administrator to assign it` };
  return { ok: true, principal: { name, roles } };
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
