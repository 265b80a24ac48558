/**
 * The dashboard's fixes (lib/remediation/flow.ts), below {base}:
 *   GET  tenants/{id}/fix?finding=&account=          the preview: a fresh read with the remediation app, the exact change
 *   POST tenants/{id}/fixes                           request it (form: csrf, account, finding, digest of the preview seen)
 *   POST tenants/{id}/fixes/{fixId}/approve|apply|revert   the next step (form: csrf, account)
 * Each needs the DriftMonitor.Remediator app role, the remediation app configured
 * (REMEDIATION_CLIENT_ID) and the tenant's consent to it; a POST also the same origin and the CSRF
 * token. Who acts is the signed-in person the handler verified (their `oid` decides four-eyes),
 * never a form field. A step done: 303 back to the tenant page, which says what happened.
 */
import { fourEyesFor } from "../../lib/remediation/four-eyes.js";
import { z } from "zod";
import { accountKeySchema, KIND_LABEL, monitorPartition } from "../../lib/model/account.js";
import type { Actor } from "../../lib/model/remediation.js";
import { csrfProblem, REMEDIATOR_ROLE } from "../../lib/dashboard/access.js";
import { fixPreviewBody, fixSection, type FixAccountView } from "../../lib/dashboard/fix-section.js";
import { html, type Html } from "../../lib/dashboard/html.js";
import { page, securityHeaders } from "../../lib/dashboard/layout.js";
import { consentCovers, coversAnyFix } from "../../lib/remediation/consent.js";
import { apply, approve, preview, request, revert, type FlowResult } from "../../lib/remediation/flow.js";
import { fixTargetOf } from "../../lib/remediation/target.js";
import type { FixRequest } from "../../lib/model/remediation.js";
import type { TenantState } from "../../lib/model/state.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import type { DashboardDeps } from "./deps.js";
import { errorMessage } from "../../lib/errors/text.js";
import { redact } from "../../lib/errors/redact.js";

const HTML_TYPE = "text/html; charset=utf-8";

interface Principal {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

interface FixHttp {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly body?: string;
  header(name: string): string | null;
  readonly origin: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

type FixRoute =
  { readonly kind: "preview" } | { readonly kind: "request" } | { readonly kind: "step"; readonly id: string; readonly step: "approve" | "apply" | "revert" };

/** What the tenant page says after a step (added to the page's flash messages). */
export const FIX_FLASH: readonly (readonly [string, string])[] = [
  ["fix-pending", "Fix requested: a second person with the Remediator role approves it before it runs."],
  ["fix-approved", "Fix approved: it can be applied now."],
  ["fix-applied", "Fix applied, and the tenant was checked again: the result is with the fix below."],
  ["fix-stale", "The resource changed since the preview: nothing was changed. Preview again."],
  ["fix-refused", "Graph refused the change: see the fix below, and preview again."],
  ["fix-failed", "The fix failed: see the fix below, and preview again."],
  ["fix-expired", "The request expired before it was approved: preview again."],
  ["fix-reverted", "Fix reverted: the recorded before is back, and the tenant was checked again."],
  ["fix-revert-stale", "The resource changed since the fix: nothing was reverted. See the fix below."],
];

/** `tenants/{id}/fix…` paths: the raw tenant segment and the route, or undefined for any other path. */
export function fixRouteOf(path: string): { readonly tenant: string; readonly route: FixRoute } | undefined {
  const m = /^tenants\/([^/]+)\/(?:(fix)|(fixes)|fixes\/([0-9a-f]{16,32})\/(approve|apply|revert))$/.exec(path);
  if (!m) return undefined;
  const tenant = m[1] ?? "";
  if (m[2]) return { tenant, route: { kind: "preview" } };
  if (m[3]) return { tenant, route: { kind: "request" } };
  return { tenant, route: { kind: "step", id: m[4] ?? "", step: (m[5] ?? "approve") as "approve" | "apply" | "revert" } };
}

function answer(status: number, title: string, body: Html, base: string): Answer {
  return { status, headers: securityHeaders(HTML_TYPE), body: page(title, body, { base }) };
}

const refusal = (status: number, text: string, base: string, tenantId: string): Answer =>
  answer(
    status,
    "Fix not possible",
    html`<h1>Fix not possible</h1>
      <p class="notice error" role="alert">${text}</p>
      <p><a href="${base}/tenants/${tenantId}#fixes">Back to the tenant</a></p>`,
    base,
  );

const back = (base: string, tenantId: string, flash: string): Answer => ({
  status: 303,
  headers: { ...securityHeaders(HTML_TYPE), location: `${base}/tenants/${tenantId}?checked=${flash}#fixes` },
  body: "",
});

const findingSchema = z.string().trim().min(1, { error: "finding is required" }).max(300);
const digestSchema = z.string().regex(/^[0-9a-f]{32}$/, { error: "the preview's digest is missing: preview again" });

const stepFlash = (route: FixRoute, fix: FixRequest): string =>
  route.kind === "step" && route.step === "revert" && fix.state !== "reverted" ? "fix-revert-stale" : `fix-${fix.state}`;

export async function handleFix(
  http: FixHttp,
  target: { readonly tenantId: string; readonly route: FixRoute },
  principal: Principal,
  csrfToken: string,
  deps: DashboardDeps,
  base: string,
): Promise<Answer> {
  const { tenantId, route } = target;
  const refuse = (status: number, text: string): Answer => refusal(status, text, base, tenantId);
  const method = http.method.toUpperCase();
  if (method !== (route.kind === "preview" ? "GET" : "POST")) return refuse(405, route.kind === "preview" ? "GET only." : "POST only, from the tenant's page.");
  if (!principal.roles.includes(REMEDIATOR_ROLE)) return refuse(403, `Fixing needs the app role ${REMEDIATOR_ROLE}: ask an administrator to assign it.`);
  const form = new URLSearchParams(http.body ?? "");
  if (method === "POST") {
    const problem = csrfProblem({ header: (n) => http.header(n), origin: http.origin, formToken: form.get("csrf") ?? undefined });
    if (problem) return refuse(403, problem);
  }
  const shell = deps.remediation;
  if (!shell) return refuse(404, "Fixes are off: the remediation app is not configured (REMEDIATION_CLIENT_ID).");
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) return refuse(404, `Tenant ${tenantId} is not registered.`);
  const params = method === "GET" ? http.query : form;
  const key = accountKeySchema.safeParse(params.get("account") ?? "");
  if (!key.success || !tenant.accounts.some((a) => a.key === key.data)) return refuse(400, "No such monitored account in this tenant.");
  const consent = await shell.consent(tenantId);
  if (!consent.granted) return refuse(403, `This tenant has not consented the remediation app: ${consent.why}`);
  if (!coversAnyFix(consent)) return refuse(403, "This tenant has not granted the remediation app any write permission a fix needs.");
  const actor: Actor = { id: principal.id, name: principal.name };
  const accountKey = key.data;

  if (route.kind === "step") {
    const ref = { tenantId, accountKey, id: route.id };
    const r =
      route.step === "approve"
        ? await approve(shell.flow, ref, actor)
        : route.step === "apply"
          ? await apply(shell.flow, ref, actor)
          : await revert(shell.flow, ref, actor);
    return r.ok ? back(base, tenantId, stepFlash(route, r.value)) : refuse(r.status, r.error);
  }
  const finding = findingSchema.safeParse(params.get("finding") ?? undefined);
  if (!finding.success) return refuse(400, finding.error.issues.map((i) => i.message).join("; "));
  const report = (await deps.monitor.readState(monitorPartition(tenantId, accountKey)))?.state.lastReport;
  const ref = { tenantId, accountKey, findingKey: finding.data, report };
  // No write permission, no fix: neither a preview nor a request of one the consent does not cover.
  const fixable = fixTargetOf(report, finding.data);
  if (fixable.ok && !consentCovers(consent, fixable.target.kind)) {
    return refuse(403, "The remediation app's consent in this tenant lacks the permissions this fix needs (docs/remediation.md).");
  }
  if (route.kind === "request") {
    const digest = digestSchema.safeParse(form.get("digest") ?? undefined);
    if (!digest.success) return refuse(400, digest.error.issues.map((i) => i.message).join("; "));
    const r: FlowResult<FixRequest> = await request(shell.flow, ref, actor, digest.data);
    return r.ok ? back(base, tenantId, `fix-${r.value.state}`) : refuse(r.status, r.error);
  }
  const previewed = await preview(shell.flow, ref);
  if (!previewed.ok) return refuse(previewed.status, previewed.error);
  const shown = previewed.value;
  const body = fixPreviewBody({
    base,
    tenantId,
    tenantName: tenant.displayName,
    accountKey,
    findingKey: finding.data,
    preview: shown,
    csrfToken,
    fourEyes: fourEyesFor(tenant, shell.settings.requireApproval),
  });
  return answer(200, `Drift Monitor — fix preview, ${tenant.displayName}`, body, base);
}

/**
 * The tenant page's fix section: what can be fixed here by this person, and every fix request of the
 * tenant's accounts. A failure to read them is said in the section; it never takes the page down.
 * `read`: what the tenant page already read (the registration, each account's state), not read again.
 */
export async function fixSectionFor(deps: DashboardDeps, base: string, read: PageRead, csrfToken: string, principal: Principal): Promise<Html> {
  const { tenantId } = read;
  try {
    return await fixSectionOf(deps, base, read, csrfToken, principal);
  } catch (error) {
    return fixSection({
      base,
      tenantId,
      csrfToken: null,
      viewerId: principal.id,
      off: `The fixes could not be read: ${redact(errorMessage(error))}`,
      accounts: [],
    });
  }
}

/** The tenant page's reads the fix section needs. */
interface PageRead {
  readonly tenantId: string;
  readonly tenant: RegisteredTenant | undefined;
  readonly accounts: readonly { readonly account: { readonly key: string }; readonly state: TenantState | undefined }[];
}

async function fixSectionOf(deps: DashboardDeps, base: string, read: PageRead, csrfToken: string, principal: Principal): Promise<Html> {
  const shell = deps.remediation;
  const { tenantId, tenant } = read;
  const stateOf = new Map(read.accounts.map((a) => [a.account.key, a.state]));
  const may = principal.roles.includes(REMEDIATOR_ROLE);
  const common = { base, tenantId, csrfToken: may ? csrfToken : null, viewerId: principal.id };
  if (!shell) return fixSection({ ...common, off: "Fixes are off: the remediation app is not configured (REMEDIATION_CLIENT_ID).", accounts: [] });
  if (!tenant) return fixSection({ ...common, off: "The tenant is not registered.", accounts: [] });
  const consent = await shell.consent(tenantId);
  const accounts: FixAccountView[] = await Promise.all(
    tenant.accounts.map(async (a) => {
      const state = stateOf.get(a.key);
      const fixes = await shell.flow.fixes.list(tenantId, a.key);
      const report = state?.lastReport;
      const fixable = (state?.findings ?? [])
        .filter((f) => f.status === "open")
        .filter((f) => {
          const t = fixTargetOf(report, f.key);
          return t.ok && consentCovers(consent, t.target.kind);
        })
        .map((f) => ({ findingKey: f.key, name: f.subjectName ?? (f.subject || f.checkId) }));
      return { key: a.key, label: tenant.accounts.length > 1 ? `${a.ref} (${KIND_LABEL[a.kind]})` : "", fixable, fixes: fixes.map((f) => f.fix) };
    }),
  );
  const off = coversAnyFix(consent)
    ? null
    : "This tenant has not consented the remediation app's write permissions, so no fix is offered (docs/remediation.md).";
  return fixSection({ ...common, off, accounts });
}
