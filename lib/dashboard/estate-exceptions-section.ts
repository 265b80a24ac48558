/**
 * The estate page's exception templates: the estate-wide exceptions every tenant inherits, the form
 * to approve one (a named Conditional Access policy with the grant controls it may have, or a check
 * waived) and to remove one, and their audit trail. Plain HTML forms that POST with the CSRF token;
 * who decides is the signed-in person, never a form field. Pure.
 */
import { CHECK_IDS } from "../checks/registry.js";
import type { ApprovedException, AuditEntry } from "../model/standing.js";
import { checkName } from "./format.js";
import { html, type Html } from "./html.js";
import { auditTable, exceptionCells, exceptionFields, table, targetText } from "./standings-section.js";

export interface EstateExceptionsView {
  readonly exceptions: readonly ApprovedException[];
  readonly audit: readonly AuditEntry[];
  /** Null: no forms. */
  readonly csrfToken: string | null;
  /** Why the last decision was not saved, shown above the form. */
  readonly problem: string | null;
}

const csrf = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}" />`;

function approveForm(base: string, token: string): Html {
  return html`<form class="decide estate-approve" method="post" action="${base}/estate/exceptions">
    <fieldset>
      <legend>Approve an exception for every tenant</legend>
      ${csrf(token)}
      <fieldset>
        <legend>What may differ</legend>
        <label><input type="radio" name="what" value="policy" checked /> a Conditional Access policy may apply to the account</label>
        <label><input type="radio" name="what" value="check" /> a check is waived</label>
      </fieldset>
      <label for="estate-policy">Policy (its display name, as in every tenant)</label>
      <input id="estate-policy" name="policy" maxlength="256" />
      <label for="estate-controls">Grant controls it may have (block, mfa, mfa+compliantDevice …)</label>
      <input id="estate-controls" name="controls" maxlength="200" />
      <label for="estate-check">Check</label>
      <select id="estate-check" name="checkId">
        ${CHECK_IDS.map((c) => html`<option value="${c}">${checkName(c)}</option>`)}
      </select>
      ${exceptionFields("estate")}
      <button type="submit">Approve for every tenant</button>
    </fieldset>
  </form>`;
}

function removeForm(base: string, e: ApprovedException, token: string): Html {
  return html`<form class="decide" method="post" action="${base}/estate/exceptions/remove">
    ${csrf(token)}<input type="hidden" name="id" value="${e.id}" />
    <button type="submit" aria-label="${`Remove the estate-wide exception ${e.id}`}">Remove</button>
  </form>`;
}

function exceptionsTable(base: string, v: EstateExceptionsView, now: string): Html {
  if (v.exceptions.length === 0) return html`<p class="muted">None.</p>`;
  const token = v.csrfToken;
  const heads = ["What", "Reason", "Owner", "Reference", "Expires", "Approved", "State", ...(token === null ? [] : ["Remove"])];
  return table(
    "exceptions estate-exceptions",
    heads,
    v.exceptions.map(
      (e) =>
        html`<tr data-exception="${e.id}">
          <td>${targetText(e)}</td>
          ${exceptionCells(e, now)} ${token === null ? "" : html`<td>${e.withdrawn || e.expiresAt <= now ? "" : removeForm(base, e, token)}</td>`}
        </tr>`,
    ),
  );
}

/** `now`: to tell a standing exception from an expired one. */
export function estateExceptionsSection(base: string, v: EstateExceptionsView, now: string): Html {
  return html`<h2 id="estate-exceptions">Exceptions for every tenant</h2>
    <p class="muted">A template every tenant inherits; a tenant's own exception of the same target wins. A change reaches every check within a minute.</p>
    ${v.problem ? html`<p class="notice error" role="alert">Not saved: ${v.problem}</p>` : ""} ${exceptionsTable(base, v, now)}
    ${v.csrfToken === null ? "" : approveForm(base, v.csrfToken)}
    <h3>Audit trail</h3>
    ${auditTable(v.audit)}`;
}
