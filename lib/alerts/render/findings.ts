/**
 * What one finding says in an email: its headline, the evidence, and the steps to fix it. The
 * steps reuse the check's own remediation text (carried on the transition) so the report, the CLI
 * and the email give the same advice; for Conditional Access the steps name the one policy and
 * link to it, since the check's text lists every blocking policy at once.
 */
import { checkOf } from "../../checks/registry.js";
import { causesInEvidence } from "../../checks/sign-ins/causes.js";
import type { FindingRef } from "../../model/state.js";
import { missingFactLines } from "../../text/missing-facts.js";
import type { Fact, ItemList, Link } from "./document.js";
import { inTenant, inTenantText } from "./tenant-links.js";

/** Short names for titles ("Drift detected — Conditional Access"); the checks' own titles are phrased as requirements. */
export const checkTitle = (id: string): string => checkOf(id)?.meta.shortName ?? id;
export const requirementOf = (id: string): string => checkOf(id)?.meta.requirement ?? "a check this version no longer has";

const isPolicy = (f: FindingRef): boolean => f.checkId === "conditional-access" && f.subject !== "";
const policyName = (f: FindingRef): string => f.subjectName ?? f.subject;

/** "connection account blocked by CA policy 'Require MFA for admins'", "Security Defaults are enabled". */
export function failingHeadline(f: FindingRef): string {
  return isPolicy(f) ? `connection account blocked by CA policy '${policyName(f)}'` : f.summary;
}

export function resolvedHeadline(f: FindingRef): string {
  return isPolicy(f) ? `CA policy '${policyName(f)}' no longer blocks the connection account` : `${checkTitle(f.checkId)}: ${f.summary}`;
}

export function failingLead(f: FindingRef): string {
  if (isPolicy(f)) {
    return (
      `The Conditional Access policy "${policyName(f)}" applies to the connection account and has a grant control a sign-in without a person ` +
      `cannot satisfy, so the automation's sign-ins are blocked.`
    );
  }
  return `${f.summary}.`.replace(/\.\.$/, ".");
}

export function findingFacts(f: FindingRef): Fact[] {
  const facts: Fact[] = [{ label: "Check", value: `${checkTitle(f.checkId)} (${requirementOf(f.checkId)})` }];
  if (isPolicy(f)) {
    facts.push({ label: "Policy", value: policyName(f) }, { label: "Policy id", value: f.subject });
    if (f.reason) facts.push({ label: "How the account is included", value: f.reason });
  } else if (f.reason) {
    facts.push({ label: "Why", value: f.reason });
  }
  // Failed sign-ins, grouped by cause: one line per cause, how many, and its fix.
  if (f.checkId === "sign-ins") {
    for (const { cause, count } of causesInEvidence(f.evidence)) {
      facts.push({ label: cause.title, value: `${count} failed sign-in${count === 1 ? "" : "s"}. Fix: ${cause.fix}` });
    }
  }
  return facts;
}

/** The evidence, and the facts Graph cannot give that the check's verdicts rest on, in the words of every other view. */
export function findingLists(f: FindingRef): ItemList[] {
  return [
    { title: "Evidence", items: f.evidence },
    { title: "Facts Graph cannot give", items: missingFactLines(f.missingFacts) },
  ].filter((l) => l.items.length > 0);
}

/** Remediation text as steps: one per line, list markers and numbers stripped (the renderer numbers them). */
function stepsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:\d+[.)]|[-•*])\s+/, "").trim())
    .filter((l) => l.length > 0);
}

/** The steps, with every portal URL in them opened in the customer's tenant (a partner administrator lands there). */
export function fixSteps(f: FindingRef, upn: string | null, tenantId: string): string[] {
  return steps(f, upn).map((s) => inTenantText(s, tenantId));
}

function steps(f: FindingRef, upn: string | null): string[] {
  const who = upn ?? "the connection account";
  if (isPolicy(f)) {
    return [
      `Open the policy in the Entra admin center (link below), or go to Entra admin center → Protection → Conditional Access → Policies → "${policyName(f)}".`,
      `Users → Exclude → Users and groups → select ${who} (or an exclusion group it is a member of) → Save.`,
      "No further action: the next check sees the exclusion and sends a Resolved message.",
    ];
  }
  return stepsOf(f.remediation ?? checkOf(f.checkId)?.meta.remediation ?? "");
}

/** The check's portal links (or the policy's own), opened in the customer's tenant. */
export function findingLinks(f: FindingRef, tenantId: string): Link[] {
  const check = checkOf(f.checkId);
  const links = isPolicy(f) && check?.subjectLink ? [check.subjectLink(f.subject, policyName(f))] : (check?.meta.links ?? []);
  return links.map((l) => ({ label: l.label, url: inTenant(l.url, tenantId) }));
}

/** Ranks failing findings for the subject: the one that breaks sign-in most certainly first. */
export const findingRank = (f: FindingRef): number => checkOf(f.checkId)?.meta.rank ?? Number.MAX_SAFE_INTEGER;
