/**
 * The pacer's side of the app-wide budget (lib/budget/app-budget.ts): the cells this process
 * claimed and has not spent yet, and the error a check gets when no budget comes in time.
 */
import type { AppClaim } from "../budget/app-budget.js";

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
