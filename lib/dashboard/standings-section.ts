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
import type { RegisteredTenant } from "../model/tenant.js";
import { accountNameOf, auditAccountKey } from "../standings/account-of.js";

type Tracked = TenantState["findings"][number];

interface StandingsView {
  readonly base: string;
  readonly tenantId: string;
  /** The account the findings are of: its key goes with every decision ("" the first account's: no field). */
  readonly accountKey: string;
  /** Its UPN, for the exception form's choice. */
  readonly accountRef: string;
  /** The tenant has more than this account: an exception may cover this one alone (the form's default) or every account. */
  readonly otherAccounts: boolean;
  readonly state: TenantState | undefined;
  /** Null: no forms (the report, or no token). */
  readonly csrfToken: string | null;
}

const csrf = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}" />`;
const findingName = (f: Tracked): string => f.subjectName ?? (f.subject || f.checkId);
/** Ids and names in forms: unique per account and finding, readable in the HTML. */
const slug = (v: StandingsView, f: Tracked): string => `${v.accountKey === "" ? "" : `${v.accountKey}-`}${f.key.replace(/[^A-Za-z0-9_-]/g, "-")}`;

function findingFields(v: StandingsView, f: Tracked): Html {
  const account = v.accountKey === "" ? "" : html`<input type="hidden" name="account" value="${v.accountKey}" />`;
  return html`<input type="hidden" name="checkId" value="${f.checkId}" /><input type="hidden" name="subject" value="${f.subject}" />${account}`;
}

function ackForm(v: StandingsView, f: Tracked, token: string): Html {
  const id = `ack-${slug(v, f)}`;
  return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/acks">
    <fieldset>
      <legend>Acknowledge ${findingName(f)}</legend>
      ${csrf(token)} ${findingFields(v, f)}
      <label for="${id}-reason">Reason</label>
      <input id="${id}-reason" name="reason" required maxlength="500" />
      <label for="${id}-days">For (days, at most 30)</label>
      <input id="${id}-days" name="days" type="number" min="1" max="30" value="7" required />
      <button type="submit">Acknowledge</button>
    </fieldset>
  </form>`;
}

/** What every exception carries: reason, owner, reference and expiry; `id` prefixes the inputs' ids. */
export function exceptionFields(id: string): Html {
  return html`<label for="${id}-reason">Reason</label>
    <input id="${id}-reason" name="reason" required maxlength="500" />
    <label for="${id}-owner">Owner</label>
    <input id="${id}-owner" name="owner" required maxlength="200" />
    <label for="${id}-reference">Reference or ticket</label>
    <input id="${id}-reference" name="reference" required maxlength="200" />
    <label for="${id}-expires">Expires (within a year)</label>
    <input id="${id}-expires" name="expiresAt" type="date" required />`;
}

function exceptForm(v: StandingsView, f: Tracked, token: string): Html {
  const id = `exc-${slug(v, f)}`;
  const policy = f.checkId === "conditional-access" && f.subject !== "";
  return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/exceptions">
    <fieldset>
      <legend>Approve an exception for ${findingName(f)}</legend>
      ${csrf(token)} ${findingFields(v, f)}
      <fieldset>
        <legend>What may differ</legend>
        ${policy ? html`<label><input type="radio" name="what" value="policy" checked /> this policy may apply to the account</label>` : ""}
        <label><input type="radio" name="what" value="check" ${policy ? "" : html`checked`} /> waive this check</label>
      </fieldset>
      ${v.otherAccounts ? coverChoice(v, id) : ""} ${exceptionFields(id)}
      <button type="submit">Approve exception</button>
    </fieldset>
  </form>`;
}

/** Whom the exception covers: this account (the finding's, so the default) or every account of the tenant. */
function coverChoice(v: StandingsView, id: string): Html {
  return html`<fieldset>
    <legend>Covers</legend>
    <label><input type="radio" id="${id}-cover-account" name="cover" value="account" checked /> only ${v.accountRef}</label>
    <label><input type="radio" id="${id}-cover-tenant" name="cover" value="tenant" /> every account of the tenant</label>
  </fieldset>`;
}

function undoForm(v: StandingsView, f: Tracked, token: string): Html {
  const s = f.standing;
  if (s?.kind === "acknowledged") {
    return html`<form class="decide" method="post" action="${v.base}/tenants/${v.tenantId}/acks/withdraw">
      ${csrf(token)} ${findingFields(v, f)}
      <button type="submit" aria-label="${`Withdraw acknowledgement of ${findingName(f)}`}">Withdraw acknowledgement</button>
    </form>`;
  }
  // An estate-wide template is removed for every tenant at once: on the estate page, not one tenant's.
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
  const standing = standingText(f.standing, v.accountRef);
  const forms = token === null ? "" : f.standing ? undoForm(v, f, token) : html`${ackForm(v, f, token)} ${exceptForm(v, f, token)}`;
  return html`<li data-finding="${f.key}">
    <strong>${findingName(f)}</strong> <span class="muted">(${f.checkId})</span>: ${f.summary} ${standing ? html`<p class="standing">${standing}</p>` : ""}
    ${forms}
  </li>`;
}

export function table(cls: string, heads: readonly string[], rows: readonly Html[]): Html {
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

export function targetText(e: ApprovedException): string {
  return e.target.kind === "check-waived" ? `check ${e.target.checkId} waived` : `policy ${e.target.policy} may apply (controls ${e.target.controls})`;
}

/** Reason, owner, reference, expiry, approval and state: an exception's cells after its target (and scope). */
export function exceptionCells(e: ApprovedException, now: string): Html {
  return html`<td>${e.reason}</td>
    <td>${e.owner}</td>
    <td>${e.reference}</td>
    <td>${time(e.expiresAt)}</td>
    <td>by ${e.by}, ${time(e.at)}</td>
    <td>${exceptionState(e, now)}</td>`;
}

function exceptionState(e: ApprovedException, now: string): string {
  if (e.withdrawn) return `removed by ${e.withdrawn.by} at ${e.withdrawn.at}`;
  return e.expiresAt <= now ? "expired" : "standing";
}

/** The tenant's account names by key (account-of.ts accountNameOf): an exception for one account names it. */
type AccountNames = Pick<RegisteredTenant, "accounts">;

const scopeText = (e: ApprovedException, names: AccountNames): string =>
  e.scope === ESTATE_SCOPE ? "every tenant" : e.accountKey !== undefined ? `only ${accountNameOf(names, e.accountKey) ?? ""}` : "every account of this tenant";

function exceptionsTable(v: Pick<RecordsView, "exceptions" | "accounts">, now: string): Html {
  if (v.exceptions.length === 0) return html`<p class="muted">None.</p>`;
  const heads = ["What", "Scope", "Reason", "Owner", "Reference", "Expires", "Approved", "State"];
  return table(
    "exceptions",
    heads,
    v.exceptions.map(
      (e) =>
        html`<tr>
          <td>${targetText(e)}</td>
          <td>${scopeText(e, v.accounts)}</td>
          ${exceptionCells(e, now)}
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

/**
 * The account an audit entry is about (auditAccountKey, as the audit export names it): an exception
 * that covers one account alone, "only" that one; an acknowledgement or a fix, its account when the
 * tenant has more than one.
 */
function auditAccount(a: AuditEntry, names: AccountNames | undefined): string {
  const key = auditAccountKey(a);
  const row = a.after ?? a.before;
  if (!names || key === undefined || row === null) return "";
  const name = accountNameOf(names, key) ?? "";
  if ("target" in row) return ` (only ${name})`;
  return names.accounts.length > 1 ? ` (${name})` : "";
}

/** `names`: the tenant's accounts, to name the one an exception covers (absent on the estate page, whose templates cover every account). */
export function auditTable(audit: readonly AuditEntry[], names?: AccountNames): Html {
  if (audit.length === 0) return html`<p class="muted">No decisions yet.</p>`;
  return table(
    "audit",
    ["When", "Who", "What", "Before", "After"],
    audit.map(
      (a) =>
        html`<tr>
          <td>${time(a.at)}</td>
          <td>${a.by}</td>
          <td>${ACTIONS[a.action]}: <span class="id">${a.subject}</span>${a.scope === ESTATE_SCOPE ? " (every tenant)" : auditAccount(a, names)}</td>
          <td>${auditSide(a.before)}</td>
          <td>${auditSide(a.after)}</td>
        </tr>`,
    ),
  );
}

/** One account's findings with their decisions, under the account's heading; why a decision was not saved, the page shows once above every account. */
export function findingsSection(v: StandingsView): Html {
  const open = listedFindings(v.state?.findings ?? []);
  return html`<h3>Findings: acknowledge or except</h3>
    ${
      open.length === 0
        ? html`<p class="muted">No open findings.</p>`
        : html`<ul class="findings">
            ${open.map((f) => finding(v, f))}
          </ul>`
    }`;
}

interface RecordsView {
  readonly exceptions: readonly ApprovedException[];
  readonly audit: readonly AuditEntry[];
  readonly accounts: AccountNames;
}

/** The tenant's exceptions and audit trail (every account's); `now`: to tell a standing exception from an expired one. */
export function recordsSection(v: RecordsView, now: string): Html {
  return html`<h2>Exceptions</h2>
    ${exceptionsTable(v, now)}
    <h2>Audit trail</h2>
    ${auditTable(v.audit, v.accounts)}`;
}
