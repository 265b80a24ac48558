/**
 * A channel's sending budget shared by every sender (queue trigger, sweep, CLI), one GCRA ledger
 * row per limit (lib/store/monitor/budget.ts, the same ledger the Graph reports budget uses, under
 * its own row keys: `mail-acs-minute`, `mail-acs-hour`, `webhook-…`). A send takes one cell from
 * every limit, the scarcest first; a cell taken from one limit when a later one refuses is simply
 * lost (the ledger has no refunds): it slows sending a little, never lets it exceed a limit.
 */
import { gcraClaim, type LedgerSpec } from "../../graph/gcra.js";
import type { LazyTable } from "../connection.js";
import { BudgetLedger } from "./budget.js";
import { decodeBudgetTat } from "./codecs/budget.js";
import { BUDGET_PARTITION } from "./keys.js";

/** One limit: the ledger row that counts it, and its spec. */
export interface SendLimit {
  readonly rowKey: string;
  readonly spec: LedgerSpec;
}

export type SendGrant = { readonly granted: true } | { readonly granted: false; readonly retryAt: Date };

export interface SendBudget {
  /** One send now, or when to ask again. */
  take(now: Date): Promise<SendGrant>;
  /** When the next send could go, without taking it (now, or later). */
  nextAt(now: Date): Promise<Date>;
}

interface LedgerOptions {
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class TableSendBudget implements SendBudget {
  private readonly ledgers: BudgetLedger[];

  constructor(
    private readonly table: LazyTable,
    limits: readonly SendLimit[],
    options: LedgerOptions = {},
  ) {
    // The longest window first: its cells are the scarce ones, so it is asked before a shorter one is spent.
    const ordered = [...limits].sort((a, b) => b.spec.windowMs - a.spec.windowMs);
    this.ledgers = ordered.map((l) => new BudgetLedger(table, { spec: l.spec, rowKey: l.rowKey, ...options, elapsed: () => 0 }));
  }

  async nextAt(now: Date): Promise<Date> {
    let at = now.getTime();
    for (const ledger of this.ledgers) {
      const row = await this.table.getRow(BUDGET_PARTITION, ledger.rowKey, `the ${ledger.rowKey} budget ledger`);
      const tat = row ? decodeBudgetTat(row) : 0;
      if (tat === undefined) continue;
      const step = gcraClaim(tat, now.getTime(), 1, ledger.params);
      if (step.granted === 0 && step.retryAt !== undefined) at = Math.max(at, step.retryAt);
    }
    return new Date(at);
  }

  async take(now: Date): Promise<SendGrant> {
    // A look first: most refusals cost a read per limit and spend nothing.
    const next = await this.nextAt(now);
    if (next.getTime() > now.getTime()) return { granted: false, retryAt: next };
    for (const ledger of this.ledgers) {
      const claim = await ledger.claim(1, now.getTime());
      if (claim.granted === 0) return { granted: false, retryAt: new Date(claim.retryAt ?? now.getTime() + ledger.params.intervalMs) };
    }
    return { granted: true };
  }
}
