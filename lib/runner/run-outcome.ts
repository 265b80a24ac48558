/** A tenant's RunOutcome from its accounts' outcomes (pure). */
import type { Report } from "../model/report.js";
import type { OutboxAlert } from "../model/state.js";
import type { AccountOutcome, RunOutcome } from "./types.js";

const RANK: Readonly<Record<Report["status"], number>> = { compliant: 0, drifted: 1, unknown: 2 };

/** The worst of the statuses: unknown, then drifted, then compliant. */
function worstStatus(statuses: readonly Report["status"][]): Report["status"] {
  return statuses.reduce<Report["status"]>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), "compliant");
}

export function tenantOutcome(tenantId: string, accounts: readonly AccountOutcome[], roundTrips: number): RunOutcome {
  const [first] = accounts;
  if (!first) throw new Error(`tenant ${tenantId}: a run has at least one account`);
  const late = accounts.find((a) => a.late !== undefined)?.late;
  return {
    tenantId,
    accounts,
    report: first.report,
    status: worstStatus(accounts.map((a) => a.report.status)),
    transitions: accounts.flatMap((a) => a.transitions),
    alerts: accounts.map((a) => a.alert).filter((a): a is OutboxAlert => a !== undefined),
    snapshot: first.snapshot,
    stateVersion: first.stateVersion,
    attempts: Math.max(...accounts.map((a) => a.attempts)),
    roundTrips,
    removedSnapshots: accounts.reduce((n, a) => n + a.removedSnapshots, 0),
    superseded: accounts.every((a) => a.superseded),
    repeated: accounts.every((a) => a.repeated),
    ...(late !== undefined ? { late } : {}),
  };
}
