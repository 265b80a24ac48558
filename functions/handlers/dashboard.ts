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
import { errorText } from "../../lib/errors/text.js";
import { securityHeaders } from "../../lib/dashboard/layout.js";

export const DASHBOARD_ROUTE = "dashboard/{*rest}";

const depsOf = new WeakMap<App, DashboardDeps>();

function deps(app: App): DashboardDeps {
  let d = depsOf.get(app);
  if (!d) {
    const tenantId = app.appSettings.dashboardTenantId;
    d = dashboardDeps(app, {
      access: tenantId
        ? { kind: "easy-auth", tenantId }
        : { kind: "disabled", why: "the dashboard's sign-in is not set up: deploy with the dashboardClientId parameter (docs/dashboard.md)" },
      driftSchedule: process.env.DRIFT_SCHEDULE,
    });
    depsOf.set(app, d);
  }
  return d;
}

/** The origin the browser used: App Service terminates TLS and passes the scheme in X-Forwarded-Proto. */
function originOf(request: HttpRequest): string {
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || url.host;
  return `${proto}://${host}`;
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
