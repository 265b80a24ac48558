/**
 * How operators' decisions bear on a failing finding. Pure: (finding, acknowledgements,
 * exceptions, now) → what the state machine observes (lib/drift/finding-states.ts), and the
 * exception notices worth one email.
 *
 * - An acknowledgement covers one finding's failing episode while it lasts and the finding's cause
 *   is the one acknowledged: its key, the episode (`since`), and `causeOf` — for a per-policy
 *   Conditional Access finding the policy and why it blocks, for any other check its summary and
 *   reason. Another policy that starts blocking is a finding of its own, so it alerts anyway.
 * - An exception covers a failing finding while it stands (before `expiresAt`): a waived check
 *   covers every failing finding of that check; a policy that may apply covers that policy's
 *   finding only while the policy's grant controls are the ones approved (`controlsFingerprint`).
 *   The narrowest exception that covers the finding wins: one for this account alone, else the
 *   tenant's for every account, else an estate-wide template (its notice names which it was).
 *   Which exceptions cover the account (coversAccount) the store decides when it reads them.
 */
import type { CaFinding, Report } from "../model/report.js";
import { DAY_MS, ESTATE_SCOPE, EXCEPTION_NOTICE_DAYS, type Acknowledgement, type ApprovedException } from "../model/standing.js";
import type { FindingRef, FindingStanding, Transition } from "../model/state.js";

export interface Standings {
  readonly acks: readonly Acknowledgement[];
  readonly exceptions: readonly ApprovedException[];
}

export const NO_STANDINGS: Standings = { acks: [], exceptions: [] };

type CauseSource = Pick<FindingRef, "subject" | "summary" | "reason">;

/** What a finding is failing for: an acknowledgement holds only while this stays the same. */
export const causeOf = (f: CauseSource): string => (f.subject !== "" ? `${f.subject}: ${f.reason ?? ""}` : `${f.summary}${f.reason ? ` (${f.reason})` : ""}`);

/** A Conditional Access policy's grant controls, order-free: what an exception approves of the policy. */
export const controlsFingerprint = (f: Pick<CaFinding, "controls">): string => [...(f.controls ?? [])].sort().join("+") || "none";

/** The blocking Conditional Access finding of a policy in a report. */
function blockingPolicy(report: Report, policyId: string): CaFinding | undefined {
  const ca = report.checks.find((c) => c.id === "conditional-access");
  return ca?.findings?.find((f) => f.policyId === policyId && f.effect === "blocking");
}

const stands = (e: ApprovedException, now: Date): boolean => Date.parse(e.expiresAt) > now.getTime();

/** Whether the exception's target is this finding, whatever its expiry. */
function targets(e: ApprovedException, ref: FindingRef, report: Report): boolean {
  if (e.target.kind === "check-waived") return e.target.checkId === ref.checkId;
  if (ref.checkId !== "conditional-access" || ref.subject === "") return false;
  // An estate-wide template names the policy by its display name: ids differ from tenant to tenant.
  const named = e.scope === ESTATE_SCOPE ? ref.subjectName === e.target.policy : ref.subject === e.target.policy;
  if (!named) return false;
  const policy = blockingPolicy(report, ref.subject);
  return policy !== undefined && controlsFingerprint(policy) === e.target.controls;
}

/** 2: for one account, 1: the tenant's for every account, 0: estate-wide. */
const narrowness = (e: ApprovedException, tenantId: string): number => (e.scope !== tenantId ? 0 : e.accountKey === undefined ? 1 : 2);
const byScope = (tenantId: string) => (a: ApprovedException, b: ApprovedException) => narrowness(b, tenantId) - narrowness(a, tenantId);

/**
 * What holds this failing finding back, if anything: an exception that covers it, else an
 * acknowledgement of its episode and cause. `since`: the tracked episode's start (now, for a new failure).
 */
export function standingOf(ref: FindingRef, since: string, report: Report, standings: Standings, now: Date): FindingStanding | undefined {
  const exception = standings.exceptions
    .filter((e) => (e.scope === report.tenantId || e.scope === ESTATE_SCOPE) && stands(e, now) && targets(e, ref, report))
    .sort(byScope(report.tenantId))[0];
  if (exception) {
    const { id, scope, accountKey, expiresAt: until, reason, owner, reference } = exception;
    return { kind: "excepted", exceptionId: id, scope, ...(accountKey !== undefined ? { accountKey } : {}), until, reason, owner, reference };
  }
  const cause = causeOf(ref);
  const ack = standings.acks.find((a) => a.findingKey === ref.key && a.episode === since && a.cause === cause && Date.parse(a.until) > now.getTime());
  return ack ? { kind: "acknowledged", by: ack.by, at: ack.at, until: ack.until, reason: ack.reason } : undefined;
}

type EarlyWarning = Extract<Transition, { kind: "early-warning" }>;

/** An exception's notices are remembered by this key: a renewed exception (new expiry) earns its own. */
const noticeKey = (e: ApprovedException, stage: "expiring" | "expired"): string => `${e.scope}/${e.id}|${e.expiresAt}|${stage}`;

const scopeWords = (e: ApprovedException): string => (e.scope === ESTATE_SCOPE ? "every tenant" : e.accountKey !== undefined ? "this account" : "this tenant");

function notice(e: ApprovedException, stage: "expiring" | "expired", now: string): EarlyWarning {
  const day = e.expiresAt.slice(0, 10);
  const what = e.target.kind === "check-waived" ? `the waiver of check ${e.target.checkId}` : `the exception allowing policy "${e.target.policy}"`;
  const summary =
    stage === "expired"
      ? `Approved exception expired on ${day}: ${what} no longer holds, and what it allowed is a drift again`
      : `Approved exception expires on ${day}: ${what}`;
  return {
    kind: "early-warning",
    key: `early-warning|exception|${noticeKey(e, stage)}`,
    finding: {
      key: `exception|${e.scope}/${e.id}`,
      checkId: e.target.kind === "check-waived" ? e.target.checkId : "conditional-access",
      subject: "",
      subjectName: null,
      summary,
      reason: `approved because: ${e.reason}`,
      remediation: `Ask its owner (${e.owner}) to renew it with a new expiry, or fix what it allowed; reference ${e.reference}.`,
      evidence: [`owner: ${e.owner}`, `reference: ${e.reference}`, `scope: ${scopeWords(e)}`],
      since: now,
    },
  };
}

/**
 * Notices of the tenant's exceptions that expire within EXCEPTION_NOTICE_DAYS or have expired,
 * each mailed once (`sent` remembers them while the exception is kept). An estate-wide template is
 * told to a tenant only where its target is failing.
 */
export function exceptionNotices(
  report: Report,
  failing: readonly FindingRef[],
  standings: Standings,
  sent: readonly string[],
  now: Date,
): { transitions: EarlyWarning[]; sent: string[] } {
  const transitions: EarlyWarning[] = [];
  const live = new Set<string>();
  for (const e of standings.exceptions) {
    if (e.scope !== report.tenantId && !(e.scope === ESTATE_SCOPE && failing.some((f) => targets(e, f, report)))) continue;
    for (const stage of ["expiring", "expired"] as const) live.add(noticeKey(e, stage));
    const left = Date.parse(e.expiresAt) - now.getTime();
    const stage = left <= 0 ? "expired" : left <= EXCEPTION_NOTICE_DAYS * DAY_MS ? "expiring" : undefined;
    if (!stage || sent.includes(noticeKey(e, stage))) continue;
    transitions.push(notice(e, stage, now.toISOString()));
  }
  const kept = sent.filter((k) => live.has(k));
  const added = transitions.map((t) => t.key.slice("early-warning|exception|".length));
  return { transitions, sent: [...new Set([...kept, ...added])].sort() };
}

/**
 * A tenant's status with its exceptions applied: a report that drifted only in what exceptions
 * allow (no open finding, one excepted) is no drift. The report itself keeps what the checks said.
 */
export function effectiveStatus(state: {
  readonly lastReport: Report;
  readonly findings: readonly { status: string; state?: string | undefined }[];
}): Report["status"] {
  const { lastReport, findings } = state;
  if (lastReport.status !== "drifted" || findings.some((f) => f.status === "open") || !findings.some((f) => f.state === "excepted")) return lastReport.status;
  return lastReport.checks.some((c) => c.status === "unknown") ? "unknown" : "compliant";
}
