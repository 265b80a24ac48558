/**
 * History from the snapshots and the outbox, for the dashboard: the estate's daily counts of
 * compliant / drifted / unknown tenants (the 30-day chart), and one tenant's timeline of status
 * changes and alerts. Pure.
 *
 * A snapshot is written whenever an account's results change and at least daily, so an account's
 * status at the end of a day is that of its last snapshot taken by then, and its tenant's is the
 * worst of its accounts' (drifted, unknown, compliant). Days before an account's first snapshot
 * in the window are not counted for it (it was not monitored yet, or its history was pruned).
 */
import type { TenantStatus } from "../model/report.js";
import type { TransitionKind } from "../model/state.js";
import { accountIdOfRow, accountOfRow } from "./accounts.js";

/** One snapshot's summary; `accountKey` absent: the tenant's first account (or named by a partition in `tenantId`). */
export interface SnapshotPoint {
  readonly tenantId: string;
  readonly accountKey?: string | undefined;
  readonly takenAt: string;
  readonly status: string;
}

export interface DayCounts {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly compliant: number;
  readonly drifted: number;
  readonly unknown: number;
}

const DAY_MS = 86_400_000;
const RANK: Readonly<Record<TenantStatus, number>> = { drifted: 0, unknown: 1, compliant: 2 };
const isStatus = (s: string): s is TenantStatus => s === "compliant" || s === "drifted" || s === "unknown";

/** The `days` days up to and including today (UTC), each counted at its end (today: now). */
export function estateDailyCounts(points: readonly SnapshotPoint[], days: number, now: Date): DayCounts[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const ends = Array.from({ length: days }, (_, i) => {
    const start = today - (days - 1 - i) * DAY_MS;
    return { day: new Date(start).toISOString().slice(0, 10), end: i === days - 1 ? now.toISOString() : new Date(start + DAY_MS - 1).toISOString() };
  });
  const byAccount = new Map<string, SnapshotPoint[]>();
  for (const p of points) if (isStatus(p.status)) byAccount.set(accountIdOfRow(p), [...(byAccount.get(accountIdOfRow(p)) ?? []), p]);
  // Each tenant's status at each day's end: the worst of its accounts' (lower rank is worse).
  const tenantDays = new Map<string, (TenantStatus | undefined)[]>();
  for (const list of byAccount.values()) {
    list.sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    const first = list[0];
    if (!first) continue;
    const tenantId = accountOfRow(first).tenantId;
    const days = tenantDays.get(tenantId) ?? ends.map((): TenantStatus | undefined => undefined);
    tenantDays.set(tenantId, days);
    let i = -1;
    ends.forEach((e, d) => {
      while (i + 1 < list.length && (list[i + 1]?.takenAt ?? "") <= e.end) i++;
      const status = list[i]?.status;
      const had = days[d];
      if (status && isStatus(status) && (had === undefined || RANK[status] < RANK[had])) days[d] = status;
    });
  }
  const counts = ends.map((e) => ({ day: e.day, compliant: 0, drifted: 0, unknown: 0 }));
  for (const days of tenantDays.values()) {
    days.forEach((status, d) => {
      const day = counts[d];
      if (day && status) day[status]++;
    });
  }
  return counts;
}

export type TimelineEntry =
  | { readonly kind: "status"; readonly at: string; readonly from: string | null; readonly to: string; readonly snapshotId: string }
  | {
      readonly kind: "alert";
      readonly at: string;
      readonly alertId: string;
      readonly transitions: readonly TransitionKind[];
      readonly delivery: "pending" | "sent" | "failed";
      readonly sentAt: string | null;
      readonly attempts: number;
    };

interface AlertPoint {
  readonly alert: { readonly id: string; readonly createdAt: string; readonly transitions: readonly { readonly kind: TransitionKind }[] };
  readonly delivery: "pending" | "sent" | "failed";
  readonly sentAt: string | null;
  readonly attempts: number;
}

/** Status changes (from snapshots, any order) and alerts, newest first. The oldest snapshot counts as a change from nothing. */
export function tenantTimeline(snapshots: readonly { id: string; takenAt: string; status: string }[], alerts: readonly AlertPoint[]): TimelineEntry[] {
  const ordered = [...snapshots].sort((a, b) => a.takenAt.localeCompare(b.takenAt));
  const changes: TimelineEntry[] = [];
  let previous: string | null = null;
  for (const s of ordered) {
    if (s.status !== previous) changes.push({ kind: "status", at: s.takenAt, from: previous, to: s.status, snapshotId: s.id });
    previous = s.status;
  }
  const sent: TimelineEntry[] = alerts.map((a) => ({
    kind: "alert",
    at: a.alert.createdAt,
    alertId: a.alert.id,
    transitions: [...new Set(a.alert.transitions.map((t) => t.kind))],
    delivery: a.delivery,
    sentAt: a.sentAt,
    attempts: a.attempts,
  }));
  return [...changes, ...sent].sort((a, b) => b.at.localeCompare(a.at) || (a.kind === b.kind ? 0 : a.kind === "alert" ? -1 : 1));
}
