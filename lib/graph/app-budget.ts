/**
 * Where a process gets its share of a budget that every process of the app draws on (Graph's
 * 122 report requests per 10 s for the app, across all tenants). The pacer asks for a few cells
 * at a time and spends them itself; a cell is a time slot, not a lease: one left unspent when
 * `usableUntil` passes is simply lost, so a process that dies mid-claim costs nothing to undo.
 *
 * Two sources: `LocalAppBudget` (the GCRA in memory: one process, tests and the bench) and the
 * Table ledger (lib/store/monitor/budget.ts: every process sharing one storage account).
 */
import { gcraClaim, gcraParams, GRAPH_REPORTS_LEDGER, type GcraParams, type LedgerSpec } from "./gcra.js";

export interface AppClaim {
  /** Cells granted now (0..n). */
  readonly granted: number;
  /** With `granted` > 0: the cells must be spent before this time (the claimant's clock), else they lapse. */
  readonly usableUntil?: number;
  /** With nothing granted: when to ask again. */
  readonly retryAt?: number;
}

export interface AppBudget {
  /** Most cells one claim can grant: the pacer never asks for more. */
  readonly maxClaim: number;
  /** Up to `n` cells, or none if fewer than `atLeast` (default 1) are to be had now. */
  claim(n: number, now: number, atLeast?: number): Promise<AppClaim>;
}

/**
 * A check could not get Graph budget within the pacer's `maxWaitMs`. Coded in the Azure SDK
 * style (`name` and a stable `code`) so a runner can tell it from a Graph failure: the tenant
 * was not checked late by its own fault, the app's budget was spoken for.
 */
export class BudgetTimeoutError extends Error {
  readonly code = "BudgetTimeout";
  constructor(
    readonly budget: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(`no ${budget} budget within ${Math.round(waitedMs)} ms`, options);
    this.name = "BudgetTimeoutError";
  }
}

export function isBudgetTimeout(error: unknown): error is BudgetTimeoutError {
  return error instanceof BudgetTimeoutError || (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "BudgetTimeout");
}

/** The ledger's arithmetic without the Table: one process's view, for tests and the bench. */
export class LocalAppBudget implements AppBudget {
  private tat = 0;
  readonly params: GcraParams;
  readonly maxClaim: number;

  constructor(readonly spec: LedgerSpec = GRAPH_REPORTS_LEDGER) {
    this.params = gcraParams(spec);
    this.maxClaim = spec.burst;
  }

  claim(n: number, now: number, atLeast = 1): Promise<AppClaim> {
    const step = gcraClaim(this.tat, Math.floor(now), n, this.params, atLeast);
    this.tat = step.tat;
    return Promise.resolve(
      step.granted > 0 ? { granted: step.granted, usableUntil: now + this.spec.spendWithinMs } : { granted: 0, retryAt: step.retryAt ?? now + 1 },
    );
  }
}

/** Cells this process claimed and has not spent yet, each batch with its own deadline. */
export class ClaimedCells {
  private batches: { left: number; usableUntil: number }[] = [];
  /** Cells that lapsed unspent: budget claimed and lost (a claim that took longer than its spending time, or no demand left). */
  lapsed = 0;

  add(claim: AppClaim): void {
    if (claim.granted > 0 && claim.usableUntil !== undefined) this.batches.push({ left: claim.granted, usableUntil: claim.usableUntil });
  }

  /** Unlapsed cells at `now`. */
  available(now: number): number {
    for (const b of this.batches) if (b.usableUntil <= now) this.lapsed += b.left;
    this.batches = this.batches.filter((b) => b.usableUntil > now && b.left > 0);
    return this.batches.reduce((sum, b) => sum + b.left, 0);
  }

  /** Spends `n` cells, soonest-lapsing first, if that many are there (else spends none). */
  take(n: number, now: number): boolean {
    if (this.available(now) < n) return false;
    let need = n;
    for (const b of this.batches) {
      const used = Math.min(b.left, need);
      b.left -= used;
      need -= used;
      if (need === 0) break;
    }
    return true;
  }
}
