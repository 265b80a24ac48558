/**
 * The estate view: counts by status (each a filter link), the 30-day chart, the filters and the
 * search, and one page of tenants — drifted, unknown, late and warning first. Pure: the handler
 * reads the data, this renders it.
 */
import { CHECK_IDS } from "../checks/registry.js";
import { ESTATE_FILTERS, PAGE_SIZES, type EstateFilter, type EstatePage, type EstateQuery, type EstateRow } from "../status/estate-query.js";
import type { DayCounts } from "../status/history.js";
import { estateChart } from "./chart.js";
import { checkName, plural, statusBadge, time } from "./format.js";
import { html, queryString, type Html } from "./html.js";
import { page } from "./layout.js";
import { consentSection } from "./consent-section.js";
import type { ConsentLine } from "../status/consent.js";
import { estateExceptionsSection, type EstateExceptionsView } from "./estate-exceptions-section.js";

export interface EstateView {
  readonly base: string;
  readonly query: EstateQuery;
  readonly page: EstatePage;
  /** When the rows were read from storage (they are kept for a few seconds). */
  readonly readAt: string;
  readonly chart: readonly DayCounts[];
  /** The next scheduled run (every enabled tenant is queued then); null when not known. */
  readonly nextRun: string | null;
  readonly deadLettered: number;
  readonly unreadableRows: number;
  /** Tenants whose app lacks a permission the checks need (absent: not read). */
  readonly consent?: readonly ConsentLine[];
  /** The estate-wide exception templates and their forms (absent: not read). */
  readonly exceptions?: EstateExceptionsView;
  /** What the last action did, shown at the top. */
  readonly flash?: string | null;
}

const FILTER_LABEL: Record<EstateFilter, string> = {
  drifted: "Drifted",
  unknown: "Unknown",
  unreadable: "Unreadable",
  late: "Late",
  warning: "Warnings",
  "not-checked": "Not checked",
  compliant: "Compliant",
};

type Params = Record<string, string | number | undefined>;
const paramsOf = (q: EstateQuery): Params => ({ status: q.status, check: q.check, profile: q.profile, q: q.q, size: q.size === 50 ? undefined : q.size });

function counts(v: EstateView): Html {
  const params = paramsOf(v.query);
  const link = (status: EstateFilter | undefined, label: string, n: number) =>
    html`<li>
      <a href="${v.base}/${queryString({ ...params, status })}" aria-current="${v.query.status === status ? "true" : "false"}"
        ><strong>${n.toLocaleString("en")}</strong>${label}</a
      >
    </li>`;
  return html`<ul class="counts" aria-label="Tenants by status">
    ${link(undefined, "All tenants", v.page.counts.total)}
    ${ESTATE_FILTERS.filter((f) => v.page.counts[f] > 0 || f === "drifted").map((f) => link(f, FILTER_LABEL[f], v.page.counts[f]))}
  </ul>`;
}

/** The accounts behind the tenants: how many, of which kind, how many drifted. */
function accountCounts(v: EstateView): Html {
  const a = v.page.counts.accounts;
  const kinds = [plural(a.byKind.connection, "connection account"), plural(a.byKind["emergency-access"], "emergency-access account")];
  const attention = a.byStatus.drifted + a.byStatus.unknown + a.byStatus.unreadable;
  return html`<p class="accounts-count">
    ${plural(a.total, "monitored account")} in ${plural(v.page.counts.total, "tenant")}: ${kinds.join(", ")}; ${plural(a.byStatus.drifted, "account")}
    drifted${attention > a.byStatus.drifted ? `, ${attention - a.byStatus.drifted} unknown or unreadable` : ""}.
  </p>`;
}

/** A tenant's accounts under its name: how many, and of which kind, when not the one connection account. */
function accountsLine(r: EstateRow): Html {
  const emergency = r.accounts.filter((a) => a.kind === "emergency-access").length;
  if (r.accounts.length === 1 && emergency === 0) return html``;
  const drifted = r.accounts.filter((a) => a.status === "drifted").length;
  return html`<br /><span class="muted"
      >${plural(r.accounts.length, "account")}${emergency > 0 ? ` (${emergency} emergency-access)` : ""}${drifted > 0 ? `, ${drifted} drifted` : ""}</span
    >`;
}

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}" ${selected ? html` selected` : ""}>${label}</option>`;
}

function filters(v: EstateView): Html {
  const q = v.query;
  return html`<form class="filters" method="get" action="${v.base}/" role="search">
    <label>Search<input type="search" name="q" value="${q.q ?? ""}" placeholder="name, tenant id or domain" /></label>
    <label
      >Status<select name="status">
        ${option("", "any", !q.status)}${ESTATE_FILTERS.map((f) => option(f, FILTER_LABEL[f], q.status === f))}
      </select></label
    >
    <label
      >Check<select name="check">
        ${option("", "any", !q.check)}${CHECK_IDS.map((c) => option(c, checkName(c), q.check === c))}
      </select></label
    >
    <label
      >Profile<select name="profile">
        ${option("", "any", !q.profile)}${v.page.profiles.map((p) => option(p, p, q.profile === p))}
      </select></label
    >
    <label
      >Per page<select name="size">
        ${PAGE_SIZES.map((s) => option(String(s), String(s), q.size === s))}
      </select></label
    >
    <button type="submit">Apply</button>
    ${q.status || q.check || q.profile || q.q ? html`<a href="${v.base}/">Clear</a>` : ""}
  </form>`;
}

function statusCell(r: EstateRow): Html {
  const late = r.lateSince ? html` ${statusBadge("late", "late")}` : "";
  const warnings = r.warnings > 0 ? html` <span class="status status-warn">${plural(r.warnings, "warning")}</span>` : "";
  return html`${statusBadge(r.status)}${late}${warnings}${r.enabled ? "" : html` <span class="muted">(disabled)</span>`}`;
}

function row(v: EstateView, r: EstateRow): Html {
  return html`<tr data-tenant="${r.tenantId}" data-status="${r.status}">
    <td>
      <a href="${v.base}/tenants/${r.tenantId}">${r.displayName}</a><br /><span class="id muted">${r.tenantId}</span>
      <span class="muted">${r.domain}</span>${accountsLine(r)}
    </td>
    <td>${statusCell(r)}</td>
    <td>${r.failingChecks.length ? r.failingChecks.map(checkName).join(", ") : html`<span class="muted">none</span>`}</td>
    <td class="num">${r.openFindings}</td>
    <td>${time(r.since ?? r.lateSince)}</td>
    <td>${time(r.lastChecked)}</td>
    <td>${r.enabled ? time(v.nextRun) : html`<span class="muted">disabled</span>`}</td>
    <td>${r.profiles.join(", ")}</td>
  </tr>`;
}

function pager(v: EstateView): Html {
  const p = v.page;
  const params = paramsOf(v.query);
  const to = (n: number) => `${v.base}/${queryString({ ...params, page: n === 1 ? undefined : n })}`;
  return html`<nav class="pager" aria-label="Pages">
    ${p.page > 1 ? html`<a href="${to(p.page - 1)}" rel="prev">← Previous</a>` : ""}
    <span>Page ${p.page} of ${p.pages} · ${plural(p.matching, "tenant")}</span>
    ${p.page < p.pages ? html`<a href="${to(p.page + 1)}" rel="next">Next →</a>` : ""}
  </nav>`;
}

function estateBody(v: EstateView): Html {
  const notices = [
    v.deadLettered > 0
      ? html`<p class="notice error">
          ${plural(v.deadLettered, "alert")} dead-lettered (delivery given up): <code>drift-monitor alerts requeue</code> sends them again.
        </p>`
      : "",
    v.unreadableRows > 0
      ? html`<p class="notice error">
          ${plural(v.unreadableRows, "stored row")} could not be read and ${v.unreadableRows === 1 ? "is" : "are"} left out (<code>drift-monitor status</code>
          lists them).
        </p>`
      : "",
  ];
  return html`<h1>Estate</h1>
    ${v.flash ? html`<p class="notice" role="status">${v.flash}</p>` : ""} ${counts(v)} ${accountCounts(v)}
    <h2>Last ${v.chart.length} days</h2>
    ${estateChart(v.chart)} ${notices} ${consentSection(v.base, v.consent ?? [])}
    <h2 id="tenants">Tenants</h2>
    ${filters(v)}
    ${
      v.page.rows.length === 0
        ? html`<p>No tenant matches.</p>`
        : html`<table aria-describedby="tenants">
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Status</th>
                <th scope="col">Failing checks</th>
                <th scope="col" class="num">Open findings</th>
                <th scope="col">Since</th>
                <th scope="col">Last checked</th>
                <th scope="col">Next check</th>
                <th scope="col">Profile</th>
              </tr>
            </thead>
            <tbody>
              ${v.page.rows.map((r) => row(v, r))}
            </tbody>
          </table>`
    }
    ${pager(v)}
    <p class="muted">As of ${time(v.readAt)}; reload for newer.</p>
    ${v.exceptions ? estateExceptionsSection(v.base, v.exceptions, v.readAt) : ""}`;
}

export function estateHtml(v: EstateView): string {
  return page("Drift Monitor — estate", estateBody(v), { base: v.base });
}
