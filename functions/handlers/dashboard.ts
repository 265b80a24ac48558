/**
 * HTTP (anonymous at the host; signed-in people only, see lib/dashboard/access.ts): the dashboard.
 * Translates the Functions request into functions/dashboard's plain request and its answer
 * back. An unexpected failure answers 500 with the invocation id, never the error itself.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { readBodyLimited } from "../api/body.js";
import { dashboardDeps, type DashboardDeps } from "../dashboard/deps.js";
import { DASHBOARD_BASE, handleDashboardRequest } from "../dashboard/handle.js";
import { getApp, type App } from "../app/app.js";
import { remediationSettingsOrOff } from "../app/remediation.js";
import { errorText } from "../../lib/errors/text.js";
import { securityHeaders } from "../../lib/dashboard/layout.js";
import { DASHBOARD_ROLE, type AccessMode } from "../../lib/dashboard/access.js";
import { entraIdTokenVerifier } from "../../lib/dashboard/entra-keys.js";
import { entraIssuer } from "../../lib/dashboard/id-token.js";

export const DASHBOARD_ROUTE = "dashboard/{*rest}";

const depsOf = new WeakMap<App, DashboardDeps>();

/**
 * Signed-in people only, and only while App Service authentication is on (WEBSITE_AUTH_ENABLED):
 * without it nothing strips a caller's own X-MS-* headers, so the dashboard stays off (403) and
 * ignores them; `drift-monitor dashboard` is the way in then.
 */
function accessOf(app: App): AccessMode {
  const signIn = app.appSettings.dashboardSignIn;
  if (!signIn) return { kind: "disabled", why: "the dashboard's sign-in is not set up: deploy with the dashboardClientId parameter (docs/dashboard.md)" };
  if (!app.appSettings.appServiceAuthEnabled)
    return {
      kind: "disabled",
      why: "App Service authentication is not on for this app (WEBSITE_AUTH_ENABLED), so no sign-in can be trusted (docs/dashboard.md)",
    };
  return {
    kind: "easy-auth",
    expect: { issuer: entraIssuer(signIn.authorityHost, signIn.tenantId), audience: signIn.clientId, tenantId: signIn.tenantId, role: DASHBOARD_ROLE },
    verifyIdToken: entraIdTokenVerifier({ authorityHost: signIn.authorityHost, tenantId: signIn.tenantId, now: app.now }),
    now: app.now,
  };
}

function deps(app: App): DashboardDeps {
  let d = depsOf.get(app);
  if (!d) {
    const log = (m: string) => console.warn(m);
    d = dashboardDeps(app, { access: accessOf(app), driftSchedule: process.env.DRIFT_SCHEDULE, remediation: remediationSettingsOrOff(process.env, log) });
    depsOf.set(app, d);
  }
  return d;
}

/**
 * The origin the browser used, for the same-origin check: the Host it addressed (a browser sets it,
 * a page cannot) and the scheme App Service's front end reports after terminating TLS. Never
 * X-Forwarded-Host: whoever sends the request can set it.
 */
function originOf(request: HttpRequest): string {
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  return `${proto}://${request.headers.get("host") || url.host}`;
}

export async function dashboard(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    let body: string | undefined;
    if (request.method === "POST") {
      const read = await readBodyLimited(request.body, request.headers.get("content-length"));
      if (!read.ok) return { status: read.response.status, body: "request body too large", headers: securityHeaders("text/plain; charset=utf-8") };
      body = read.text;
    }
    const r = await handleDashboardRequest(
      {
        method: request.method,
        path: request.params.rest ?? "",
        query: new URLSearchParams(request.query),
        header: (n) => request.headers.get(n),
        origin: originOf(request),
        ...(body !== undefined ? { body } : {}),
      },
      deps(getApp()),
    );
    return { status: r.status, body: r.body, headers: { ...r.headers } };
  } catch (error) {
    context.error(`dashboard: ${request.method} ${DASHBOARD_BASE}/${request.params.rest ?? ""} failed: ${errorText(error)}`);
    return { status: 500, body: `internal error (invocation ${context.invocationId})`, headers: securityHeaders("text/plain; charset=utf-8") };
  }
}
