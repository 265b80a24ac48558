/**
 * The ledger of a budget every process of the app shares (the Graph reports budget: 122 per 10 s
 * for the app across all tenants, whether 1 or 40 Functions instances and any CLI `run`s spend it).
 * One row holds the GCRA's TAT, the next free send slot (lib/budget/gcra.ts); a claim reads it,
 * works out which slots it may reserve, and writes the new TAT back conditioned on the ETag it
 * read. Of two claims racing, one write wins and the other gets 412 and starts over from a fresh
 * read, so the row moves only by whole claims, which is all the GCRA's bound needs.
 *
 * Time is the storage service's (server-clock.ts): every write of the row tells this process the
 * service's time to within half a round trip, slots are reserved and handed back on that clock,
 * and a process that does not know it well enough yet first rewrites the row unchanged (a probe)
 * to learn it. So the bound holds however far the hosts' own clocks disagree.
 *
 * Claims are small (`spec.claimCells` at most) and expire (`spendWithinMs` after each slot): a
 * process never holds budget it is not about to spend, and nothing needs to be returned or cleaned up.
 */
import { gcraClaimBatches, gcraParams, GRAPH_REPORTS_LEDGER, maxBatchOf, saneTat, slotsOf, type GcraParams, type LedgerSpec } from "../../budget/gcra.js";
import type { AppBudget, AppClaim } from "../../budget/app-budget.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError } from "../errors.js";
import { decodeBudgetTat, encodeBudgetRow } from "./codecs/budget.js";
import { BUDGET_PARTITION, GRAPH_REPORTS_BUDGET_ROW } from "./keys.js";
import { etagTime, ServerClock, type ServerTime } from "./server-clock.js";

interface BudgetLedgerOptions {
  readonly spec?: LedgerSpec;
  readonly rowKey?: string;
  /** Conflicts (412/409) and probes within one claim before it reports "nothing yet". */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Monotonic ms: the age of clock samples, and a check that the wall clock did not step since. */
  readonly elapsed?: () => number;
  /** The wall clock the caller compares the slots with (the pacer's: Date.now in production). */
  readonly wall?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BudgetLedger implements AppBudget {
  readonly spec: LedgerSpec;
  readonly params: GcraParams;
  readonly maxClaim: number;
  readonly maxBatch: number;
  readonly rowKey: string;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly elapsed: () => number;
  private readonly wall: () => number;
  private readonly clock = new ServerClock();
  /**
   * How far past "full" a TAT another claimant wrote can lie: each knows the service's clock to within
   * the skew and half a spend window (serverTime), one ahead and the reader behind.
   */
  private readonly toleranceMs: number;
  /** This process's recent write round trip (ms, decaying max): how far from now a claim's first slot starts. */
  private writeRtt = 0;
  /** Table operations so far, the lost races among them (a read and a refused write each), the probes, the cells granted. */
  reads = 0;
  writes = 0;
  conflicts = 0;
  probes = 0;
  granted = 0;

  constructor(
    private readonly table: LazyTable,
    options: BudgetLedgerOptions = {},
  ) {
    this.spec = options.spec ?? GRAPH_REPORTS_LEDGER;
    this.params = gcraParams(this.spec);
    this.maxClaim = this.spec.claimCells;
    this.maxBatch = maxBatchOf(this.spec, this.params);
    this.toleranceMs = 2 * this.spec.clockSkewMs + this.spec.spendWithinMs;
    this.rowKey = options.rowKey ?? GRAPH_REPORTS_BUDGET_ROW;
    this.attempts = options.attempts ?? 8;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.wall = options.wall ?? Date.now;
  }

  stats(): Readonly<Record<string, number>> {
    return { reads: this.reads, writes: this.writes, conflicts: this.conflicts, probes: this.probes, granted: this.granted };
  }

  /** The storage service's clock as this process knows it at local wall time `wall` (for tests and the bench's accounting). */
  serviceTime(wall: number): ServerTime | undefined {
    return this.clock.at(wall, this.elapsed());
  }

  /** The service's time as this process knows it now, when well enough to send by. */
  private serverTime(wall: number): ServerTime | undefined {
    const t = this.serviceTime(wall);
    // Beyond the tolerance, the cell's window shrinks by twice the excess (see claim); it must stay open.
    return t && 2 * Math.max(0, t.uncertaintyMs - this.spec.clockSkewMs) < this.spec.spendWithinMs ? t : undefined;
  }

  /**
   * The cells of a whole prefix of `batches` now (AppBudget.claim). The time is this ledger's own `wall` clock, read at each step, not the
   * caller's `now`: a clock sample and the slots it converts must be on one clock, read when they
   * happen (a `now` read before an await would shift every slot by the wait). Storage failures throw
   * StoreError: the caller decides how to wait (it must not send without a grant). Losing every
   * race within `attempts` is not a failure: it answers "nothing granted, ask again shortly".
   */
  async claim(batches: readonly number[], _now: number): Promise<AppClaim> {
    const client = await this.table.ready();
    const wall = () => Math.floor(this.wall());
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      this.reads += 1;
      const row = await this.table.getRow(BUDGET_PARTITION, this.rowKey, `the ${this.rowKey} budget ledger`);
      const stored = row ? decodeBudgetTat(row) : 0;
      const at = wall();
      const time = this.serverTime(at);
      const server = time ? at + Math.round(time.offsetMs) : undefined;
      // Beyond what any claim writes (a clock far ahead, a hand edit): read as full, and written back so, never obeyed.
      const sane = stored !== undefined && server !== undefined ? saneTat(stored, server, this.params, this.toleranceMs) : stored;
      const step = sane !== undefined && server !== undefined ? gcraClaimBatches(sane, server, batches, this.params, this.writeRtt) : undefined;
      if (step && time && step.granted === 0 && sane === stored) return { granted: 0, retryAt: this.spread((step.retryAt ?? at) - time.offsetMs) };
      // A probe when this process does not know the service's time yet: the row as it stands, or an unreadable TAT as full up to the horizon (nothing granted).
      const tat = step?.tat ?? stored ?? (server ?? at) + this.params.horizonMs + this.params.intervalMs;
      const entity = encodeBudgetRow(this.rowKey, tat, this.params, new Date(server ?? at));
      this.writes += 1;
      if (!step) this.probes += 1;
      const sentAt = wall();
      try {
        const answer = row ? await client.updateEntity(entity, "Replace", { etag: row.etag }) : await client.createEntity(entity);
        const serverAt = etagTime(answer.etag);
        if (serverAt === undefined) {
          const cause = new Error(`the ETag ${String(answer.etag)} carries none`);
          throw new StoreError(`could not learn the storage service's time from the ${this.rowKey} budget ledger`, cause);
        }
        const answeredAt = wall();
        this.clock.observe(serverAt, sentAt, answeredAt, this.elapsed());
        // Slow to follow a storage that slows down, quick to believe it sped up: slots start no earlier than one write from now.
        this.writeRtt = Math.round(Math.max(answeredAt - sentAt, 0.8 * this.writeRtt));
      } catch (error) {
        if (error instanceof StoreError) throw error;
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw new StoreError(`could not write the ${this.rowKey} budget ledger`, error);
        this.conflicts += 1;
        // Jittered, growing: racing claimants spread out instead of colliding again in step. Short: while it sleeps, slots pass unclaimed.
        await this.sleep(this.random() * Math.min(50, 2 ** attempt));
        continue;
      }
      if (!step || !time || step.granted === 0) continue;
      this.granted += step.granted;
      // Known to within u of the service's clock: beyond the tolerance ε, send no earlier than slot + (u − ε) and no later than
      // slot + spend − (u − ε), so the send lands within [slot − ε, slot + spend + ε] of the service's clock either way.
      const excess = Math.max(0, time.uncertaintyMs - this.spec.clockSkewMs);
      return {
        granted: step.granted,
        slots: slotsOf(step, this.params).map((slot) => Math.ceil(slot - time.offsetMs + excess)),
        spendWithinMs: Math.floor(this.spec.spendWithinMs - 2 * excess),
      };
    }
    return { granted: 0, retryAt: this.spread(wall()) };
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
