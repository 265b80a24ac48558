/**
 * A channel's sending budget shared by every sender (queue trigger, sweep, CLI), one GCRA ledger
 * row per limit (the row format of lib/store/monitor/budget.ts, under its own row keys:
 * `mail-acs-minute`, `mail-acs-hour`, `webhook-…`). Unlike the Graph budget's ledger, which sends
 * at reserved slots on the storage service's clock, a send here is one cell taken for the caller's
 * `now` (injected: the sweep and its tests run on their own clock), the hosts' clock skew being
 * part of the limit's margins (lib/alerts/quota.ts): minutes-long windows need no finer clock. A send takes one cell from
 * every limit, the scarcest first; a cell taken from one limit when a later one refuses is simply
 * lost (the ledger has no refunds): it slows sending a little, never lets it exceed a limit.
 */
import { gcraClaim, gcraParams, type GcraParams, type LedgerSpec } from "../../budget/gcra.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError } from "../errors.js";
import { decodeBudgetTat, encodeBudgetRow } from "./codecs/budget.js";
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

type LedgerRow = NonNullable<Awaited<ReturnType<LazyTable["getRow"]>>>;

interface Limit {
  readonly rowKey: string;
  readonly params: GcraParams;
}

/**
 * The stored TAT, or undefined when it is unreadable or lies further ahead than a claim ever moves it (one interval past now, plus
 * the hosts' clock skew): written by a clock far ahead, or by hand. Obeying it would stop the channel for as long as it says.
 */
function sane(tat: number | undefined, now: number, params: GcraParams): number | undefined {
  return tat !== undefined && tat <= now + params.intervalMs + CLOCK_SKEW_MS ? tat : undefined;
}

/** How far apart the hosts' clocks may be (lib/alerts/quota.ts's margin). */
const CLOCK_SKEW_MS = 2_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lost ETag races within one take before it answers "ask again shortly". */
const ATTEMPTS = 8;

export class TableSendBudget implements SendBudget {
  private readonly limits: Limit[];
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly table: LazyTable,
    limits: readonly SendLimit[],
    options: LedgerOptions = {},
  ) {
    // The longest window first: its cells are the scarce ones, so it is asked before a shorter one is spent.
    const ordered = [...limits].sort((a, b) => b.spec.windowMs - a.spec.windowMs);
    this.limits = ordered.map((l) => ({ rowKey: l.rowKey, params: gcraParams(l.spec) }));
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
  }

  async nextAt(now: Date): Promise<Date> {
    return (await this.look(now)).at;
  }

  /**
   * When the next send could go, each ledger row as read for it (a take's first claim attempt reuses them: one read per row, not
   * two), and the limits whose stored TAT is broken: unreadable, or further ahead than any claim moves it (see `sane`).
   */
  private async look(now: Date): Promise<{ at: Date; rows: Map<string, LedgerRow | undefined>; broken: Limit[] }> {
    let at = now.getTime();
    const rows = new Map<string, LedgerRow | undefined>();
    const broken: Limit[] = [];
    for (const limit of this.limits) {
      const row = await this.readRow(limit);
      rows.set(limit.rowKey, row);
      const tat = row ? sane(decodeBudgetTat(row), now.getTime(), limit.params) : 0;
      if (tat === undefined) {
        broken.push(limit);
        at = Math.max(at, now.getTime() + limit.params.intervalMs);
        continue;
      }
      const step = gcraClaim(tat, now.getTime(), 1, limit.params);
      if (step.granted === 0 && step.retryAt !== undefined) at = Math.max(at, step.retryAt);
    }
    return { at: new Date(at), rows, broken };
  }

  private readRow(limit: Limit): Promise<LedgerRow | undefined> {
    return this.table.getRow(BUDGET_PARTITION, limit.rowKey, `the ${limit.rowKey} budget ledger`);
  }

  async take(now: Date): Promise<SendGrant> {
    // A look first: most refusals cost a read per limit and spend nothing.
    const { at: next, rows, broken } = await this.look(now);
    // A broken row is repaired (rewritten full for one interval) as it is met, so it holds one interval, not what it says.
    for (const limit of broken) await this.claimOne(limit, now.getTime(), rows.get(limit.rowKey));
    if (next.getTime() > now.getTime()) return { granted: false, retryAt: next };
    for (const limit of this.limits) {
      const retryAt = await this.claimOne(limit, now.getTime(), rows.get(limit.rowKey));
      if (retryAt !== undefined) return { granted: false, retryAt: new Date(retryAt) };
    }
    return { granted: true };
  }

  /** One cell of `limit` at `now`: undefined when taken, else when to ask again. The row moves only by ETag-conditioned writes. */
  private async claimOne(limit: Limit, now: number, looked: LedgerRow | undefined): Promise<number | undefined> {
    const client = await this.table.ready();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // The row as the look read it, on the first attempt: a race lost to it costs one refused write and a fresh read.
      const row = attempt === 1 ? looked : await this.readRow(limit);
      const stored = row ? sane(decodeBudgetTat(row), now, limit.params) : 0;
      // An unreadable or insane TAT is rewritten as "full for one interval" and nothing taken: a wait, never a free send.
      const step = stored === undefined ? { granted: 0, tat: now + limit.params.intervalMs } : gcraClaim(stored, now, 1, limit.params);
      if (step.granted === 0 && stored !== undefined) return step.retryAt ?? now + limit.params.intervalMs;
      const entity = encodeBudgetRow(limit.rowKey, step.tat, limit.params, new Date(now));
      try {
        if (row) await client.updateEntity(entity, "Replace", { etag: row.etag });
        else await client.createEntity(entity);
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw new StoreError(`could not write the ${limit.rowKey} budget ledger`, error);
        await this.sleep(this.random() * Math.min(200, 10 * 2 ** attempt));
        continue;
      }
      return step.granted === 0 ? now + limit.params.intervalMs : undefined;
    }
    return now + Math.ceil((this.random() * limit.params.intervalMs) / 2);
  }
}
