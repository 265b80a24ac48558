/**
 * One monitored account on the tenant page: its kind, reference, profile and status, its
 * findings with the decisions on them, every check, a timeline of status changes and alerts,
 * the difference between two snapshots (any two, chosen in a form), and the alerts still pending
 * and those dead-lettered. Pure. Ids carry the account's position so several accounts share a page.
 */
import type { SnapshotDiff } from "../drift/history.js";
import type { TenantState } from "../model/state.js";
import type { MonitoredAccount } from "../model/tenant.js";
import type { TimelineEntry } from "../status/history.js";
import type { DeadLetterView } from "../status/views.js";
import { KIND_LABEL } from "../model/account.js";
import { orderResults } from "../checks/severity.js";
import { checkSection } from "./checks-section.js";
import { plural, statusBadge, time } from "./format.js";
import { html, type Html } from "./html.js";
import { findingsSection } from "./standings-section.js";

export interface PendingAlertView {
  readonly alertId: string;
  readonly createdAt: string;
  readonly kinds: readonly string[];
  readonly attempts: number;
  readonly lastError: string | null;
}

/** What the page shows of one account (functions/dashboard/views.ts reads it from the account's partition). */
export interface AccountView {
  readonly account: MonitoredAccount;
  readonly state: TenantState | undefined;
  /** Why the stored state could not be read; null when it could. */
  readonly unreadableState: string | null;
  /** Newest first. */
  readonly snapshots: readonly { readonly id: string; readonly takenAt: string; readonly status: string }[];
  readonly diff: SnapshotDiff | null;
  readonly timeline: readonly TimelineEntry[];
  readonly pending: readonly PendingAlertView[];
  readonly deadLettered: readonly DeadLetterView[];
}

/** What the section needs of the page. */
interface AccountContext {
  readonly base: string;
  readonly tenantId: string;
  readonly registered: boolean;
  /** The forms' token; null leaves every form out. */
  readonly csrfToken: string | null;
  readonly standalone: boolean;
  /** The tenant has more than one account: an exception's form offers this one alone or every one. */
  readonly multiAccount: boolean;
}

/** The anchor of the i-th account's section. */
export const accountAnchor = (i: number): string => `account-${i + 1}`;

export function accountStatus(a: AccountView): Html {
  if (a.unreadableState !== null) return statusBadge("unreadable");
  const report = a.state?.lastReport;
  return report ? statusBadge(report.status) : statusBadge("not-checked", "not checked yet");
}

function facts(a: AccountView): Html {
  const late = a.state?.lateSince ? html` ${statusBadge("late", "late")} since ${time(a.state.lateSince)}: ${a.state.lateReason ?? "throttled"}` : "";
  return html`<dl class="facts">
      <dt>Kind</dt>
      <dd>${KIND_LABEL[a.account.kind]}</dd>
      <dt>Profile</dt>
      <dd>${a.account.profile}</dd>
      <dt>Status</dt>
      <dd>${accountStatus(a)}${late}</dd>
      <dt>Last checked</dt>
      <dd>${time(a.state?.lastReport.checkedAt)}</dd>
    </dl>
    ${
      a.unreadableState !== null
        ? html`<p class="notice error">Its stored state does not parse (the next check moves it aside and starts over): ${a.unreadableState}</p>`
        : ""
    }`;
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

function timeline(a: AccountView): Html {
  return html`<h3>Timeline</h3>
    ${
      a.timeline.length === 0
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
              ${a.timeline.map(timelineEntry)}
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

function snapshotOptions(a: AccountView, selected: string | undefined): Html {
  return html`${a.snapshots.map((s) => html`<option value="${s.id}" ${s.id === selected ? html` selected` : ""}>${s.takenAt} (${s.status})</option>`)}`;
}

function snapshots(c: AccountContext, a: AccountView, anchor: string): Html {
  const account = a.account.key === "" ? "" : html`<input type="hidden" name="account" value="${a.account.key}" />`;
  const form =
    c.standalone || a.snapshots.length < 2
      ? ""
      : html`<form class="filters" method="get" action="${c.base}/tenants/${c.tenantId}#${anchor}-diff">
          ${account}
          <label
            >From<select name="from">
              ${snapshotOptions(a, a.diff?.from.id)}
            </select></label
          >
          <label
            >To<select name="to">
              ${snapshotOptions(a, a.diff?.to.id)}
            </select></label
          >
          <button type="submit">Compare</button>
        </form>`;
  return html`<h3 id="${anchor}-diff">What changed between snapshots</h3>
    ${form} ${a.diff ? diffList(a.diff) : html`<p class="muted">${a.snapshots.length < 2 ? "Only one snapshot so far." : "Choose two snapshots."}</p>`}`;
}

/** A POST with the CSRF token, like check now: the same role and same-origin rules apply. */
function requeueButton(c: AccountContext, a: AccountView, alertId: string): Html {
  const account = a.account.key === "" ? "" : html`<input type="hidden" name="account" value="${a.account.key}" />`;
  return html`<form class="requeue" method="post" action="${c.base}/tenants/${c.tenantId}/alerts/${alertId}/requeue">
    <input type="hidden" name="csrf" value="${c.csrfToken ?? ""}" />${account}
    <button type="submit" aria-label="${`Requeue alert ${alertId}`}">Requeue</button>
  </form>`;
}

/** Pending and dead-lettered alerts, one table shape; `requeue` adds the button column. */
function alertTable(rows: readonly PendingAlertView[], requeue?: (alertId: string) => Html): Html {
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
        (r) =>
          html`<tr>
            <td class="id">${r.alertId}</td>
            <td>${time(r.createdAt)}</td>
            <td>${r.kinds.join(", ")}</td>
            <td class="num">${r.attempts}</td>
            <td>${r.lastError ?? "—"}</td>
            ${requeue ? html`<td>${requeue(r.alertId)}</td>` : ""}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function alerts(c: AccountContext, a: AccountView): Html {
  const notice = a.deadLettered.length
    ? html`<p class="notice error">
        Delivery was given up on these: fix what made them fail, then requeue them (or <code>drift-monitor alerts requeue</code>).
      </p>`
    : "";
  return html`<h3>Pending alerts</h3>
    ${alertTable(a.pending)}
    <h3>Dead-lettered alerts</h3>
    ${notice} ${alertTable(a.deadLettered, c.csrfToken ? (id) => requeueButton(c, a, id) : undefined)}`;
}

export function accountSection(c: AccountContext, a: AccountView, i: number): Html {
  const anchor = accountAnchor(i);
  // Most severe first, then by rank; checks with nothing to report keep the registry's order after them.
  const checks = orderResults(a.state?.lastReport.checks ?? []);
  const decisions = {
    base: c.base,
    tenantId: c.tenantId,
    accountKey: a.account.key,
    accountRef: a.account.ref,
    otherAccounts: c.multiAccount,
    state: a.state,
    csrfToken: c.standalone || !c.registered ? null : c.csrfToken,
  };
  return html`<section class="account" id="${anchor}" aria-labelledby="${anchor}-title" data-account="${a.account.key}" data-kind="${a.account.kind}">
    <h2 id="${anchor}-title">${KIND_LABEL[a.account.kind]}: ${a.account.ref}</h2>
    ${facts(a)} ${findingsSection(decisions)}
    <h3>Checks</h3>
    ${checks.length === 0 ? html`<p class="muted">Not checked yet.</p>` : checks.map((r) => checkSection(r, c.tenantId, `${anchor}-`))} ${timeline(a)}
    ${snapshots(c, a, anchor)} ${alerts(c, a)}
  </section>`;
}
