/**
 * The tenant view: who it is, its status (the worst of its accounts'), its accounts with their
 * kinds at a glance, the check-now button (a POST carrying the CSRF token), then each account in
 * its own section (account-section.ts: findings and decisions, checks, timeline, snapshots,
 * alerts), and the tenant's exceptions and audit trail. Pure. The same body, without the forms,
 * is the self-contained report of `drift-monitor report --html`.
 */
import type { RegisteredTenant } from "../model/tenant.js";
import { accountStatusOf, worstStatus, type AccountStatus } from "../status/accounts.js";
import { accountAnchor, accountSection, accountStatus, type AccountView } from "./account-section.js";
import { plural, statusBadge, time } from "./format.js";
import { html, type Html } from "./html.js";
import { page } from "./layout.js";
import type { ApprovedException, AuditEntry } from "../model/standing.js";
import { recordsSection } from "./standings-section.js";
import { KIND_LABEL } from "../model/account.js";

export type { AccountView } from "./account-section.js";

export interface TenantView {
  readonly base: string;
  readonly tenantId: string;
  readonly tenant: RegisteredTenant | undefined;
  /** Its accounts in the registration's order; a tenant no longer registered: its first account's history. */
  readonly accounts: readonly AccountView[];
  readonly checkInFlightUntil: string | null;
  /** The forms' token; null leaves the button and the forms out (the report, or a reader without the role). */
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
  /** The acknowledgement and exception rows its runs leave out because they do not parse (`partition/rowKey`). */
  readonly unreadableStandings?: readonly string[];
  /** The fixes section (fix-section.ts), rendered by the dashboard where remediation may be offered. */
  readonly fixes?: Html;
}

const statusOf = (a: AccountView): AccountStatus => accountStatusOf(a.state, a.unreadableState !== null);

function summary(v: TenantView): Html {
  const t = v.tenant;
  const status = worstStatus(v.accounts.map(statusOf));
  return html`<dl class="facts">
      <dt>Tenant id</dt>
      <dd class="id">${v.tenantId}</dd>
      ${
        t
          ? html`<dt>Monitored accounts</dt>
              <dd>${plural(t.accounts.length, "account")}${t.enabled ? "" : " (disabled)"}</dd>
              <dt>Alerts to</dt>
              <dd>${t.recipients.join(", ") || "the global list only"}</dd>`
          : html`<dt>Registration</dt>
              <dd>not registered (history kept)</dd>`
      }
      <dt>Status</dt>
      <dd>${statusBadge(status, status === "not-checked" ? "not checked yet" : status)}</dd>
      ${
        v.checkInFlightUntil
          ? html`<dt>Check</dt>
              <dd>queued or running (until ${time(v.checkInFlightUntil)})</dd>`
          : ""
      }
    </dl>
    ${unreadableStandings(v.unreadableStandings ?? [])}`;
}

function unreadableStandings(keys: readonly string[]): Html {
  if (keys.length === 0) return html``;
  const n = keys.length;
  return html`<p class="notice error" data-unreadable-standings="${String(n)}">
    ${plural(n, "unreadable acknowledgement/exception row")}: every check leaves ${n === 1 ? "it" : "them"} out. Fix or delete ${n === 1 ? "it" : "them"} in the
    Monitor table, then acknowledge or approve again: ${keys.join(", ")}
  </p>`;
}

function accountsTable(v: TenantView): Html {
  // `#decisions`: where a decision's redirect lands, above every account's findings.
  return html`<table class="accounts" id="decisions">
    <caption>
      Accounts
    </caption>
    <thead>
      <tr>
        <th scope="col">Account</th>
        <th scope="col">Kind</th>
        <th scope="col">Profile</th>
        <th scope="col">Status</th>
        <th scope="col" class="num">Open findings</th>
        <th scope="col">Last checked</th>
      </tr>
    </thead>
    <tbody>
      ${v.accounts.map(
        (a, i) =>
          html`<tr data-account="${a.account.key}">
            <th scope="row"><a href="#${accountAnchor(i)}">${a.account.ref}</a></th>
            <td>${KIND_LABEL[a.account.kind]}</td>
            <td>${a.account.profile}</td>
            <td>${accountStatus(a)}</td>
            <td class="num">${a.state?.findings.filter((f) => f.status === "open").length ?? 0}</td>
            <td>${time(a.state?.lastReport.checkedAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function checkNow(v: TenantView): Html {
  if (!v.csrfToken || !v.tenant) return html``;
  return html`<form class="check-now" method="post" action="${v.base}/tenants/${v.tenantId}/check">
    <input type="hidden" name="csrf" value="${v.csrfToken}" />
    <button type="submit" class="primary">Check now</button>
  </form>`;
}

function tenantBody(v: TenantView): Html {
  const name = v.tenant?.displayName ?? v.accounts[0]?.state?.lastReport.tenantId ?? v.tenantId;
  const shared = { base: v.base, tenantId: v.tenantId, registered: v.tenant !== undefined, csrfToken: v.csrfToken, standalone: v.standalone === true };
  const context = { ...shared, multiAccount: v.accounts.length > 1 };
  const records = { exceptions: v.exceptions ?? [], audit: v.audit ?? [], accounts: { accounts: v.accounts.map((a) => a.account) } };
  return html`${v.standalone ? "" : html`<p><a href="${v.base}/">← Estate</a></p>`}
    <h1>${name}</h1>
    ${v.flash ? html`<p class="notice" role="status">${v.flash}</p>` : ""} ${summary(v)} ${accountsTable(v)} ${checkNow(v)} ${v.fixes ?? ""}
    ${v.problem ? html`<p class="notice error" role="alert">Not saved: ${v.problem}</p>` : ""} ${v.accounts.map((a, i) => accountSection(context, a, i))}
    ${recordsSection(records, v.readAt ?? new Date(0).toISOString())}`;
}

export function tenantHtml(v: TenantView): string {
  const name = v.tenant?.displayName ?? v.tenantId;
  return page(`Drift Monitor — ${name}`, tenantBody(v), { base: v.base, standalone: v.standalone === true });
}
