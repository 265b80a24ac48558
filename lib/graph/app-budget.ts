/**
 * Where a process gets its share of a budget that every process of the app draws on (Graph's
 * 122 report requests per 10 s for the app, across all tenants). The pacer asks for a few cells
 * at a time and spends them itself; a cell is a send slot, not a lease: one not sent within
 * `spendWithinMs` after its slot is simply lost, so a process that dies mid-claim costs nothing to undo.
 *
 * Two sources: `LocalAppBudget` (the GCRA in memory: one process, tests and the bench) and the
 * Table ledger (lib/store/monitor/budget.ts: every process sharing one storage account).
 */
import { gcraClaim, gcraParams, GRAPH_REPORTS_LEDGER, slotsOf, type GcraParams, type LedgerSpec } from "./gcra.js";

export interface AppClaim {
  /** Cells granted now (0..n). */
  readonly granted: number;
  /** With `granted` > 0: each cell's slot on the claimant's clock; a cell may be sent from its slot on, never before. */
  readonly slots?: readonly number[];
  /** With `granted` > 0: how long after its slot a cell may still be sent, else it lapses. */
  readonly spendWithinMs?: number;
  /** With nothing granted: when to ask again. */
  readonly retryAt?: number;
}

export interface AppBudget {
  /** Most cells one claim can grant: the pacer never asks for more. */
  readonly maxClaim: number;
  /** Most cells one request (a batch) can spend at once: all must still be live at the last one's slot (default: `maxClaim`). */
  readonly maxBatch?: number;
  /** Up to `n` cells, or none if fewer than `atLeast` (default 1) are to be had now. */
  claim(n: number, now: number, atLeast?: number): Promise<AppClaim>;
  /** What the source counts (the ledger: Table reads, writes, ETag conflicts, clock probes, cells granted). */
  stats?(): Readonly<Record<string, number>>;
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
  readonly maxBatch: number;

  constructor(readonly spec: LedgerSpec = GRAPH_REPORTS_LEDGER) {
    this.params = gcraParams(spec);
    this.maxClaim = spec.claimCells;
    this.maxBatch = maxBatchOf(spec, this.params);
  }

  claim(n: number, now: number, atLeast = 1): Promise<AppClaim> {
    const step = gcraClaim(this.tat, Math.floor(now), n, this.params, atLeast);
    this.tat = step.tat;
    return Promise.resolve(
      step.granted > 0
        ? { granted: step.granted, slots: slotsOf(step, this.params), spendWithinMs: this.spec.spendWithinMs }
        : { granted: 0, retryAt: step.retryAt ?? now + 1 },
    );
  }
}

/** A claimed cell: sendable from its slot `at` until it lapses at `until`. */
type Cell = { readonly at: number; readonly until: number };
/** The cells a waiter chose, sendable together from `at`. */
type CellChoice = { readonly at: number; readonly cells: readonly Cell[] };

/** Cells this process claimed and has not spent yet: each a slot it may be sent from, until it lapses. */
export class ClaimedCells {
  /** Sorted by slot. */
  private cells: Cell[] = [];
  /** Cells that lapsed unspent: budget claimed and lost (spent too late, or no demand left). */
  lapsed = 0;

  add(claim: AppClaim): void {
    if (claim.granted <= 0 || !claim.slots || claim.spendWithinMs === undefined) return;
    for (const at of claim.slots) this.cells.push({ at, until: at + claim.spendWithinMs });
    this.cells.sort((a, b) => a.at - b.at);
  }

  private prune(now: number): void {
    const live = this.cells.filter((c) => c.until > now);
    this.lapsed += this.cells.length - live.length;
    this.cells = live;
  }

  /** Unlapsed cells at `now`, whether their slot has come or not. */
  held(now: number): number {
    this.prune(now);
    return this.cells.length;
  }

  /** Spends a choice if its time has come (its `at` is `now`); else spends none. */
  spend(pick: CellChoice | undefined, now: number): boolean {
    if (pick?.at !== now) return false;
    this.cells = this.cells.filter((c) => !pick.cells.includes(c));
    return true;
  }

  /**
   * Which `n` of the held cells the caller would send together, and from when (the n-th slot, all n still live then);
   * undefined if they never will. `ahead`: what the waiters that came first want, in arrival order (the pacer's queue).
   * Each waiter in turn takes the earliest cells it can send together; a cell it cannot use (it would lapse before the
   * batch's last slot) is left to the ones behind, so a batch of two never holds a lone cell until it lapses. The last
   * of `ahead` + `n` is the caller's choice. At most a few dozen waiters and cells: quadratic is fine.
   */
  choose(n: number, now: number, ahead: readonly number[] = []): CellChoice | undefined {
    this.prune(now);
    let left = this.cells;
    let pick: { at: number; cells: Cell[] } | undefined;
    for (const want of [...ahead, n]) {
      pick = undefined;
      for (let i = 0; i + want <= left.length && !pick; i += 1) {
        const run = left.slice(i, i + want);
        const at = Math.max(now, run[want - 1]!.at);
        if (run.every((c) => c.until > at)) pick = { at, cells: run };
      }
      if (pick) {
        const taken = pick.cells;
        left = left.filter((c) => !taken.includes(c));
      }
    }
    return pick;
  }
}

/** Cells one `intervalMs` apart that are all still sendable at the last one's slot: a batch waits for its last cell. */
export function maxBatchOf(spec: LedgerSpec, p: GcraParams): number {
  return Math.max(1, Math.min(spec.claimCells, Math.floor((spec.spendWithinMs - 1) / p.intervalMs) + 1));
}
