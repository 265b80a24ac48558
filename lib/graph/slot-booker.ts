/**
 * How the pacer draws on the app budget: a batch that needs `n` report cells books exactly `n`
 * slots on the ledger, sleeps until the last of them and sends. Nothing is held for later: every
 * slot granted has a batch waiting to send at it, so none lapses unless the event loop stalls.
 *
 * One ledger row is shared by every process, and each claim is a read and an ETag-conditioned
 * write, so claims are what contend. A process therefore has at most one claim in flight: the
 * batches that ask while it travels wait and go together in the next one (a whole prefix of them,
 * up to the ledger's `maxClaim` cells, lib/budget/gcra.ts `gcraClaimBatches`), each getting its own
 * adjacent slots. The ledger itself re-reads and retries a lost race with jitter, and spreads
 * refused claimants over half an interval (lib/store/monitor/budget.ts).
 */
import type { AppBudget, AppClaim } from "../budget/app-budget.js";
import { BudgetTimeoutError } from "./app-budget.js";
import type { PacerStats } from "./pacer-options.js";

/** When to send a booked batch: from `at` (its last slot) until `until` (its first slot's last moment). */
type Booking = { readonly at: number; readonly until: number };

interface BookerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

interface BookerOptions {
  readonly onClaimError?: (error: unknown) => void;
  /** First wait after a failed claim, doubled per failure up to 8×. */
  readonly claimRetryMs?: number;
}

type Need = {
  readonly cells: number;
  readonly started: number;
  readonly deadline: number;
  readonly resolve: (b: Booking) => void;
  readonly reject: (e: unknown) => void;
};

export class SlotBooker {
  private pending: Need[] = [];
  private pumping = false;
  /** The latest time the pump slept until: a clock that does not move cannot keep it claiming forever. */
  private sleptUntil = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private claims = 0;
  private refusedClaims = 0;
  /** Slots granted that no batch could send at (a budget that granted part of a batch). */
  private unused = 0;
  /** Bookings slept past (a stalled event loop), booked again rather than sent late. */
  private late = 0;

  constructor(
    private readonly app: AppBudget,
    private readonly clock: BookerClock,
    private readonly options: BookerOptions = {},
  ) {}

  stats(): Pick<PacerStats, "lapsedCells" | "claims" | "refusedClaims" | "appWaiting"> {
    const appWaiting = this.pending.reduce((sum, n) => sum + n.cells, 0);
    return { lapsedCells: this.late + this.unused, claims: this.claims, refusedClaims: this.refusedClaims, appWaiting };
  }

  /**
   * Resolves when the slots booked for a batch of `reports` report requests have come: the caller sends then. A booking
   * slept past is not sent late (that could break the ledger's bound): it books again.
   */
  async take(reports: number, started: number, deadline: number, budget: string): Promise<void> {
    for (;;) {
      const booking = await this.book(reports, started, deadline, budget);
      const wait = booking.at - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      if (Math.max(this.clock.now(), booking.at) <= booking.until) return;
      this.late += 1;
    }
  }

  /** Books adjacent slots for `reports` requests; rejects with BudgetTimeoutError when none can come by `deadline`. */
  private book(reports: number, started: number, deadline: number, budget: string): Promise<Booking> {
    return new Promise<Booking>((resolve, reject) => {
      // A batch carrying more report requests than can be live at once (or than one claim grants) spends that many, as
      // SlidingWindow lets it go alone: asking for more would never be granted.
      const most = Math.min(this.app.maxBatch ?? this.app.maxClaim, this.app.maxClaim);
      this.pending.push({ cells: Math.min(reports, most), started, deadline, resolve, reject: (e) => reject(e) });
      if (!this.pumping) void this.pump(budget);
    });
  }

  private now(): number {
    return Math.max(this.clock.now(), this.sleptUntil);
  }

  private async sleepUntil(at: number): Promise<void> {
    await this.clock.sleep(Math.max(0, at - this.clock.now()));
    this.sleptUntil = Math.max(this.sleptUntil, at);
  }

  /** Fails the needs that cannot be served by `at`, the time the next claim could grant. */
  private expire(at: number, budget: string): void {
    const late = this.pending.filter((n) => at > n.deadline);
    this.pending = this.pending.filter((n) => at <= n.deadline);
    for (const n of late) n.reject(new BudgetTimeoutError(budget, at - n.started));
  }

  private async pump(budget: string): Promise<void> {
    this.pumping = true;
    try {
      while (this.pending.length > 0) {
        this.expire(this.now(), budget);
        const batch = this.pending.slice(0, this.prefix());
        if (batch.length === 0) break;
        const retry = await this.claim(batch);
        if (retry === undefined) continue;
        // The ledger's "ask again at" is known to come too late for some: they fail now. A storage failure's back-off is not
        // (the storage may be back sooner): those wait it out and fail only once past their deadline.
        if (retry.known) this.expire(retry.at, budget);
        if (this.pending.length > 0) await this.sleepUntil(retry.at);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** How many of the pending needs (a whole prefix, at least one) the next claim asks for. */
  private prefix(): number {
    let sum = 0;
    let count = 0;
    for (const n of this.pending) {
      if (count > 0 && sum + n.cells > this.app.maxClaim) break;
      sum += n.cells;
      count += 1;
    }
    return count;
  }

  /**
   * One ledger claim for `batch`: hands the granted slots out in order, whole batches only. Returns when
   * to claim again if nothing was granted (the ledger's "ask again at", or a failed claim's back-off).
   * A storage failure never lets a batch go without slots: every other process still counts on the ledger.
   */
  private async claim(batch: readonly Need[]): Promise<{ at: number; known: boolean } | undefined> {
    const sizes = batch.map((n) => n.cells);
    const now = this.now();
    this.claims += 1;
    let answer: AppClaim;
    try {
      answer = await this.app.claim(sizes, now);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.options.onClaimError?.(error);
      return { at: now + (this.options.claimRetryMs ?? 500) * 2 ** Math.min(3, this.failures - 1), known: false };
    }
    const slots = answer.granted > 0 ? (answer.slots ?? []) : [];
    if (slots.length === 0) {
      this.refusedClaims += 1;
      return { at: answer.retryAt ?? now + 50, known: true };
    }
    let next = 0;
    for (const need of batch) {
      if (next + need.cells > slots.length) break;
      const mine = slots.slice(next, next + need.cells);
      next += need.cells;
      this.pending = this.pending.filter((n) => n !== need);
      need.resolve({ at: mine[mine.length - 1]!, until: mine[0]! + (answer.spendWithinMs ?? 0) });
    }
    this.unused += slots.length - next;
    return undefined;
  }
}
