/**
 * The subject names the tenant and the worst change of the run, so an inbox of many tenants can
 * be triaged without opening anything: "[Drift] Contoso — connection account blocked by CA policy
 * 'Require MFA for admins' (+1 more)".
 */
import type { OutboxAlert, Transition } from "../../model/state.js";
import { severityOfTransition, severityOrder } from "../../checks/severity.js";
import { oneLine } from "../escape.js";
import { placeOf, signedIn } from "./emergency-sign-in.js";
import { checkTitle, failingHeadline, findingRank, resolvedHeadline } from "./findings.js";

/** Worst first: broken sign-ins, then blind spots, then security events, then good news. */
const KIND_RANK: Record<Transition["kind"], number> = {
  "drift-detected": 0,
  reminder: 1,
  "finding-changed": 1,
  "monitoring-degraded": 2,
  "not-checked": 2,
  "security-notice": 3,
  "emergency-sign-in": 3,
  "early-warning": 3,
  resolved: 4,
  "check-retired": 4,
  "monitoring-restored": 5,
};

const SUBJECT_TAGS: Record<Transition["kind"], string> = {
  "drift-detected": "[Drift]",
  reminder: "[Reminder]",
  "finding-changed": "[Changed]",
  "monitoring-degraded": "[Monitoring degraded]",
  "not-checked": "[Not checked]",
  "security-notice": "[Security notice]",
  "emergency-sign-in": "[Emergency access sign-in]",
  "early-warning": "[Early warning]",
  resolved: "[Resolved]",
  "check-retired": "[Check retired]",
  "monitoring-restored": "[Monitoring restored]",
};

function rankWithin(t: Transition): number {
  return "finding" in t ? findingRank(t.finding) : 0;
}

/** Worst first: by kind, then the finding's severity, then its check's rank. Stable: equal ones keep the outbox order. */
export const byWorst = (a: Transition, b: Transition): number =>
  KIND_RANK[a.kind] - KIND_RANK[b.kind] || severityOrder(severityOfTransition(a)) - severityOrder(severityOfTransition(b)) || rankWithin(a) - rankWithin(b);

export function worstTransition(transitions: readonly Transition[]): Transition {
  const sorted = [...transitions].sort(byWorst);
  const worst = sorted[0];
  if (!worst) throw new Error("an alert has at least one transition");
  return worst;
}

function headline(t: Transition): string {
  switch (t.kind) {
    case "drift-detected":
      return failingHeadline(t.finding);
    case "reminder":
      return `still failing: ${failingHeadline(t.finding)}`;
    case "finding-changed":
      return `failing for something else: ${failingHeadline(t.finding)}`;
    case "resolved":
      return resolvedHeadline(t.finding);
    case "check-retired":
      return `${checkTitle(t.finding.checkId)}: finding closed, ${t.reason}`;
    case "monitoring-degraded":
      return `checks could not verify the tenant ${t.unknownRuns} times in a row`;
    case "not-checked":
      return "no check got through since the last one recorded (Graph throttled)";
    case "monitoring-restored":
      return "checks work again";
    case "security-notice":
      return "MFA methods of the connection account changed";
    case "early-warning":
      return t.finding.summary;
    case "emergency-sign-in": {
      const where = [t.signIn.ipAddress, placeOf(t.signIn)].filter((x) => x !== null).join(", ");
      const what = signedIn(t.signIn) ? "emergency access account signed in" : `emergency access account failed to sign in (${t.signIn.errorCode})`;
      return where ? `${what} from ${where}` : what;
    }
  }
}

/** The account an alert is about, for people: its UPN as Graph reported it, else as registered. */
export function alertAccountName(alert: OutboxAlert): string | null {
  return alert.accountUserPrincipalName ?? alert.accountRef ?? null;
}

/**
 * Subject lines are one line (a CR/LF from a tenant name must never start a new header) and
 * bounded. A tenant with several monitored accounts: the subject names the account, since each
 * account's alert is its own email.
 */
export function alertSubject(alert: OutboxAlert): string {
  const worst = worstTransition(alert.transitions);
  const more = alert.transitions.length > 1 ? ` (+${alert.transitions.length - 1} more)` : "";
  const name = alertAccountName(alert);
  const who = (alert.tenantAccounts ?? 1) > 1 && name ? ` (${name})` : "";
  const subject = oneLine(`${SUBJECT_TAGS[worst.kind]} ${alert.tenantName}${who} — ${headline(worst)}`);
  const max = 240 - more.length;
  return (subject.length > max ? `${subject.slice(0, max - 1)}…` : subject) + more;
}

export function toneOf(kind: Transition["kind"]): "danger" | "warning" | "success" | "info" {
  if (kind === "drift-detected" || kind === "reminder") return "danger";
  if (kind === "check-retired") return "info";
  if (kind === "monitoring-degraded" || kind === "not-checked" || kind === "security-notice" || kind === "early-warning") return "warning";
  if (kind === "emergency-sign-in") return "warning";
  return "success";
}
