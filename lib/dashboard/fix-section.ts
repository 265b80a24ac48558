/**
 * The tenant page's fixes: a "Fix" button on each fixable finding (only where the remediation app
 * is configured AND the tenant consented it the write that finding needs), the fix requests with
 * who asked and who approved, the exact change (the written fields before and after, the request),
 * what Graph answered, the re-check, and the buttons for the next step (approve, apply, revert).
 * The preview page shows one fix before it is requested. Plain forms: a GET for the preview
 * (a read), POSTs with the CSRF token for every step. Pure.
 */
import type { FixRequest, FixRun, Recheck, StoredJson } from "../model/remediation.js";
import type { RemediationPlan } from "../remediation/plan.js";
import { time } from "./format.js";
import { html, type Html } from "./html.js";

export interface FixableFinding {
  readonly findingKey: string;
  /** The finding as people know it (a policy's name, a check's id). */
  readonly name: string;
}

export interface FixAccountView {
  readonly key: string;
  /** "admin@contoso.com (connection account)"; empty for a one-account tenant. */
  readonly label: string;
  readonly fixable: readonly FixableFinding[];
  readonly fixes: readonly FixRequest[];
}

interface FixSectionView {
  readonly base: string;
  readonly tenantId: string;
  /** Why there is no Fix button at all (remediation not configured, no consent); null when there can be. */
  readonly off: string | null;
  readonly accounts: readonly FixAccountView[];
  /** Null: no forms (a reader without the Remediator role). */
  readonly csrfToken: string | null;
  /** The signed-in person's id: their own pending request says it waits for someone else. */
  readonly viewerId: string | null;
}

const csrf = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}" />`;
const pretty = (value: StoredJson | undefined): string => JSON.stringify(value ?? null, null, 2);

/** The audit trail's words for a fix's steps. */
export const FIX_AUDIT_LABELS = {
  "fix-requested": "requested a fix",
  "fix-approved": "approved the fix",
  "fix-applied": "applied the fix",
  "fix-stale": "tried the fix: the resource had changed, nothing written",
  "fix-refused": "applied the fix: Graph refused it",
  "fix-failed": "applied the fix: it failed",
  "fix-expired": "the fix request expired",
  "fix-reverted": "reverted the fix",
  "fix-rechecked": "checked the tenant again after the fix",
} as const;

/** The change as written (or, before it ran, as previewed): the fields before and after, as JSON. */
function change(fix: FixRequest): { before: StoredJson | undefined; after: StoredJson | undefined } {
  const run = fix.revert && fix.state === "reverted" ? fix.revert : fix.result;
  return run?.before && run.after ? { before: run.before, after: run.after } : { before: fix.plan.before, after: fix.plan.after };
}

/** One side of an audit entry about a fix. */
export function fixAuditSide(fix: FixRequest): Html {
  const c = change(fix);
  const approved = fix.approvedBy ? html`, approved by ${fix.approvedBy.name}` : "";
  return html`fix <span class="id">${fix.id}</span> ${fix.state}: requested by ${fix.requestedBy.name}${approved}
    <pre class="json" data-side="before">before: ${pretty(c.before)}</pre>
    <pre class="json" data-side="after">after: ${pretty(c.after)}</pre>`;
}

function runText(label: string, run: FixRun | undefined): Html {
  if (!run) return html``;
  const answer = run.answer ? html` Graph answered ${run.answer.status}.` : "";
  return html`<p class="fix-run" data-outcome="${run.outcome}">${label} by ${run.by.name}, ${time(run.at)}: ${run.message}${answer}</p>`;
}

function recheckText(r: Recheck | undefined): Html {
  if (!r) return html``;
  const finding = r.finding ? html` The finding is ${r.finding === "resolved" ? "resolved" : r.finding === "open" ? "still open" : "gone"}.` : "";
  return html`<p class="recheck" data-recheck="${r.outcome}" data-status="${r.tenantStatus ?? ""}">
    Re-check ${time(r.at)}: ${r.detail}${r.tenantStatus ? html` The tenant is <strong>${r.tenantStatus}</strong>.` : ""}${finding}
  </p>`;
}

function stepButton(v: FixSectionView, a: FixAccountView, fix: FixRequest, step: "approve" | "apply" | "revert", label: string, token: string): Html {
  return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/fixes/${fix.id}/${step}">
    ${csrf(token)}<input type="hidden" name="account" value="${a.key}" />
    <button type="submit" data-step="${step}">${label}</button>
  </form>`;
}

function nextStep(v: FixSectionView, a: FixAccountView, fix: FixRequest): Html {
  const token = v.csrfToken;
  if (token === null) return html``;
  if (fix.state === "pending") {
    if (fix.fourEyes && v.viewerId === fix.requestedBy.id)
      return html`<p class="muted">Waiting for a second person with the Remediator role to approve it.</p>`;
    return stepButton(v, a, fix, "approve", "Approve", token);
  }
  if (fix.state === "approved") return stepButton(v, a, fix, "apply", "Apply", token);
  if (fix.state === "applied") return stepButton(v, a, fix, "revert", "Revert", token);
  return html``;
}

function fixItem(v: FixSectionView, a: FixAccountView, fix: FixRequest): Html {
  const c = change(fix);
  return html`<li class="fix" data-fix="${fix.id}" data-state="${fix.state}" data-finding="${fix.findingKey}">
    <strong>${fix.plan.description}</strong> <span class="badge">${fix.state}</span>
    <p>
      Requested by ${fix.requestedBy.name},
      ${time(fix.requestedAt)}${fix.approvedBy ? html`; approved by ${fix.approvedBy.name}, ${time(fix.approvedAt ?? "")}` : ""}
      ${fix.state === "pending" ? html`; expires ${time(fix.expiresAt)}` : ""}
    </p>
    <p><code>${fix.plan.request.method} /${fix.plan.request.version}${fix.plan.request.url}</code></p>
    <pre class="json" data-side="before">before: ${pretty(c.before)}</pre>
    <pre class="json" data-side="after">after: ${pretty(c.after)}</pre>
    ${runText("Applied", fix.result)} ${recheckText(fix.recheck)} ${runText("Reverted", fix.revert)} ${recheckText(fix.revertRecheck)} ${nextStep(v, a, fix)}
  </li>`;
}

function fixButton(v: FixSectionView, a: FixAccountView, f: FixableFinding): Html {
  return html`<li data-fixable="${f.findingKey}">
    ${f.name}
    <form class="decide" method="get" action="${v.base}/tenants/${v.tenantId}/fix">
      <input type="hidden" name="finding" value="${f.findingKey}" /><input type="hidden" name="account" value="${a.key}" />
      <button type="submit" aria-label="${`Fix ${f.name}`}">Fix</button>
    </form>
  </li>`;
}

function accountPart(v: FixSectionView, a: FixAccountView): Html {
  const buttons =
    v.off === null && v.csrfToken !== null && a.fixable.length > 0
      ? html`<ul class="fixable">
          ${a.fixable.map((f) => fixButton(v, a, f))}
        </ul>`
      : "";
  const list =
    a.fixes.length > 0
      ? html`<ul class="fixes">
          ${a.fixes.map((f) => fixItem(v, a, f))}
        </ul>`
      : "";
  return html`${a.label ? html`<h3>${a.label}</h3>` : ""}${buttons}${list}`;
}

export function fixSection(v: FixSectionView): Html {
  const none = v.accounts.every((a) => a.fixes.length === 0 && (v.off !== null || a.fixable.length === 0));
  return html`<h2 id="fixes">Fixes</h2>
    ${v.off !== null ? html`<p class="muted" data-fix-off>${v.off}</p>` : ""}
    ${none && v.off === null ? html`<p class="muted">Nothing to fix with one click.</p>` : ""} ${v.accounts.map((a) => accountPart(v, a))}`;
}

interface FixPreviewView {
  readonly base: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly accountKey: string;
  readonly findingKey: string;
  readonly preview: { readonly plan: RemediationPlan; readonly digest: string } | { readonly manual: string };
  readonly csrfToken: string;
  readonly fourEyes: boolean;
}

/** The preview page's body: exactly what would be sent, and the form that requests it. */
export function fixPreviewBody(v: FixPreviewView): Html {
  const back = html`<p><a href="${v.base}/tenants/${v.tenantId}">← ${v.tenantName}</a></p>`;
  if ("manual" in v.preview) {
    return html`${back}
      <h1>No one-click fix</h1>
      <p class="notice">${v.preview.manual}</p>`;
  }
  const p = v.preview.plan;
  return html`${back}
    <h1>Fix preview</h1>
    <p>${p.description}</p>
    <h2>The request</h2>
    <p><code data-request>${p.request.method} /${p.request.version}${p.request.url}</code></p>
    <pre class="json" data-side="body">${JSON.stringify(p.request.body, null, 2)}</pre>
    <h2>The change</h2>
    <pre class="json" data-side="before">before: ${JSON.stringify(p.before, null, 2)}</pre>
    <pre class="json" data-side="after">after: ${JSON.stringify(p.after, null, 2)}</pre>
    <p>Made by the remediation app with ${p.permissions.join(" and ")} (<a href="${p.documentation}">Graph's documentation</a>).</p>
    <form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/fixes">
      ${csrf(v.csrfToken)}<input type="hidden" name="account" value="${v.accountKey}" /><input type="hidden" name="finding" value="${v.findingKey}" />
      <input type="hidden" name="digest" value="${v.preview.digest}" />
      <button type="submit">${v.fourEyes ? "Request this fix (a second person approves it)" : "Request this fix"}</button>
    </form>`;
}
