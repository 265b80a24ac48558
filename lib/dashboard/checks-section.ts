/**
 * Every check of a tenant's last report: its status, summary, evidence and fix, in the words the
 * emails use (the check's own remediation text as numbered steps, its portal links, every portal
 * URL opened in the customer's tenant by lib/alerts/render/tenant-links.ts), and for Conditional
 * Access each policy's verdict with its reason and a tenant-scoped link to the policy.
 */
import { CHECKS, checkOf, REGISTRY } from "../checks/registry.js";
import { SEVERITY_LABEL, SEVERITY_MEANING, severityOfCheck } from "../checks/severity.js";
import { inTenant, inTenantText } from "../alerts/render/tenant-links.js";
import type { CaFinding, CheckResult } from "../model/report.js";
import { missingFactLines } from "../text/missing-facts.js";
import { statusBadge } from "./format.js";
import { html, trusted, type Html } from "./html.js";

/** Remediation text as steps, as the emails number them: one per line, list markers stripped. */
function fixSteps(text: string, tenantId: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:\d+[.)]|[-•*])\s+/, "").trim())
    .filter((l) => l.length > 0)
    .map((l) => inTenantText(l, tenantId));
}

const external = (url: string, label: string): Html => html`<a href="${url}" rel="noopener noreferrer" target="_blank">${label}</a>`;

const URL_IN_TEXT = /https:\/\/[^\s)<>"]+/g;

/**
 * The URLs the checks themselves wrote: those in their own remediation texts, links and
 * references. A step can also quote the tenant's text (the CA check quotes each policy's name),
 * and a tenant may name a policy with a Microsoft URL into its own directory or page; only a URL
 * a check built becomes a link, anything else stays text.
 */
const BUILT_URLS: readonly string[] = [
  ...new Set(REGISTRY.flatMap((c) => [...(c.meta.remediation.match(URL_IN_TEXT) ?? []), ...c.meta.links.map((l) => l.url), ...c.meta.references])),
];

/** The URLs a check built for this result, opened in the tenant as the steps' URLs are: its texts' and each finding's own page. */
function builtUrls(c: CheckResult, tenantId: string): ReadonlySet<string> {
  const subjectLink = checkOf(c.id)?.subjectLink;
  const subjects = subjectLink ? (c.findings ?? []).map((f) => subjectLink(f.policyId, f.policyName).url) : [];
  return new Set([...BUILT_URLS, ...subjects].map((url) => inTenant(url, tenantId)));
}

/** A step's text with the URLs the check built as links (the URLs are already tenant-scoped). */
function linked(step: string, built: ReadonlySet<string>): Html {
  const parts: Html[] = [];
  let at = 0;
  for (const m of step.matchAll(URL_IN_TEXT)) {
    if (!built.has(m[0])) continue;
    parts.push(html`${step.slice(at, m.index)}<a href="${m[0]}" rel="noopener noreferrer" target="_blank">${m[0]}</a>`);
    at = m.index + m[0].length;
  }
  parts.push(html`${step.slice(at)}`);
  return html`${parts}`;
}

const extra = (label: string, items: readonly string[] | undefined): Html =>
  items?.length ? html`<br /><span class="muted">${label}: ${items.join(", ")}</span>` : html``;

function policyRow(f: CaFinding, tenantId: string): Html {
  const link = CHECKS["conditional-access"].subjectLink?.(f.policyId, f.policyName);
  return html`<tr data-policy="${f.policyId}">
    <td>
      ${link ? html`<a href="${inTenant(link.url, tenantId)}" rel="noopener noreferrer" target="_blank">${f.policyName}</a>` : f.policyName}<br /><span
        class="id muted"
        >${f.policyId}</span
      >
    </td>
    <td>${f.state}</td>
    <td>${statusBadge(f.effect === "blocking" ? "fail" : f.effect === "conditional" || f.effect === "unknown" ? "warn" : "pass", f.effect)}</td>
    <td>${f.reason}${extra("controls", f.controls)}${extra("when", f.conditions)}${extra("rests on", f.missingFacts)}</td>
  </tr>`;
}

/** How urgent, in words (the status colour is never the only sign); nothing for a check with no finding. */
function severityBadge(c: CheckResult): Html {
  const s = severityOfCheck(c.id, c.status);
  return s === null ? html`` : html` <span class="severity severity-${s}" title="${SEVERITY_MEANING[s]}">${SEVERITY_LABEL[s]}</span>`;
}

/** `idPrefix` keeps ids unique on a page that lists several accounts' checks. */
export function checkSection(c: CheckResult, tenantId: string, idPrefix = ""): Html {
  // A stored report may hold a check this version no longer has: shown by its id, without the check's own texts.
  const meta = checkOf(c.id)?.meta;
  const failing = c.status === "fail" || c.status === "warn";
  const steps = failing ? fixSteps(c.remediation ?? meta?.remediation ?? "", tenantId) : [];
  const built = builtUrls(c, tenantId);
  const links = failing ? (meta?.links ?? []).map((l) => ({ label: l.label, url: inTenant(l.url, tenantId) })) : [];
  // Under an account's own heading (a prefix) a check is one level deeper.
  const h = trusted(idPrefix ? "h4" : "h3");
  return html`<section class="check" id="${idPrefix}check-${c.id}" data-check="${c.id}" data-status="${c.status}">
    <${h}>${meta?.shortName ?? c.id} ${statusBadge(c.status)}${severityBadge(c)}</${h}>
    <p>${c.summary}</p>
    <p class="muted">${meta ? `${meta.title} (${meta.requirement})` : "A check this version no longer has"}</p>
    ${c.reason ? html`<p><strong>Why:</strong> ${c.reason}</p>` : ""}
    ${
      c.evidence?.length
        ? html`<p><strong>Evidence</strong></p>
            <ul class="evidence">
              ${c.evidence.map((e) => html`<li>${e}</li>`)}
            </ul>`
        : ""
    }
    ${
      c.missingFacts?.length
        ? html`<p><strong>Facts Graph cannot give</strong></p>
            <ul class="missing-facts">
              ${missingFactLines(c.missingFacts).map((m) => html`<li>${m}</li>`)}
            </ul>`
        : ""
    }
    ${
      c.findings?.length
        ? html`<table>
            <caption class="muted">
              Each policy's verdict for the connection account
            </caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">State</th>
                <th scope="col">Effect</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              ${c.findings.map((f) => policyRow(f, tenantId))}
            </tbody>
          </table>`
        : ""
    }
    ${
      steps.length
        ? html`<p><strong>How to fix</strong></p>
            <ol class="steps">
              ${steps.map((s) => html`<li>${linked(s, built)}</li>`)}
            </ol>`
        : ""
    }
    ${links.length ? html`<p>${links.map((l, i) => html`${i > 0 ? " · " : ""}${external(l.url, l.label)}`)}</p>` : ""}
  </section>`;
}
