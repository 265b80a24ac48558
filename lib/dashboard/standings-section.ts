/**
 * The tenant page's decisions: each open finding with what holds it back, the forms to
 * acknowledge it or approve an exception for it (and to withdraw or remove those), the tenant's
 * exceptions (its own and the estate-wide templates) and the audit trail of every change. Plain
 * HTML forms that POST with the CSRF token, so they work without the page's script; who decides is
 * the signed-in person, never a form field. Pure. The report (`standalone`, or no token) shows the
 * findings, exceptions and audit trail without forms.
 */
import { ESTATE_SCOPE, type ApprovedException, type AuditEntry } from "../model/standing.js";
import type { TenantState } from "../model/state.js";
import { listedFindings, standingText } from "../status/standing-text.js";
import { time } from "./format.js";
import { html, type Html } from "./html.js";
import { FIX_AUDIT_LABELS, fixAuditSide } from "./fix-section.js";

type Tracked = TenantState["findings"][number];

interface StandingsView {
  readonly base: string;
  readonly tenantId: string;
  readonly state: TenantState | undefined;
  readonly exceptions: readonly ApprovedException[];
  readonly audit: readonly AuditEntry[];
  /** Null: no forms (the report, or no token). */
  readonly csrfToken: string | null;
  /** Why the last decision was not saved, shown above the forms. */
  readonly problem: string | null;
}

const csrf = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}" />`;
const findingName = (f: Tracked): string => f.subjectName ?? (f.subject || f.checkId);
/** Ids and names in forms: unique per finding, readable in the HTML. */
const slug = (f: Tracked): string => f.key.replace(/[^A-Za-z0-9_-]/g, "-");

function findingFields(f: Tracked): Html {
  return html`<input type="hidden" name="checkId" value="${f.checkId}" /><input type="hidden" name="subject" value="${f.subject}" />`;
}

function ackForm(v: StandingsView, f: Tracked, token: string): Html {
  const id = `ack-${slug(f)}`;
  return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/acks">
    <fieldset>
      <legend>Acknowledge ${findingName(f)}</legend>
      ${csrf(token)} ${findingFields(f)}
      <label for="${id}-reason">Reason</label>
      <input id="${id}-reason" name="reason" required maxlength="500" />
      <label for="${id}-days">For (days, at most 30)</label>
      <input id="${id}-days" name="days" type="number" min="1" max="30" value="7" required />
      <button type="submit">Acknowledge</button>
    </fieldset>
  </form>`;
}

function exceptForm(v: StandingsView, f: Tracked, token: string): Html {
  const id = `exc-${slug(f)}`;
  const policy = f.checkId === "conditional-access" && f.subject !== "";
  return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/exceptions">
    <fieldset>
      <legend>Approve an exception for ${findingName(f)}</legend>
      ${csrf(token)} ${findingFields(f)}
      <fieldset>
        <legend>What may differ</legend>
        ${policy ? html`<label><input type="radio" name="what" value="policy" checked /> this policy may apply to the account</label>` : ""}
        <label><input type="radio" name="what" value="check" ${policy ? "" : html`checked`} /> waive this check</label>
      </fieldset>
      <label for="${id}-reason">Reason</label>
      <input id="${id}-reason" name="reason" required maxlength="500" />
      <label for="${id}-owner">Owner</label>
      <input id="${id}-owner" name="owner" required maxlength="200" />
      <label for="${id}-reference">Reference or ticket</label>
      <input id="${id}-reference" name="reference" required maxlength="200" />
      <label for="${id}-expires">Expires (within a year)</label>
      <input id="${id}-expires" name="expiresAt" type="date" required />
      <button type="submit">Approve exception</button>
    </fieldset>
  </form>`;
}

function undoForm(v: StandingsView, f: Tracked, token: string): Html {
  const s = f.standing;
  if (s?.kind === "acknowledged") {
    return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/acks/withdraw">
      ${csrf(token)} ${findingFields(f)}
      <button type="submit" aria-label="${`Withdraw acknowledgement of ${findingName(f)}`}">Withdraw acknowledgement</button>
    </form>`;
  }
  // An estate-wide template is removed for every tenant at once: from the CLI, not one tenant's page.
  if (s?.kind === "excepted" && s.scope === v.tenantId) {
    return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/exceptions/remove">
      ${csrf(token)}<input type="hidden" name="id" value="${s.exceptionId}" />
      <button type="submit" aria-label="${`Remove exception for ${findingName(f)}`}">Remove exception</button>
    </form>`;
  }
  return html``;
}

function finding(v: StandingsView, f: Tracked): Html {
  const token = v.csrfToken;
  const standing = standingText(f.standing);
  const forms = token === null ? "" : f.standing ? undoForm(v, f, token) : html`${ackForm(v, f, token)} ${exceptForm(v, f, token)}`;
  return html`<li data-finding="${f.key}">
    <strong>${findingName(f)}</strong> <span class="muted">(${f.checkId})</span>: ${f.summary} ${standing ? html`<p class="standing">${standing}</p>` : ""}
    ${forms}
  </li>`;
}

function table(cls: string, heads: readonly string[], rows: readonly Html[]): Html {
  return html`<table class="${cls}">
    <thead>
      <tr>
        ${heads.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function targetText(e: ApprovedException): string {
  return e.target.kind === "check-waived" ? `check ${e.target.checkId} waived` : `policy ${e.target.policy} may apply (controls ${e.target.controls})`;
}

function exceptionState(e: ApprovedException, now: string): string {
  if (e.withdrawn) return `removed by ${e.withdrawn.by} at ${e.withdrawn.at}`;
  return e.expiresAt <= now ? "expired" : "standing";
}

function exceptionsTable(v: StandingsView, now: string): Html {
  if (v.exceptions.length === 0) return html`<p class="muted">None.</p>`;
  const heads = ["What", "Scope", "Reason", "Owner", "Reference", "Expires", "Approved", "State"];
  return table(
    "exceptions",
    heads,
    v.exceptions.map(
      (e) =>
        html`<tr>
          <td>${targetText(e)}</td>
          <td>${e.scope === ESTATE_SCOPE ? "every tenant" : "this tenant"}</td>
          <td>${e.reason}</td>
          <td>${e.owner}</td>
          <td>${e.reference}</td>
          <td>${time(e.expiresAt)}</td>
          <td>by ${e.by}, ${time(e.at)}</td>
          <td>${exceptionState(e, now)}</td>
        </tr>`,
    ),
  );
}

const ACTIONS: Readonly<Record<AuditEntry["action"], string>> = {
  ack: "acknowledged",
  "ack-withdrawn": "withdrew the acknowledgement",
  "exception-approved": "approved an exception",
  "exception-removed": "removed the exception",
  ...FIX_AUDIT_LABELS,
};

function auditSide(row: AuditEntry["before"]): Html {
  if (row === null) return html`<span class="muted">none</span>`;
  if ("plan" in row) return fixAuditSide(row);
  const gone = row.withdrawn ? ` (withdrawn by ${row.withdrawn.by})` : "";
  if ("findingKey" in row) return html`acknowledged by ${row.by} until ${row.until}: ${row.reason}${gone}`;
  return html`${targetText(row)} until ${row.expiresAt}, owner ${row.owner}, reference ${row.reference}: ${row.reason}${gone}`;
}

function auditTable(v: StandingsView): Html {
  if (v.audit.length === 0) return html`<p class="muted">No decisions yet.</p>`;
  return table(
    "audit",
    ["When", "Who", "What", "Before", "After"],
    v.audit.map(
      (a) =>
        html`<tr>
          <td>${time(a.at)}</td>
          <td>${a.by}</td>
          <td>${ACTIONS[a.action]}: <span class="id">${a.subject}</span>${a.scope === ESTATE_SCOPE ? " (every tenant)" : ""}</td>
          <td>${auditSide(a.before)}</td>
          <td>${auditSide(a.after)}</td>
        </tr>`,
    ),
  );
}

/** `now`: to tell a standing exception from an expired one. */
export function standingsSection(v: StandingsView, now: string): Html {
  const open = listedFindings(v.state?.findings ?? []);
  return html`<h2 id="decisions">Findings: acknowledge or except</h2>
    ${v.problem ? html`<p class="notice error" role="alert">Not saved: ${v.problem}</p>` : ""}
    ${
      open.length === 0
        ? html`<p class="muted">No open findings.</p>`
        : html`<ul class="findings">
            ${open.map((f) => finding(v, f))}
          </ul>`
    }
    <h2>Exceptions</h2>
    ${exceptionsTable(v, now)}
    <h2>Audit trail</h2>
    ${auditTable(v)}`;
}
