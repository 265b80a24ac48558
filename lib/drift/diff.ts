/**
 * Drift: from the state monitoring remembered and a new report, the next state and the alert
 * transitions the change earns. Pure: the time is passed in, nothing is read or written.
 *
 * Rules (the design's "Alerts", plus the choices it leaves open):
 * - drift-detected: a finding turns fail. On the first run ever every failing finding is one;
 *   passing findings are silent.
 * - resolved: a failing finding turns pass or warn (warnings are counted in the report, never
 *   mailed). A finding whose check turns unknown is *held*: not resolved, and no reminder either,
 *   since we cannot say it still fails — "monitoring degraded" covers that. So is one whose check
 *   is skipped because the connection account does not exist (the `account` check fails for
 *   that). A finding whose check is otherwise skipped (a licence lapsed, the profile turned it
 *   off) is dropped without an email: nothing was fixed, it just stopped being checked; failing
 *   once it is checked again is a new drift-detected.
 * - reminder: a finding still failing `reminderHours` after the last email that mentioned it.
 * - Flapping ("once when it breaks, once when it is fixed", without a storm): a finding that fails
 *   again after its resolved email was sent gets a fresh drift-detected — the recipients were told
 *   it is fixed — if within `reminderHours` of that email, as a re-opening that uses up the
 *   period: until `reminderHours` after that drift-detected, a pass sends no resolved (it is held
 *   back) and a failure after such a pass re-opens quietly (the recipients were last told it
 *   fails, which is true again) and is counted as a flap. When that period ends, the held-back
 *   resolved goes out if it passes (saying when it was fixed), or a reminder that says how often
 *   it flapped if it fails. So one finding costs at most two drift-detected and one resolved
 *   email per reminder period, however fast it flaps.
 * - monitoring-degraded: the tenant's status is `unknown` for `unknownAlertAfter` consecutive
 *   runs; sent once per streak. monitoring-restored: the first run after that which is not
 *   `unknown` (its own transition rather than a "resolved", so the email can say monitoring works
 *   again, and because no finding was resolved).
 * - security-notice: the account's registered methods (type and id) differ from the last read.
 *   A run that could not read them keeps the last known list and says nothing. The list is kept
 *   with the account's object id: when the connection account changed, the new account's methods
 *   are a new baseline and nothing is sent.
 */
import type { Report } from "../model/report.js";
import type { FindingRef, RegisteredMethod, TenantState, TrackedFinding, Transition } from "../model/state.js";
import { earlyWarnings } from "./early-warnings.js";
import { compareMethods, methodsFingerprint, normaliseMethods } from "./methods.js";
import { failingFindings, observeTracked } from "./observe.js";

interface DiffOptions {
  readonly now: Date;
  readonly reminderHours: number;
  readonly unknownAlertAfter: number;
  /** The account's registered methods as read this run; null/undefined = not read. */
  readonly methods?: readonly RegisteredMethod[] | null;
  /**
   * The schedule period this run belongs to. "Monitoring degraded" counts periods, not runs: an
   * unknown run adds to the streak once per period, so a message the host delivers again (a
   * retry, an at-least-once repeat) cannot raise it early. `null`: not a scheduled run (check
   * now): it starts a streak but does not lengthen one. Absent: every run is a period of its own.
   */
  readonly period?: string | null;
}

interface DiffResult {
  /** The state to persist (version incremented; snapshot bookkeeping carried over). */
  readonly nextState: TenantState;
  /** What to mail, in a stable order; empty = no email this run. */
  readonly transitions: Transition[];
  /** Findings that started failing this run (including re-openings, quiet or not). */
  readonly opened: FindingRef[];
  /** Findings that stopped failing this run (including silent ones, and ones no longer checked). */
  readonly resolved: FindingRef[];
  /** Findings open after this run (failing, or held while their check cannot be judged). */
  readonly stillOpen: FindingRef[];
}

const HOUR = 3_600_000;
const KIND_ORDER: Record<Transition["kind"], number> = {
  "monitoring-degraded": 0,
  "not-checked": 0,
  "monitoring-restored": 1,
  "drift-detected": 2,
  reminder: 3,
  resolved: 4,
  "check-retired": 4,
  "early-warning": 5,
  "security-notice": 6,
};

function refOf(t: TrackedFinding, extra: Partial<FindingRef> = {}): FindingRef {
  return {
    key: t.key,
    checkId: t.checkId,
    subject: t.subject,
    subjectName: t.subjectName,
    summary: t.summary,
    reason: null,
    remediation: null,
    evidence: [],
    since: t.since,
    ...extra,
  };
}

export function diff(previous: TenantState | undefined, report: Report, options: DiffOptions): DiffResult {
  if (previous && previous.tenantId !== report.tenantId) {
    throw new Error(`diff: state of tenant ${previous.tenantId} given a report of tenant ${report.tenantId}`);
  }
  if (!(options.reminderHours > 0) || !Number.isInteger(options.unknownAlertAfter) || options.unknownAlertAfter < 1) {
    throw new Error("diff: reminderHours must be above 0 and unknownAlertAfter a whole number above 0");
  }
  const nowMs = options.now.getTime();
  const now = options.now.toISOString();
  const periodMs = options.reminderHours * HOUR;
  const sinceLastAlert = (t: TrackedFinding) => nowMs - Date.parse(t.lastAlertedAt);

  const transitions: Transition[] = [];
  const opened: FindingRef[] = [];
  const resolved: FindingRef[] = [];
  const stillOpen: FindingRef[] = [];
  const next: TrackedFinding[] = [];

  const failing = failingFindings(report);
  const tracked = new Map((previous?.findings ?? []).map((t) => [t.key, t]));

  for (const t of tracked.values()) {
    const seen = observeTracked(report, failing, t);
    if (seen.kind === "failing") {
      const ref = seen.ref;
      const refreshed = { ...t, subjectName: ref.subjectName, summary: ref.summary, lastFailedAt: now };
      if (t.status === "open" || t.lastHeard === "failing") {
        // Failing throughout, or failing again before the recipients heard it was resolved (its
        // resolved email held back): what they were last told is still true.
        const reopened = t.status === "resolved";
        const flaps = t.flaps + (reopened ? 1 : 0);
        if (sinceLastAlert(t) >= periodMs) {
          transitions.push({ kind: "reminder", key: `reminder|${t.key}|${now}`, finding: ref, lastAlertedAt: t.lastAlertedAt, flaps });
          next.push({ ...refreshed, status: "open", resolvedAt: null, lastAlertedAt: now, lastHeard: "failing", flaps: 0, reopenedAt: null });
        } else {
          next.push({ ...refreshed, status: "open", resolvedAt: null, flaps });
        }
        if (reopened) opened.push(ref);
        stillOpen.push(ref);
      } else if (sinceLastAlert(t) < periodMs) {
        // Failing again after the resolved email, within its period: the recipients were told it
        // is fixed, so they hear it broke again — once; until this email's period is over, its
        // resolved is held back and further flaps are quiet.
        const fresh: FindingRef = { ...ref, since: now };
        transitions.push({
          kind: "drift-detected",
          key: `drift-detected|${t.key}|${now}`,
          finding: fresh,
          ...(t.resolvedAt ? { previouslyResolvedAt: t.resolvedAt } : {}),
        });
        next.push({ ...refreshed, status: "open", since: now, resolvedAt: null, lastAlertedAt: now, lastHeard: "failing", flaps: 0, reopenedAt: now });
        opened.push(fresh);
        stillOpen.push(fresh);
      } else {
        // Resolved long enough ago that this is a new episode (normally already purged).
        tracked.delete(t.key);
      }
      continue;
    }
    if (seen.kind === "passing") {
      if (t.status === "open") {
        const ref = refOf(t, { summary: seen.check.summary });
        resolved.push(ref);
        if (t.lastHeard === "failing" && !(t.reopenedAt && sinceLastAlert(t) < periodMs)) {
          transitions.push({ kind: "resolved", key: `resolved|${t.key}|${now}`, finding: ref, resolvedAt: now });
          next.push({ ...t, status: "resolved", resolvedAt: now, lastAlertedAt: now, lastHeard: "resolved", flaps: 0, reopenedAt: null });
        } else {
          // Held back (it re-opened loudly within this period: it is sent when the period ends),
          // or silent (a quiet re-opening in a state written by the former rule: the recipients
          // were last told it is resolved, which is true again).
          next.push({ ...t, status: "resolved", resolvedAt: now });
        }
      } else if (t.lastHeard === "failing") {
        if (sinceLastAlert(t) >= periodMs) {
          // The held-back resolved, now that the period of the re-opening's email is over.
          const resolvedAt = t.resolvedAt ?? now;
          transitions.push({ kind: "resolved", key: `resolved|${t.key}|${now}`, finding: refOf(t, { summary: seen.check.summary }), resolvedAt });
          next.push({ ...t, resolvedAt, lastAlertedAt: now, lastHeard: "resolved", flaps: 0, reopenedAt: null });
        } else {
          next.push(t);
        }
      } else if (sinceLastAlert(t) < periodMs) {
        next.push(t); // kept for one period to recognise flapping
      }
      continue;
    }
    if (seen.kind === "unchecked") {
      // Skipped (licence, profile): not fixed, just no longer checked. Dropped without an email;
      // if it is checked and fails again some day, that is a new drift-detected.
      if (t.status === "open") resolved.push(refOf(t, { summary: report.checks.find((c) => c.id === t.checkId)?.summary ?? t.summary }));
      continue;
    }
    // held: the check could not be judged this run
    if (t.status === "open") {
      next.push(t);
      stillOpen.push(refOf(t));
    } else if (t.lastHeard === "failing" || sinceLastAlert(t) < periodMs) {
      next.push(t); // a held-back resolved waits for a verdict
    }
  }

  for (const [key, current] of failing) {
    if (next.some((t) => t.key === key)) continue;
    const ref: FindingRef = { ...current, since: now };
    transitions.push({ kind: "drift-detected", key: `drift-detected|${key}|${now}`, finding: ref });
    opened.push(ref);
    stillOpen.push(ref);
    next.push({
      key,
      checkId: current.checkId,
      subject: current.subject,
      subjectName: current.subjectName,
      status: "open",
      since: now,
      lastFailedAt: now,
      lastAlertedAt: now,
      lastHeard: "failing",
      resolvedAt: null,
      flaps: 0,
      reopenedAt: null,
      summary: current.summary,
    });
  }

  // Monitoring degraded / restored.
  let consecutiveUnknown = 0;
  let unknownSince: string | null = null;
  let unknownPeriod: string | null = null;
  let degradedAlertedAt = previous?.degradedAlertedAt ?? null;
  if (report.status === "unknown") {
    const streak = previous?.consecutiveUnknown ?? 0;
    const samePeriod = streak > 0 && options.period !== undefined && (options.period === null || options.period === previous?.unknownPeriod);
    consecutiveUnknown = samePeriod ? streak : streak + 1;
    unknownPeriod = samePeriod ? (previous?.unknownPeriod ?? null) : (options.period ?? null);
    unknownSince = previous?.unknownSince ?? now;
    if (consecutiveUnknown >= options.unknownAlertAfter && degradedAlertedAt === null) {
      transitions.push({
        kind: "monitoring-degraded",
        key: `monitoring-degraded|${unknownSince}`,
        unknownRuns: consecutiveUnknown,
        since: unknownSince,
        reasons: report.checks.filter((c) => c.status === "unknown").map((c) => ({ checkId: c.id, reason: c.reason ?? c.summary })),
      });
      degradedAlertedAt = now;
    }
  } else if (degradedAlertedAt !== null) {
    transitions.push({
      kind: "monitoring-restored",
      key: `monitoring-restored|${previous?.unknownSince ?? degradedAlertedAt}`,
      degradedSince: previous?.unknownSince ?? degradedAlertedAt,
      status: report.status,
    });
    degradedAlertedAt = null;
  }

  // Security notice. The methods belong to the account the report is about; when the connection
  // account changed, the new account's methods are a new baseline, not a change.
  const known = options.methods ? normaliseMethods(options.methods) : null;
  const accountId = report.account.id;
  const baselineAccount = previous ? (previous.methodsAccountId !== undefined ? previous.methodsAccountId : previous.lastReport.account.id) : null;
  const sameAccount = baselineAccount === null || accountId === null || baselineAccount === accountId;
  const before = previous?.methods ?? null;
  if (known && before && sameAccount) {
    const { added, removed } = compareMethods(before, known);
    if (added.length > 0 || removed.length > 0) {
      transitions.push({
        kind: "security-notice",
        key: `security-notice|${methodsFingerprint(before)}>${methodsFingerprint(known)}`,
        added,
        removed,
        methods: known,
      });
    }
  }
  const early = earlyWarnings(report, previous?.earlyWarnings ?? [], now);
  transitions.push(...early.transitions);
  const methods = known ?? before;
  const methodsAccountId = known ? (accountId ?? baselineAccount) : before ? baselineAccount : null;

  transitions.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  next.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const nextState: TenantState = {
    schemaVersion: 1,
    tenantId: report.tenantId,
    version: (previous?.version ?? 0) + 1,
    updatedAt: now,
    lastReport: report,
    findings: next,
    consecutiveUnknown,
    unknownSince,
    ...(unknownPeriod !== null ? { unknownPeriod } : {}),
    degradedAlertedAt,
    methods,
    methodsAccountId,
    ...(early.sent.length > 0 ? { earlyWarnings: early.sent } : {}),
    factsDigest: previous?.factsDigest ?? null,
    lastSnapshotAt: previous?.lastSnapshotAt ?? null,
    lastSnapshotId: previous?.lastSnapshotId ?? null,
  };
  return { nextState, transitions, opened, resolved, stillOpen };
}
