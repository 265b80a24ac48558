/**
 * Drift: from the state monitoring remembered and a new report, the next state and the alert
 * transitions the change earns. Pure: the time is passed in, nothing is read or written. It is
 * the composition of four parts, each with its own rules:
 * - findings (lib/drift/findings.ts): drift-detected, reminder, resolved, the flapping rule, held
 *   while unknown, dropped when skipped, check-retired: the state machine whose table,
 *   lib/drift/finding-states.ts, is the rule. How a report reads for one finding (failing,
 *   passing, held, unchecked, retired) is lib/drift/observe.ts. Warnings are counted in the
 *   report, never mailed as drift.
 * - monitoring health (lib/drift/monitoring.ts): monitoring degraded / restored.
 * - security notices (lib/drift/security-notice.ts): the account's registered methods changed;
 *   and, for an emergency access account, each of its sign-ins (lib/drift/emergency-sign-ins.ts).
 * - early warnings (lib/drift/early-warnings.ts): a warning worth one email before it is a drift.
 * - operators' standings (lib/drift/standing.ts): acknowledged and excepted findings, and the
 *   exception notices (expiring, expired) mailed once, as early warnings.
 */
import type { Report } from "../model/report.js";
import type { RegisteredMethod, TenantState, Transition } from "../model/state.js";
import { earlyWarnings } from "./early-warnings.js";
import { emergencySignIns, type EmergencySignInsInput } from "./emergency-sign-ins.js";
import { stepFindings, type FindingMoves } from "./findings.js";
import { monitoringHealth } from "./monitoring.js";
import { failingFindings } from "./observe.js";
import { securityNotice } from "./security-notice.js";
import { exceptionNotices, NO_STANDINGS, type Standings } from "./standing.js";

interface DiffOptions {
  readonly now: Date;
  readonly reminderHours: number;
  readonly unknownAlertAfter: number;
  /** The account's registered methods as read this run; null/undefined = not read. */
  readonly methods?: readonly RegisteredMethod[] | null;
  /**
   * The schedule period this run belongs to: "monitoring degraded" counts periods, not runs
   * (lib/drift/monitoring.ts). `null`: not a scheduled run (check now). Absent: every run is a
   * period of its own.
   */
  readonly period?: string | null;
  /**
   * The tenant's acknowledgements and exceptions (its own and the estate-wide ones): what they
   * cover is not alerted (lib/drift/standing.ts). Absent: none, and the exception notices already
   * sent are kept as they are (nothing was read to prune them by).
   */
  readonly standings?: Standings;
  /**
   * The account's sign-ins, when its profile's `signInNotices` is `every` (an emergency access account):
   * each new one is an `emergency-sign-in` notice. Absent: none are mailed, and what was mailed is kept.
   */
  readonly emergencySignIns?: EmergencySignInsInput;
}

interface DiffResult extends FindingMoves {
  /** The state to persist (version incremented; snapshot bookkeeping carried over). */
  readonly nextState: TenantState;
  /** What to mail, in a stable order; empty = no email this run. */
  readonly transitions: Transition[];
}

const HOUR = 3_600_000;
const KIND_ORDER: Record<Transition["kind"], number> = {
  "monitoring-degraded": 0,
  "not-checked": 0,
  "monitoring-restored": 1,
  "drift-detected": 2,
  reminder: 3,
  "finding-changed": 3,
  resolved: 4,
  "check-retired": 4,
  "early-warning": 5,
  "security-notice": 6,
  "emergency-sign-in": 6,
};

export function diff(previous: TenantState | undefined, report: Report, options: DiffOptions): DiffResult {
  if (previous && previous.tenantId !== report.tenantId) {
    throw new Error(`diff: state of tenant ${previous.tenantId} given a report of tenant ${report.tenantId}`);
  }
  if (!(options.reminderHours > 0) || !Number.isInteger(options.unknownAlertAfter) || options.unknownAlertAfter < 1) {
    throw new Error("diff: reminderHours must be above 0 and unknownAlertAfter a whole number above 0");
  }
  const now = options.now.toISOString();
  const standings = options.standings ?? NO_STANDINGS;
  const findings = stepFindings(previous?.findings ?? [], report, options.now, options.reminderHours * HOUR, standings);
  const sentNotices = previous?.exceptionNotices ?? [];
  const failing = [...failingFindings(report).values()].map((f) => ({ ...f, since: now }));
  const notices = options.standings ? exceptionNotices(report, failing, standings, sentNotices, options.now) : { transitions: [], sent: sentNotices };
  const monitoring = monitoringHealth(previous, report, {
    now,
    unknownAlertAfter: options.unknownAlertAfter,
    ...(options.period !== undefined ? { period: options.period } : {}),
  });
  const notice = securityNotice(previous, report, options.methods);
  const early = earlyWarnings(report, previous?.earlyWarnings ?? [], now);
  const uses = options.emergencySignIns ? emergencySignIns(previous?.emergencySignIns, options.emergencySignIns) : null;
  const usesMemory = uses?.remembered ?? previous?.emergencySignIns;

  const transitions = [
    ...findings.transitions,
    ...monitoring.transitions,
    ...notice.transitions,
    ...(uses?.transitions ?? []),
    ...early.transitions,
    ...notices.transitions,
  ];
  transitions.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const nextState: TenantState = {
    schemaVersion: 2,
    tenantId: report.tenantId,
    version: (previous?.version ?? 0) + 1,
    updatedAt: now,
    lastReport: report,
    findings: findings.next,
    ...monitoring.health,
    ...notice.remembered,
    ...(early.sent.length > 0 ? { earlyWarnings: early.sent } : {}),
    ...(notices.sent.length > 0 ? { exceptionNotices: notices.sent } : {}),
    ...(usesMemory ? { emergencySignIns: usesMemory } : {}),
    factsDigest: previous?.factsDigest ?? null,
    lastSnapshotAt: previous?.lastSnapshotAt ?? null,
    lastSnapshotId: previous?.lastSnapshotId ?? null,
  };
  return { nextState, transitions, opened: findings.opened, resolved: findings.resolved, stillOpen: findings.stillOpen };
}
