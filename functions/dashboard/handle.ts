/**
 * The dashboard, as plain request in, plain answer out (the Functions handler and the local
 * server of `drift-monitor dashboard` both translate to this):
 *   GET  {base}/                       the estate (?status= &check= &profile= &q= &page= &size=)
 *   GET  {base}/tenants/{id}           one tenant (?from= &to= snapshot ids to compare, of ?account= key; absent: the first account)
 *   POST {base}/tenants/{id}/check     check now (form: csrf), then 303 back to the tenant
 *   POST {base}/tenants/{id}/acks[/withdraw] | exceptions[/remove]  an operator's decision (decisions.ts)
 *   POST {base}/estate/exceptions[/remove]  an estate-wide exception template, from the estate page
 *   GET  {base}/tenants/{id}/fix, POST …/fixes[/{fixId}/approve|apply|revert]  a fix (fixes.ts)
 *   GET  {base}/assets/dashboard.css|js
 * Every answer needs the signed-in role (access.ts); a POST also the same origin and the CSRF
 * token. Every page carries the strict CSP of lib/dashboard/layout.ts.
 */
import { z } from "zod";
import { tenantIdSchema } from "../../lib/model/tenant.js";
import { accountKeySchema, monitorPartition } from "../../lib/model/account.js";
import { estateQuerySchema } from "../../lib/status/estate-query.js";
import { authorize, cookieValue, CSRF_COOKIE, csrfCookie, csrfProblem, newCsrfToken } from "../../lib/dashboard/access.js";
import { DASHBOARD_CSS, DASHBOARD_JS } from "../../lib/dashboard/assets.js";
import { estateHtml } from "../../lib/dashboard/estate-page.js";
import { html } from "../../lib/dashboard/html.js";
import { page, securityHeaders } from "../../lib/dashboard/layout.js";
import { tenantHtml } from "../../lib/dashboard/tenant-page.js";
import type { DashboardDeps } from "./deps.js";
import { estateView, tenantView } from "./views.js";
import { decide, decideEstate, DECISION_ROUTES, ESTATE_DECISION_ROUTES, type DecisionRoute, type EstateDecisionRoute } from "./decisions.js";
import { FIX_FLASH, fixRouteOf, fixSectionFor, handleFix } from "./fixes.js";

export const DASHBOARD_BASE = "/api/dashboard";

interface DashboardRequest {
  readonly method: string;
  /** The path below the base, without a leading slash ("", "tenants/{id}", …). */
  readonly path: string;
  readonly query: URLSearchParams;
  header(name: string): string | null;
  /** This site's origin as the browser sees it (scheme://host[:port]), for the same-origin check. */
  readonly origin: string;
  /** The form body of a POST (application/x-www-form-urlencoded). */
  readonly body?: string;
}

interface DashboardResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const HTML_TYPE = "text/html; charset=utf-8";
const TITLES = { 401: "Sign in", 403: "Not allowed", 503: "Sign-in unavailable" } as const;

function message(status: number, title: string, text: string, base: string): DashboardResponse {
  // A 401 comes only from App Service's sign-in (an expired or missing ID token): its login route signs the person in again.
  const link = status === 401 ? html`<a href="/.auth/login/aad?post_login_redirect_uri=${base}/">Sign in again</a>` : html`<a href="${base}/">Estate</a>`;
  return {
    status,
    headers: securityHeaders(HTML_TYPE),
    body: page(
      title,
      html`<h1>${title}</h1>
        <p>${text}</p>
        <p>${link}</p>`,
      { base },
    ),
  };
}

const snapshotId = z
  .string()
  .regex(/^\d{1,20}$/, { error: "snapshot ids are digits" })
  .optional();
// A Map, not an object literal: `?checked=constructor` must not find Object.prototype's members.
const FLASH: ReadonlyMap<string, string> = new Map([
  ["queued", "A check was queued: it runs within a minute or two; reload to see its result."],
  ["in-flight", "A check of this tenant is already queued or running: reload in a minute to see its result."],
  ["requeued", "The alert is back in line: the next delivery sweep sends it."],
  ["not-dead", "That alert is no longer dead-lettered (someone requeued it, or it was sent)."],
  ["acknowledged", "Acknowledged: reminders stop for this finding while it stays as it is."],
  ["ack-withdrawn", "The acknowledgement was withdrawn."],
  ["excepted", "The exception was approved: what it allows is no drift until it expires."],
  ["exception-removed", "The exception was removed: what it allowed is a drift again."],
  ["estate-excepted", "The exception was approved for every tenant: each tenant's next check applies it."],
  ["estate-exception-removed", "The exception was removed for every tenant: each tenant's next check has what it allowed as a drift again."],
  ...FIX_FLASH,
]);
const isDecision = (route: string): route is DecisionRoute => (DECISION_ROUTES as readonly string[]).includes(route);
const isEstateDecision = (route: string): route is EstateDecisionRoute => (ESTATE_DECISION_ROUTES as readonly string[]).includes(route);

/** A path segment percent-decoded; a malformed escape (a cut-off UTF-8 sequence) is the caller's mistake (400), not our 500. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export async function handleDashboardRequest(req: DashboardRequest, deps: DashboardDeps, base = DASHBOARD_BASE): Promise<DashboardResponse> {
  const access = await authorize(deps.access, (n) => req.header(n));
  if (!access.ok) return message(access.status, TITLES[access.status], access.message, base);
  const method = req.method.toUpperCase();
  const path = req.path.replace(/^\/+|\/+$/g, "");

  if (path === "assets/dashboard.css" || path === "assets/dashboard.js") {
    if (method !== "GET") return message(405, "Method not allowed", "GET only.", base);
    const css = path.endsWith(".css");
    return {
      status: 200,
      headers: { ...securityHeaders(css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"), "cache-control": "no-cache" },
      body: css ? DASHBOARD_CSS : DASHBOARD_JS,
    };
  }

  const secure = req.origin.startsWith("https:");
  const cookie = cookieValue(req.header("cookie"), CSRF_COOKIE);
  const token = cookie && /^[A-Za-z0-9_-]{32}$/.test(cookie) ? cookie : newCsrfToken();
  const withCookie = (r: DashboardResponse): DashboardResponse =>
    token === cookie ? r : { ...r, headers: { ...r.headers, "set-cookie": csrfCookie(token, base, secure) } };

  if (path === "") {
    if (method !== "GET") return message(405, "Method not allowed", "GET only.", base);
    // An empty field of the filter form means "any".
    const query = estateQuerySchema.safeParse(Object.fromEntries([...req.query].filter(([, v]) => v.trim() !== "")));
    if (!query.success) return message(400, "Bad filter", query.error.issues.map((i) => i.message).join("; "), base);
    const flash = FLASH.get(req.query.get("checked") ?? "") ?? null;
    const view = await estateView(deps, base, query.data, { csrfToken: token, flash });
    return withCookie({ status: 200, headers: securityHeaders(HTML_TYPE), body: estateHtml(view) });
  }

  const estateRoute = /^estate\/(.+)$/.exec(path)?.[1];
  if (estateRoute !== undefined) {
    if (!isEstateDecision(estateRoute)) return message(404, "Not found", "No such page.", base);
    if (method !== "POST") return message(405, "Method not allowed", "Exceptions for every tenant are POSTs from the estate page.", base);
    const form = new URLSearchParams(req.body ?? "");
    const problem = csrfProblem({ header: (n) => req.header(n), origin: req.origin, formToken: form.get("csrf") ?? undefined });
    if (problem) return message(403, "Refused", problem, base);
    const done = await decideEstate(estateRoute, form, access.principal.name, deps);
    if (done.ok) return { status: 303, headers: { ...securityHeaders(HTML_TYPE), location: `${base}/?checked=${done.flash}#estate-exceptions` }, body: "" };
    const view = await estateView(deps, base, estateQuerySchema.parse({}), { csrfToken: token, problem: done.problem });
    return withCookie({ status: done.status, headers: securityHeaders(HTML_TYPE), body: estateHtml(view) });
  }

  const fix = fixRouteOf(path);
  if (fix) {
    const fixTenant = tenantIdSchema.safeParse(decoded(fix.tenant));
    if (!fixTenant.success) return message(400, "Bad tenant id", "A tenant id is a GUID.", base);
    const http = { method, query: req.query, header: (n: string) => req.header(n), origin: req.origin, ...(req.body !== undefined ? { body: req.body } : {}) };
    return withCookie(await handleFix(http, { tenantId: fixTenant.data, route: fix.route }, access.principal, token, deps, base));
  }

  const m = /^tenants\/([^/]+)(\/check|\/alerts\/([\w.-]{1,128})\/requeue|\/(acks(?:\/withdraw)?|exceptions(?:\/remove)?))?$/.exec(path);
  if (!m) return message(404, "Not found", "No such page.", base);
  const id = tenantIdSchema.safeParse(decoded(m[1] ?? ""));
  if (!id.success) return message(400, "Bad tenant id", "A tenant id is a GUID.", base);
  const tenantId = id.data;

  if (m[2]) {
    if (method !== "POST") return message(405, "Method not allowed", "Check now, requeue and decisions are POSTs from the tenant's page.", base);
    const form = new URLSearchParams(req.body ?? "");
    const problem = csrfProblem({ header: (n) => req.header(n), origin: req.origin, formToken: form.get("csrf") ?? undefined });
    if (problem) return message(403, "Refused", problem, base);
    const route = m[4];
    if (route !== undefined && isDecision(route)) {
      const done = await decide(route, form, access.principal.name, tenantId, deps);
      const location = `${base}/tenants/${tenantId}?checked=${done.ok ? done.flash : ""}#decisions`;
      if (done.ok) return { status: 303, headers: { ...securityHeaders(HTML_TYPE), location }, body: "" };
      const view = await tenantView(deps, base, tenantId, { csrfToken: token, flash: null, problem: done.problem });
      if (!view) return message(404, "Not found", `Tenant ${tenantId} is neither registered nor monitored.`, base);
      return withCookie({ status: done.status, headers: securityHeaders(HTML_TYPE), body: tenantHtml(view) });
    }
    const alertId = m[3];
    if (alertId !== undefined) {
      // The alert is in its account's partition: the form names the account unless it is the first.
      const account = accountKeySchema.safeParse(form.get("account") ?? "");
      if (!account.success) return message(400, "Bad account", "An account key is 12 hex characters: requeue from the tenant's page.", base);
      const requeued = await deps.requeueDeadLetter(monitorPartition(tenantId, account.data), alertId);
      return {
        status: 303,
        headers: { ...securityHeaders(HTML_TYPE), location: `${base}/tenants/${tenantId}?checked=${requeued ? "requeued" : "not-dead"}` },
        body: "",
      };
    }
    if (!(await deps.tenants.get(tenantId))) return message(404, "Not found", `Tenant ${tenantId} is not registered.`, base);
    const r = await deps.checkNow(tenantId);
    return {
      status: 303,
      headers: { ...securityHeaders(HTML_TYPE), location: `${base}/tenants/${tenantId}?checked=${r.queued ? "queued" : "in-flight"}` },
      body: "",
    };
  }

  if (method !== "GET") return message(405, "Method not allowed", "GET only.", base);
  const from = snapshotId.safeParse(req.query.get("from") ?? undefined);
  const to = snapshotId.safeParse(req.query.get("to") ?? undefined);
  const account = accountKeySchema.optional().safeParse(req.query.get("account") ?? undefined);
  if (!from.success || !to.success) return message(400, "Bad snapshot", "Snapshot ids are digits: choose them in the form.", base);
  if (!account.success) return message(400, "Bad account", "An account key is 12 hex characters: choose the snapshots in the form.", base);
  const view = await tenantView(deps, base, tenantId, {
    ...(account.data ? { account: account.data } : {}),
    ...(from.data ? { from: from.data } : {}),
    ...(to.data ? { to: to.data } : {}),
    csrfToken: token,
    flash: FLASH.get(req.query.get("checked") ?? "") ?? null,
  });
  if (!view) return message(404, "Not found", `Tenant ${tenantId} is neither registered nor monitored.`, base);
  const fixes = await fixSectionFor(deps, base, view, token, access.principal);
  return withCookie({ status: 200, headers: securityHeaders(HTML_TYPE), body: tenantHtml({ ...view, fixes }) });
}
