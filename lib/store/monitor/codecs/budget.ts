/**
 * A shared budget's ledger row, in the `~budget` partition (one row per budget, e.g.
 * `graph-reports`): Tat, the GCRA's theoretical arrival time (the next free send slot) in ms since
 * the epoch on the storage service's clock (lib/budget/gcra.ts),
 * with IntervalMs and ClaimCells beside it only so a reader in Storage Explorer sees the pace it was
 * written under, and UpdatedAt for the same reason.
 */
import { BUDGET_PARTITION } from "../keys.js";
import type { Row } from "../table.js";

export function encodeBudgetRow(rowKey: string, tat: number, pace: { intervalMs: number; claimCells: number }, at: Date) {
  return { partitionKey: BUDGET_PARTITION, rowKey, Tat: tat, IntervalMs: pace.intervalMs, ClaimCells: pace.claimCells, UpdatedAt: at.toISOString() };
}

/** The stored TAT; undefined when the column is missing or not a finite number (the caller then assumes the worst). */
export function decodeBudgetTat(row: Row): number | undefined {
  const tat = row.Tat;
  return typeof tat === "number" && Number.isFinite(tat) ? tat : undefined;
}
