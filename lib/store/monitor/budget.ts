/**
 * The ledger of a budget every process of the app shares (the Graph reports budget: 122 per 10 s
 * for the app across all tenants, whether 1 or 40 Functions instances and any CLI `run`s spend it).
 * One row holds the GCRA's TAT (lib/graph/gcra.ts); a claim reads it, works out how many of the
 * cells asked for conform, and writes the new TAT back conditioned on the ETag it read. Of two
 * claims racing, one write wins and the other gets 412 and starts over from a fresh read, so the
 * row moves only by whole, conforming claims, which is all the GCRA's bound needs.
 *
 * Claims are small (a few cells, `spec.burst` at most) and expire (`spendWithinMs`): a process
 * never holds budget it is not about to spend, and nothing needs to be returned or cleaned up.
 */
import { gcraClaim, gcraParams, GRAPH_REPORTS_LEDGER, type GcraParams, type LedgerSpec } from "../../graph/gcra.js";
import type { AppBudget, AppClaim } from "../../graph/app-budget.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError } from "../errors.js";
import { decodeBudgetTat, encodeBudgetRow } from "./codecs/budget.js";
import { BUDGET_PARTITION, GRAPH_REPORTS_BUDGET_ROW } from "./keys.js";

interface BudgetLedgerOptions {
  readonly spec?: LedgerSpec;
  readonly rowKey?: string;
  /** Conflicts (412/409) retried within one claim before it reports "nothing yet". */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Elapsed-time source for retries within one claim (ms, monotonic). */
  readonly elapsed?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BudgetLedger implements AppBudget {
  readonly spec: LedgerSpec;
  readonly params: GcraParams;
  readonly maxClaim: number;
  readonly rowKey: string;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly elapsed: () => number;
  /** Table operations so far, and the lost races among them (a read and a refused write each): what the ledger costs. */
  reads = 0;
  writes = 0;
  conflicts = 0;

  constructor(
    private readonly table: LazyTable,
    options: BudgetLedgerOptions = {},
  ) {
    this.spec = options.spec ?? GRAPH_REPORTS_LEDGER;
    this.params = gcraParams(this.spec);
    this.maxClaim = this.spec.burst;
    this.rowKey = options.rowKey ?? GRAPH_REPORTS_BUDGET_ROW;
    this.attempts = options.attempts ?? 8;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.elapsed = options.elapsed ?? (() => performance.now());
  }

  /**
   * Up to `n` cells at `now` (the caller's clock, whole ms). Storage failures throw StoreError:
   * the caller decides how to wait (it must not send without a grant). Losing every race within
   * `attempts` is not a failure: it answers "nothing granted, ask again shortly".
   */
  async claim(n: number, now: number, atLeast = 1): Promise<AppClaim> {
    const client = await this.table.ready();
    const started = this.elapsed();
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      // The grant time is this attempt's now: a retry after a lost race must not spend from a stale instant.
      const at = Math.floor(now + (this.elapsed() - started));
      this.reads += 1;
      const row = await this.table.getRow(BUDGET_PARTITION, this.rowKey, `the ${this.rowKey} budget ledger`);
      const stored = row ? decodeBudgetTat(row) : 0;
      // An unreadable TAT is rewritten as "full up to now + τ" and nothing granted: one burst's wait, never a free burst.
      const step = stored === undefined ? { granted: 0, tat: at + this.params.toleranceMs } : gcraClaim(stored, at, n, this.params, atLeast);
      if (step.granted === 0 && stored !== undefined) return { granted: 0, retryAt: this.spread(step.retryAt ?? at + this.params.intervalMs) };
      const entity = encodeBudgetRow(this.rowKey, step.tat, this.params, new Date(at));
      this.writes += 1;
      try {
        if (row) await client.updateEntity(entity, "Replace", { etag: row.etag });
        else await client.createEntity(entity);
        if (step.granted === 0) return { granted: 0, retryAt: this.spread(at + this.params.intervalMs) };
        return { granted: step.granted, usableUntil: at + this.spec.spendWithinMs };
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw new StoreError(`could not write the ${this.rowKey} budget ledger`, error);
        this.conflicts += 1;
        // Jittered, growing: racing claimants spread out instead of colliding again in step.
        await this.sleep(this.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
    const at = Math.floor(now + (this.elapsed() - started));
    return { granted: 0, retryAt: this.spread(at) };
  }

  /**
   * Up to half an interval later: every process told "next cell at t" would otherwise come back at
   * t together and all but one lose the race (a read and a refused write each). The first to
   * come back still gets the cell, so this costs little of the budget.
   */
  private spread(at: number): number {
    return at + Math.ceil((this.random() * this.params.intervalMs) / 2);
  }
}
