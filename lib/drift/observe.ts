/**
 * Turns a report into per-finding observations. A finding is (check, subject): the subject is
 * the Conditional Access policy id for `conditional-access`, empty for every other check, so one
 * blocking policy being fixed resolves that policy while another can still be failing.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import type { CheckResult, Report } from "../model/report.js";
import type { FindingRef, FindingStanding, TrackedFinding } from "../model/state.js";

/** What a report says about one tracked finding (its `kind` is the observation the state machine reads). */
export type Seen =
  /** `changed`: failing for something else than when last seen failing (`fingerprintOf`). */
  | { readonly kind: "failing" | "changed"; readonly ref: FindingRef }
  /** Failing, but an operator's acknowledgement or an approved exception covers it (lib/drift/standing.ts). */
  | { readonly kind: FindingStanding["kind"]; readonly ref: FindingRef; readonly standing: FindingStanding }
  /** The check was judged and this finding is not failing (pass, warn, or the policy no longer blocks). */
  | { readonly kind: "passing"; readonly check: CheckResult }
  /**
   * The check could not be judged this run but still applies (unknown, or skipped because the
   * connection account does not exist — the `account` check fails for that): neither failing nor
   * resolved.
   */
  | { readonly kind: "held" }
  /**
   * The check is no longer judged (skipped: a licence the tenant lacks, or turned off by the
   * profile): nothing was fixed, it just stopped being checked.
   */
  | { readonly kind: "unchecked"; readonly check: CheckResult }
  /** The check is not in this version's report at all: it was renamed or removed. */
  | { readonly kind: "retired" };

const findingKey = (checkId: string, subject: string): string => `${checkId}|${subject}`;

/** The failing findings of a report, keyed; `since` is filled in by the caller. */
export function failingFindings(report: Report): Map<string, Omit<FindingRef, "since">> {
  const out = new Map<string, Omit<FindingRef, "since">>();
  for (const check of report.checks) {
    if (check.status !== "fail") continue;
    const base = {
      checkId: check.id,
      summary: check.summary,
      remediation: check.remediation ?? null,
      evidence: [...(check.evidence ?? [])],
      ...(check.missingFacts ? { missingFacts: check.missingFacts.map((m) => ({ ...m, subjects: [...m.subjects] })) } : {}),
    };
    const blocking = check.id === "conditional-access" ? (check.findings ?? []).filter((f) => f.effect === "blocking") : [];
    if (blocking.length === 0) {
      const key = findingKey(check.id, "");
      out.set(key, { ...base, key, subject: "", subjectName: null, reason: check.reason ?? null });
      continue;
    }
    for (const f of blocking) {
      const key = findingKey(check.id, f.policyId);
      out.set(key, { ...base, key, subject: f.policyId, subjectName: f.policyName, reason: f.reason });
    }
  }
  return out;
}

/** What this report says about one finding we already track. */
export function observeTracked(report: Report, failing: ReadonlyMap<string, Omit<FindingRef, "since">>, tracked: TrackedFinding): Seen {
  const current = failing.get(tracked.key);
  if (current) return { kind: "failing", ref: { ...current, since: tracked.since } };
  const check = report.checks.find((c) => c.id === tracked.checkId);
  if (!check) return { kind: "retired" };
  if (check.status === "unknown") return { kind: "held" };
  if (check.status === "skipped") return accountMissing(report) ? { kind: "held" } : { kind: "unchecked", check };
  return { kind: "passing", check };
}

/**
 * The connection account does not exist: the `account` check fails and the report names no
 * account. Every account-bound check is then skipped (lib/checks/result.ts, requireAccount), yet
 * its finding still applies: it is judged again once the account is back. A disabled or synced
 * account also fails the `account` check, but the report names it and the other checks run.
 */
function accountMissing(report: Report): boolean {
  return report.account.id === null && report.checks.some((c) => c.id === "account" && c.status === "fail");
}

/**
 * What a failing finding fails for, as a short digest: a run that sees another digest for an open
 * finding calls it `changed`. A per-policy Conditional Access finding is its policy's own: why it
 * blocks, its grant controls and narrowing conditions (the check's summary and evidence speak of
 * every policy, so another policy starting to block is that policy's finding, not a change of this
 * one). Any other finding is its check's summary, reason and evidence with their numbers left out
 * and repeated lines once: counts, dates and times move from run to run (one more failed sign-in,
 * a failure ageing out of the window) without the finding failing for anything else, and each such
 * run would otherwise add a note to its ticket.
 */
export function fingerprintOf(ref: Omit<FindingRef, "since">, report: Report): string {
  const policy =
    ref.subject === ""
      ? undefined
      : report.checks.find((c) => c.id === ref.checkId)?.findings?.find((f) => f.policyId === ref.subject && f.effect === "blocking");
  const parts = policy
    ? [ref.subject, ref.reason ?? "", [...(policy.controls ?? [])].sort(), [...(policy.conditions ?? [])].sort()]
    : [withoutNumbers(ref.summary), withoutNumbers(ref.reason ?? ""), [...new Set(ref.evidence.map(withoutNumbers))].sort()];
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(parts)))).slice(0, 24);
}

const withoutNumbers = (text: string): string => text.replace(/\d+/g, "#");
