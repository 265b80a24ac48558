/**
 * The severity of one finding, from its check's severity and the verdict (a check result's status,
 * or the kind of alert transition that carries it). Pure, and the one place the rule lives: every
 * view orders by it, the emails and the dashboard show it, the PSA priority is mapped from it.
 *
 * - A failing finding (`fail`; drift detected, reminder, resolved, check retired) has its check's severity.
 * - A warning (`warn`; an early warning) is what will break: `soon`, or the check's own if that is milder.
 * - A security notice (the account's MFA methods changed) is `notice`.
 * - Anything else (pass, unknown, skipped; monitoring degraded or restored, not checked) is no finding: null.
 *
 * Severity is never stored: stored rows carry check ids, and it is computed when read. A check id
 * this version does not know (retired, renamed) has FALLBACK_SEVERITY, the most severe, so a
 * finding that cannot be classified is never ranked below one that can.
 */
import type { CheckStatus } from "../model/report.js";
import type { Transition, TransitionKind } from "../model/state.js";
import { checkOf } from "./registry.js";
import { SEVERITIES, type CheckMeta, type Severity } from "./types.js";

export { SEVERITIES, type Severity } from "./types.js";

export const FALLBACK_SEVERITY: Severity = "now";

/** A check result's status, or the kind of alert transition about a finding. */
export type Verdict = CheckStatus | TransitionKind;

const FAILING: ReadonlySet<Verdict> = new Set<Verdict>(["fail", "drift-detected", "reminder", "finding-changed", "resolved", "check-retired"]);
const WARNING: ReadonlySet<Verdict> = new Set<Verdict>(["warn", "early-warning"]);

/** 0 for the most severe; a missing severity (null) sorts after every severity. */
export const severityOrder = (s: Severity | null): number => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));

const milder = (a: Severity, b: Severity): Severity => (severityOrder(a) >= severityOrder(b) ? a : b);

export function severityOf(meta: Pick<CheckMeta, "severity"> | undefined, verdict: Verdict): Severity | null {
  if (verdict === "security-notice" || verdict === "emergency-sign-in") return "notice";
  const own = meta?.severity ?? FALLBACK_SEVERITY;
  if (FAILING.has(verdict)) return own;
  if (WARNING.has(verdict)) return milder(own, "soon");
  return null;
}

/** The same for a check id as stored (a plain string): an id this version does not know has the fallback. */
export const severityOfCheck = (checkId: string, verdict: Verdict): Severity | null => severityOf(checkOf(checkId)?.meta, verdict);

/** The severity of an open (failing) finding of a stored check id. */
export const severityOfFinding = (checkId: string): Severity => checkOf(checkId)?.meta.severity ?? FALLBACK_SEVERITY;

/** The severity of an alert transition: its finding's, or (no finding) by its kind alone. */
export const severityOfTransition = (t: Transition): Severity | null =>
  "finding" in t ? severityOfCheck(t.finding.checkId, t.kind) : severityOf(undefined, t.kind);

/** The short label people read, beside (never instead of) any colour. */
export const SEVERITY_LABEL: Record<Severity, string> = {
  now: "Breaks now",
  soon: "Breaks soon",
  notice: "Security notice",
};

/** What each severity means, for the README and the dashboard's title text. */
export const SEVERITY_MEANING: Record<Severity, string> = {
  now: "the automation's sign-in fails now (or at its next token refresh) until someone acts",
  soon: "the automation will stop signing in if nothing is done",
  notice: "a security event to look at; sign-in still works",
};

/** A check's rank, and a rank after every check's for an id this version does not know. */
const rankOfCheck = (checkId: string): number => checkOf(checkId)?.meta.rank ?? Number.MAX_SAFE_INTEGER;

interface Ranked {
  readonly severity: Severity | null;
  readonly checkId: string;
}

/** Most severe first, then by the check's rank (the one that breaks sign-in most certainly first). */
function bySeverity(a: Ranked, b: Ranked): number {
  return severityOrder(a.severity) - severityOrder(b.severity) || rankOfCheck(a.checkId) - rankOfCheck(b.checkId);
}

/** Check results most severe first, then by rank; results with no severity keep their order after them. */
export function orderResults<T extends { readonly id: string; readonly status: CheckStatus }>(results: readonly T[]): T[] {
  const keyed = results.map((r, i) => ({ r, i, severity: severityOfCheck(r.id, r.status), checkId: r.id }));
  return keyed.sort((a, b) => (a.severity === null && b.severity === null ? a.i - b.i : bySeverity(a, b) || a.i - b.i)).map((k) => k.r);
}

/** Open (failing) findings most severe first, then by rank, then the oldest first. */
export function orderFindings<T extends { readonly checkId: string; readonly since: string }>(findings: readonly T[]): T[] {
  const keyed = findings.map((f) => ({ f, severity: severityOfFinding(f.checkId), checkId: f.checkId }));
  return keyed.sort((a, b) => bySeverity(a, b) || a.f.since.localeCompare(b.f.since)).map((k) => k.f);
}
