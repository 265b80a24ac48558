/**
 * The tenant view: who it is, its status, every check (checks-section.ts), a timeline of status
 * changes and alerts, the difference between two snapshots (any two, chosen in a form), the
 * alerts still pending and those dead-lettered, and the check-now button (a POST carrying the
 * CSRF token). Pure. The same body, without the button and the snapshot form, is the
 * self-contained report of `drift-monitor report --html`.
 */
import type { SnapshotDiff } from "../drift/history.js";
import type { TenantState } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
import type { TimelineEntry } from "../status/history.js";
import type { DeadLetterView } from "../status/views.js";
import { checkSection } from "./checks-section.js";
import { orderResults } from "../checks/severity.js";
import { plural, statusBadge, time } from "./format.js";
import { html, type Html } from "./html.js";
import { page } from "./layout.js";
import type { ApprovedException, AuditEntry } from "../model/standing.js";
import { standingsSection } from "./standings-section.js";

export interface PendingAlertView {
  readonly alertId: string;
  readonly createdAt: string;
  readonly kinds: readonly string[];
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface TenantView {
  readonly base: string;
  readonly tenantId: string;
  readonly tenant: RegisteredTenant | undefined;
  readonly state: TenantState | undefined;
  /** Why the stored state could not be read; null when it could. */
  readonly unreadableState: string | null;
  /** Newest first. */
  readonly snapshots: readonly { readonly id: string; readonly takenAt: string; readonly status: string }[];
  readonly diff: SnapshotDiff | null;
  readonly timeline: readonly TimelineEntry[];
  readonly pending: readonly PendingAlertView[];
  readonly deadLettered: readonly DeadLetterView[];
  readonly checkInFlightUntil: string | null;
  /** The check-now form's token; null leaves the button out (the report, or a reader without the role). */
  readonly csrfToken: string | null;
  /** What the last check-now did, shown once after the redirect. */
  readonly flash: string | null;
  readonly standalone?: boolean;
  /** The tenant's exceptions and the estate-wide ones, removed ones included. */
  readonly exceptions?: readonly ApprovedException[];
  /** The tenant's and the estate's audit entries, newest first. */
  readonly audit?: readonly AuditEntry[];
  /** Why the operator's last decision was not saved (shown escaped, with the forms). */
  readonly problem?: string | null;
  /** When the page was read (tells a standing exception from an expired one). */
  readonly readAt?: string;
  /** The fixes section (fix-section.ts), rendered by the dashboard where remediation may be offered. */
  readonly fixes?: Html;
}

function summary(v: TenantView): Html {
  const t = v.tenant;
  const report = v.state?.lastReport;
  const status = v.unreadableState !== null ? statusBadge("unreadable") : report ? statusBadge(report.status) : statusBadge("not-checked", "not checked yet");
  const late = v.state?.lateSince ? html` ${statusBadge("late", "late")} since ${time(v.state.lateSince)}: ${v.state.lateReason ?? "throttled"}` : "";
  return html`<dl class="facts">
      <dt>Tenant id</dt>
      <dd class="id">${v.tenantId}</dd>
      ${
        t
          ? html`<dt>Connection account</dt>
              <dd>${t.account}</dd>
              <dt>Profile</dt>
              <dd>${t.profile}${t.enabled ? "" : " (disabled)"}</dd>
              <dt>Alerts to</dt>
              <dd>${t.recipients.join(", ") || "the global list only"}</dd>`
          : html`<dt>Registration</dt>
              <dd>not registered (history kept)</dd>`
      }
      <dt>Status</dt>
      <dd>${status}${late}</dd>
      <dt>Last checked</dt>
      <dd>${time(report?.checkedAt)}</dd>
      ${
        v.checkInFlightUntil
          ? html`<dt>Check</dt>
              <dd>queued or running (until ${time(v.checkInFlightUntil)})</dd>`
          : ""
      }
    </dl>
    ${
      v.unreadableState !== null
        ? html`<p class="notice error">Its stored state does not parse (the next check moves it aside and starts over): ${v.unreadableState}</p>`
        : ""
    }`;
}

function checkNow(v: TenantView): Html {
  if (!v.csrfToken || !v.tenant) return html``;
  return html`<form class="check-now" method="post" action="${v.base}/tenants/${v.tenantId}/check">
    <input type="hidden" name="csrf" value="${v.csrfToken}" />
    <button type="submit" class="primary">Check now</button>
  </form>`;
}

function timelineEntry(e: TimelineEntry): Html {
  if (e.kind === "status") {
    return html`<tr data-kind="status">
      <td>${time(e.at)}</td>
      <td>Status ${e.from ? html`${statusBadge(e.from)} → ` : ""}${statusBadge(e.to)}</td>
      <td class="id muted">snapshot ${e.snapshotId}</td>
    </tr>`;
  }
  const delivery =
    e.delivery === "sent"
      ? html`sent ${time(e.sentAt)}`
      : e.delivery === "failed"
        ? html`<span class="status-fail">dead-lettered</span>`
        : html`pending (${plural(e.attempts, "attempt")})`;
  return html`<tr data-kind="alert">
    <td>${time(e.at)}</td>
    <td>Alert: ${e.transitions.join(", ")}</td>
    <td>${delivery}</td>
  </tr>`;
}

function timeline(v: TenantView): Html {
  return html`<h2>Timeline</h2>
    ${
      v.timeline.length === 0
        ? html`<p class="muted">Nothing yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              ${v.timeline.map(timelineEntry)}
            </tbody>
          </table>`
    }`;
}

function diffList(d: SnapshotDiff): Html {
  const items: Html[] = [];
  if (d.status) items.push(html`<li>status: ${statusBadge(d.status.from)} → ${statusBadge(d.status.to)}</li>`);
  for (const c of d.checks) items.push(html`<li>check ${c.id}: ${c.from ?? "absent"} → ${c.to ?? "absent"}</li>`);
  if (d.policies) {
    for (const p of d.policies.appeared) items.push(html`<li>policy added: ${p.displayName} <span class="id muted">${p.id}</span></li>`);
    for (const p of d.policies.changed)
      items.push(html`<li>policy changed: ${p.displayName} <span class="id muted">${p.id}</span>: ${p.fields.join(", ")}</li>`);
    for (const p of d.policies.disappeared) items.push(html`<li>policy removed: ${p.displayName} <span class="id muted">${p.id}</span></li>`);
  } else {
    items.push(html`<li>policies: not comparable (one of the snapshots could not read them)</li>`);
  }
  if (items.length === 0) items.push(html`<li>nothing that matters to the checks</li>`);
  return html`<p>From ${time(d.from.takenAt)} to ${time(d.to.takenAt)}:</p>
    <ul class="diff">
      ${items}
    </ul>`;
}

function snapshotOptions(v: TenantView, selected: string | undefined): Html {
  return html`${v.snapshots.map((s) => html`<option value="${s.id}" ${s.id === selected ? html` selected` : ""}>${s.takenAt} (${s.status})</option>`)}`;
}

function snapshots(v: TenantView): Html {
  const form =
    v.standalone || v.snapshots.length < 2
      ? ""
      : html`<form class="filters" method="get" action="${v.base}/tenants/${v.tenantId}#diff">
          <label
            >From<select name="from">
              ${snapshotOptions(v, v.diff?.from.id)}
            </select></label
          >
          <label
            >To<select name="to">
              ${snapshotOptions(v, v.diff?.to.id)}
            </select></label
          >
          <button type="submit">Compare</button>
        </form>`;
  return html`<h2 id="diff">What changed between snapshots</h2>
    ${form} ${v.diff ? diffList(v.diff) : html`<p class="muted">${v.snapshots.length < 2 ? "Only one snapshot so far." : "Choose two snapshots."}</p>`}`;
}

/** A POST with the CSRF token, like check now: the same role and same-origin rules apply. */
function requeueButton(v: TenantView, alertId: string): Html {
  return html`<form class="requeue" method="post" action="${v.base}/tenants/${v.tenantId}/alerts/${alertId}/requeue">
    <input type="hidden" name="csrf" value="${v.csrfToken ?? ""}" />
    <button type="submit" aria-label="${`Requeue alert ${alertId}`}">Requeue</button>
  </form>`;
}

type AlertRow = Pick<PendingAlertView, "alertId" | "createdAt" | "kinds" | "attempts" | "lastError">;

/** Pending and dead-lettered alerts, one table shape; `requeue` adds the button column. */
function alertTable(rows: readonly AlertRow[], requeue?: (alertId: string) => Html): Html {
  if (rows.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Alert</th>
        <th scope="col">Created</th>
        <th scope="col">Changes</th>
        <th scope="col" class="num">Attempts</th>
        <th scope="col">Last error</th>
        ${requeue ? html`<th scope="col">Requeue</th>` : ""}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (a) =>
          html`<tr>
            <td class="id">${a.alertId}</td>
            <td>${time(a.createdAt)}</td>
            <td>${a.kinds.join(", ")}</td>
            <td class="num">${a.attempts}</td>
            <td>${a.lastError ?? "—"}</td>
            ${requeue ? html`<td>${requeue(a.alertId)}</td>` : ""}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function alerts(v: TenantView): Html {
  const notice = v.deadLettered.length
    ? html`<p class="notice error">
        Delivery was given up on these: fix what made them fail, then requeue them (or <code>drift-monitor alerts requeue</code>).
      </p>`
    : "";
  return html`<h2>Pending alerts</h2>
    ${alertTable(v.pending)}
    <h2>Dead-lettered alerts</h2>
    ${notice} ${alertTable(v.deadLettered, v.csrfToken ? (id) => requeueButton(v, id) : undefined)}`;
}

function standings(v: TenantView): Html {
  const decisions = {
    base: v.base,
    tenantId: v.tenantId,
    state: v.state,
    exceptions: v.exceptions ?? [],
    audit: v.audit ?? [],
    csrfToken: v.standalone || !v.tenant ? null : v.csrfToken,
    problem: v.problem ?? null,
  };
  return standingsSection(decisions, v.readAt ?? new Date(0).toISOString());
}

function tenantBody(v: TenantView): Html {
  const name = v.tenant?.displayName ?? v.state?.lastReport.tenantId ?? v.tenantId;
  // Most severe first, then by rank; checks with nothing to report keep the registry's order after them.
  const checks = orderResults(v.state?.lastReport.checks ?? []);
  return html`${v.standalone ? "" : html`<p><a href="${v.base}/">← Estate</a></p>`}
    <h1>${name}</h1>
    ${v.flash ? html`<p class="notice" role="status">${v.flash}</p>` : ""} ${summary(v)} ${checkNow(v)} ${standings(v)} ${v.fixes ?? ""}
    <h2>Checks</h2>
    ${checks.length === 0 ? html`<p class="muted">Not checked yet.</p>` : checks.map((c) => checkSection(c, v.tenantId))} ${timeline(v)} ${snapshots(v)}
    ${alerts(v)}`;
}

export function tenantHtml(v: TenantView): string {
  const name = v.tenant?.displayName ?? v.tenantId;
  return page(`Drift Monitor — ${name}`, tenantBody(v), { base: v.base, standalone: v.standalone === true });
}
