/**
 * Where a process gets its share of a budget that every process of the app draws on (Graph's
 * 122 report requests per 10 s for the app, across all tenants). The pacer (lib/graph/slot-booker.ts)
 * books exactly the cells its waiting batches need; a cell is a send slot, not a lease: one not
 * sent within `spendWithinMs` after its slot is simply lost, so a process that dies mid-claim costs nothing to undo.
 *
 * Two sources: `LocalAppBudget` (the GCRA in memory: one process, tests and the bench) and the
 * Table ledger (lib/store/monitor/budget.ts: every process sharing one storage account). Both sit
 * below the Graph client and the store, which is why this lives in neither.
 */
import { gcraClaimBatches, gcraParams, GRAPH_REPORTS_LEDGER, maxBatchOf, slotsOf, type GcraParams, type LedgerSpec } from "./gcra.js";

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
  /** The cells of a whole prefix of `batches` (each a batch's size, in arrival order), never part of one; none if not even the first fits now. */
  claim(batches: readonly number[], now: number): Promise<AppClaim>;
  /** What the source counts (the ledger: Table reads, writes, ETag conflicts, clock probes, cells granted). */
  stats?(): Readonly<Record<string, number>>;
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

  claim(batches: readonly number[], now: number): Promise<AppClaim> {
    const step = gcraClaimBatches(this.tat, Math.floor(now), batches, this.params);
    this.tat = step.tat;
    return Promise.resolve(
      step.granted > 0
        ? { granted: step.granted, slots: slotsOf(step, this.params), spendWithinMs: this.spec.spendWithinMs }
        : { granted: 0, retryAt: step.retryAt ?? now + 1 },
    );
  }
}
