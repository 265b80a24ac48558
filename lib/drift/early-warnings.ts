/**
 * Early warnings: a `warn` of a check that asks for it (its `earlyWarning`) is mailed once,
 * before it can become a drift — sessions revoked (the automation's refresh tokens are dead), a
 * Microsoft-managed policy Microsoft will enforce soon. Warnings are otherwise counted, never
 * mailed (lib/drift/diff.ts). "Once" is per warning: its check and summary (the summary carries
 * the revocation time or the enforcement date, so a new revocation is a new warning). A sent
 * warning is remembered while it stands; one that stops standing (the check passes or fails) is
 * forgotten, so it is mailed again if it comes back. While the check cannot be judged (unknown,
 * skipped) the memory is kept: nothing is sent twice for one warning through a blind spot.
 */
import { checkOf } from "../checks/registry.js";
import type { Report } from "../model/report.js";
import type { Transition } from "../model/state.js";

type EarlyWarning = Extract<Transition, { kind: "early-warning" }>;

export function earlyWarnings(report: Report, sent: readonly string[], now: string): { transitions: EarlyWarning[]; sent: string[] } {
  const transitions: EarlyWarning[] = [];
  const standing: string[] = [];
  for (const check of report.checks) {
    if (check.status !== "warn" || checkOf(check.id)?.earlyWarning?.(check) !== true) continue;
    const key = `${check.id}|${check.summary}`;
    standing.push(key);
    if (sent.includes(key)) continue;
    transitions.push({
      kind: "early-warning",
      key: `early-warning|${key}`,
      finding: {
        key: `${check.id}|`,
        checkId: check.id,
        subject: "",
        subjectName: null,
        summary: check.summary,
        reason: check.reason ?? null,
        remediation: check.remediation ?? null,
        evidence: [...(check.evidence ?? [])],
        ...(check.missingFacts ? { missingFacts: check.missingFacts.map((m) => ({ ...m, subjects: [...m.subjects] })) } : {}),
        since: now,
      },
    });
  }
  // Kept while it stands, or while its check cannot be judged this run.
  const blind = new Set(report.checks.filter((c) => c.status === "unknown" || c.status === "skipped").map((c) => c.id as string));
  const kept = sent.filter((key) => standing.includes(key) || blind.has(key.slice(0, key.indexOf("|"))));
  return { transitions, sent: [...new Set([...kept, ...standing])].sort() };
}
