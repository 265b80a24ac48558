/** What a GraphPacer is given (the app budget and how long to wait for it) and what it counts. */
import type { AppBudget } from "../budget/app-budget.js";

export interface PacerStats {
  /** Acquires that had to wait, and for how long in total. */
  readonly waits: number;
  readonly waitedMs: number;
  /** Per-tenant windows held right now (bounded by the tenants in flight, not the estate). */
  readonly trackedTenants: number;
  /** Slots booked on the app budget and not sent at (slept past, or granted beyond a whole batch). */
  readonly lapsedCells: number;
  /** Claims asked of the app budget, and those that granted nothing (told to come back later). */
  readonly claims: number;
  readonly refusedClaims: number;
  /** Right now: report cells wanted by batches waiting for their slots on the app budget. */
  readonly appWaiting?: number;
  /** The app budget's own counters, when it keeps any. */
  readonly appBudget?: Readonly<Record<string, number>>;
}

export interface PacerOptions {
  /** The app-wide reports budget shared with other processes; absent: this process's own window alone. */
  readonly appBudget?: AppBudget;
  /** An acquire that would wait longer than this throws BudgetTimeoutError; absent: it waits as long as it takes. */
  readonly maxWaitMs?: number;
  /** Told when a claim from `appBudget` failed (storage down): the pacer waits and claims again. */
  readonly onClaimError?: (error: unknown) => void;
  /** First wait after a failed claim, doubled per failure up to 8×. */
  readonly claimRetryMs?: number;
}
