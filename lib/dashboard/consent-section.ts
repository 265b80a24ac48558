/**
 * The estate page's consent section: how many tenants lack a permission the checks need, per
 * permission how many need it granted, and the first of them with what each lacks and the command
 * that grants it. Nothing when every tenant holds every permission. Pure.
 */
import { needsText, permissionNeeds, type ConsentLine } from "../status/consent.js";
import { plural } from "./format.js";
import { html, type Html } from "./html.js";

/** The page stays short at 1,000 tenants: the rest are a filter (or `doctor --all`) away. */
const SHOWN = 20;

export function consentSection(base: string, lines: readonly ConsentLine[]): Html | string {
  if (lines.length === 0) return "";
  return html`<section aria-labelledby="consent">
    <h2 id="consent">Consent: ${plural(lines.length, "tenant")} lacking permissions</h2>
    <ul>
      ${needsText(permissionNeeds(lines)).map((t) => html`<li>${t}</li>`)}
    </ul>
    <table aria-describedby="consent">
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Missing</th>
          <th scope="col">Grant with</th>
        </tr>
      </thead>
      <tbody>
        ${lines.slice(0, SHOWN).map(
          (l) =>
            html`<tr>
              <td><a href="${base}/tenants/${l.tenantId}">${l.displayName}</a></td>
              <td>${l.missing.join(", ")}</td>
              <td><code>drift-monitor tenants consent --tenant ${l.tenantId}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${lines.length > SHOWN ? html`<p class="muted">And ${lines.length - SHOWN} more: <code>drift-monitor doctor --all</code> lists them all.</p>` : ""}
  </section>`;
}
