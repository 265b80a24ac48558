/**
 * Paces Graph requests under Microsoft's documented budgets so that a run of thousands of
 * tenants waits its turn instead of collecting 429s (which, for Conditional Access, come without
 * Retry-After and eat into a budget shared with every other app in the tenant):
 *
 * - Conditional Access policies: 1 request per second per tenant, across all apps;
 * - identity and access reports (sign-ins, the registration report): 5 requests per 10 s per
 *   tenant, and 122 per 10 s for the app across all tenants.
 *
 * Every sub-request of a `$batch` counts on its own, so a batch asks for as many slots as it
 * carries metered requests. One pacer is shared by every check in a process (`sharedGraphPacer`).
 * No timer runs in the background: waits are sleeps a caller awaits, and per-tenant windows are
 * dropped once idle, so memory follows the tenants being checked right now, not the estate.
 *
 * The app-wide reports budget is shared by every process of the app (Functions instances, CLI
 * runs): with an `appBudget` (the Table ledger in production), a report request also needs a
 * slot of it (lib/budget/app-budget.ts, docs/scale.md), in one of two designs (`PacerOptions.design`):
 * "exact" books exactly the slots a batch needs when it is ready to go (slot-booker.ts); "pool"
 * claims cells a few at a time and hands them to the waiters in arrival order (cell-queue.ts).
 * The per-tenant budgets stay per process: one tenant is checked by one process at a time (the check lease).
 */
import type { AppBudget } from "../budget/app-budget.js";
import { BudgetTimeoutError, ClaimedCells } from "./app-budget.js";
import { CellQueue, type CellTicket } from "./cell-queue.js";
import { DEFAULT_PACER_DESIGN, type PacerOptions, type PacerStats } from "./pacer-options.js";
import { SlidingWindow } from "./pacing-window.js";
import { SlotBooker } from "./slot-booker.js";
import {
  GRAPH_PACING_LIMITS,
  realClock,
  type BudgetDemand,
  type PacingClock,
  type PacingLimits,
  type PacingPermit,
  type TenantPacer,
  type WindowLimit,
} from "./pacing-limits.js";

export { GRAPH_PACING_LIMITS, type BudgetDemand, type GraphBudget, type PacingClock, type PacingLimits, type TenantPacer } from "./pacing-limits.js";

type TenantWindows = { readonly ca: SlidingWindow; readonly reports: SlidingWindow };

/** Sweep idle tenant windows every this many acquires: amortised O(1), no timer. */
const SWEEP_EVERY = 256;

const NO_PERMIT: PacingPermit = { release: () => {} };

export class GraphPacer {
  private readonly tenants = new Map<string, TenantWindows>();
  private readonly appReports: SlidingWindow;
  private waiters: (() => void)[] = []; // acquires waiting for an answer to free a slot (no time is known yet)
  private acquires = 0;
  private waits = 0;
  private waitedMs = 0;
  /** Cells claimed from the app budget, not spent yet; one claim in flight at a time, sized by the demand waiting on it. */
  private readonly cells = new ClaimedCells();
  private claiming: Promise<number | undefined> | undefined;
  private claimFailures = 0;
  private claims = 0;
  /** The acquires wanting cells, in arrival order (cell-queue.ts); what they want sizes a claim. */
  private readonly queue = new CellQueue();
  /** A claim that granted nothing said when to ask again: no claim before then. */
  private claimNotBefore = Number.NEGATIVE_INFINITY;
  private refusedClaims = 0;
  /** The exact design's ledger claims (absent in the pool design or without an app budget). */
  private readonly booker: SlotBooker | undefined;

  constructor(
    readonly limits: PacingLimits = GRAPH_PACING_LIMITS,
    private readonly clock: PacingClock = realClock,
    private readonly options: PacerOptions = {},
  ) {
    this.appReports = this.window(limits.reportsPerApp);
    const app = options.appBudget;
    this.booker = app && (options.design ?? DEFAULT_PACER_DESIGN) === "exact" ? new SlotBooker(app, clock, options) : undefined;
  }

  private window(l: WindowLimit): SlidingWindow {
    return new SlidingWindow(l.limit, l.windowMs + this.limits.marginMs);
  }

  forTenant(tenantId: string): TenantPacer {
    const key = tenantId.toLowerCase();
    return { acquire: (demand) => this.acquire(key, demand) };
  }

  stats(): PacerStats {
    const app = this.options.appBudget?.stats?.();
    const now = this.clock.now();
    const pool = { lapsedCells: this.cells.lapsed, claims: this.claims, refusedClaims: this.refusedClaims, appWaiting: this.queue.wanted() };
    const appCounts = this.booker?.stats() ?? { ...pool, heldCells: this.cells.held(now) };
    return { waits: this.waits, waitedMs: this.waitedMs, trackedTenants: this.tenants.size, ...appCounts, ...(app ? { appBudget: app } : {}) };
  }

  private windowsOf(tenantId: string): TenantWindows {
    let w = this.tenants.get(tenantId);
    if (!w) {
      w = { ca: this.window(this.limits.caPerTenant), reports: this.window(this.limits.reportsPerTenant) };
      this.tenants.set(tenantId, w);
    }
    return w;
  }

  private sweep(now: number): void {
    for (const [id, w] of this.tenants) if (w.ca.isIdle(now) && w.reports.isIdle(now)) this.tenants.delete(id);
  }

  async acquire(tenantId: string, demand: BudgetDemand): Promise<PacingPermit> {
    const ca = demand.ca ?? 0;
    const reports = demand.reports ?? 0;
    if (ca <= 0 && reports <= 0) return NO_PERMIT;
    this.acquires += 1;
    if (this.acquires % SWEEP_EVERY === 0) this.sweep(this.clock.now());

    const started = this.clock.now();
    let waited = false;
    // The latest time this acquire slept until.
    let waitedUntil = started;
    const deadline = this.options.maxWaitMs === undefined ? Number.POSITIVE_INFINITY : started + this.options.maxWaitMs;
    const budget = reports > 0 ? "Graph reports" : "Graph Conditional Access";
    let ticket: CellTicket | undefined; // its place in `queue` once it wants cells
    try {
      for (;;) {
        // Once slept until t, it is at least t: a clock that does not move (a test's, a stuck one) cannot keep this loop asking forever.
        const now = Math.max(this.clock.now(), waitedUntil);
        if (now > deadline) throw new BudgetTimeoutError(budget, now - started);
        // Looked up on every pass: a sweep while this acquire slept may have dropped the entry.
        const w = this.windowsOf(tenantId);
        const parts: [SlidingWindow, number][] = [];
        if (ca > 0) parts.push([w.ca, ca]);
        if (reports > 0) parts.push([w.reports, reports], [this.appReports, reports]);
        let at = Math.max(...parts.map(([win, n]) => win.readyAt(now, n)));
        // Asleep on its tenant's windows, it sends nothing: the cells go to the ones behind meanwhile (cell-queue.ts).
        if (ticket && at > now) this.queue.park(ticket, true);
        if (at <= now) {
          const app = this.options.appBudget;
          // A batch carrying more report requests than can be live at once spends that many (as SlidingWindow lets it go alone).
          const cells = app ? Math.min(reports, app.maxBatch ?? app.maxClaim) : 0;
          if (this.booker && cells > 0) return await this.sendAtSlot(this.booker, parts, cells, started, deadline, budget);
          if (cells > 0) ticket ??= this.queue.join(cells);
          const ahead = ticket ? this.queue.ahead(ticket) : [];
          const choice = app && cells > 0 ? this.cells.choose(cells, now, ahead) : undefined;
          if (app && cells > 0 && !this.cells.spend(choice, now)) {
            waited = true;
            const slot = choice?.at;
            // Claim while fewer cells are held than wanted, before the last runs out: the row's next slots go to whoever asks
            // first, and a slot nobody holds when its time comes is lost to the app.
            const claim = this.cells.held(now) < this.queue.wanted() && now >= this.claimNotBefore ? this.claimCells(app, cells, now) : undefined;
            if (ticket) this.queue.park(ticket, slot === undefined); // only one asleep until its cells' slot counts (cell-queue.ts)
            if (slot !== undefined) at = slot;
            else if (claim) {
              const retryAt = await claim;
              if (retryAt === undefined) continue;
              // Known to come too late: fail now rather than ask again until the deadline.
              if (retryAt > deadline) throw new BudgetTimeoutError(budget, retryAt - started);
              at = retryAt;
            } else at = Math.max(now + 1, this.claimNotBefore);
          } else {
            this.queue.leave(ticket, true);
            ticket = undefined;
            for (const [win, n] of parts) win.start(n);
            if (waited) this.waited(now - started);
            return this.permit(parts);
          }
        }
        waited = true;
        // Known to come too late: fail now rather than sleep through the deadline first.
        if (at > deadline) throw new BudgetTimeoutError(budget, at - started);
        if (Number.isFinite(at)) {
          const sleep = this.clock.sleep(at - now); // a waiter for cells also wakes when cells another had chosen are free
          if (await (ticket ? this.queue.sleep(sleep) : sleep.then(() => true))) waitedUntil = Math.max(waitedUntil, at);
        } else await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      this.queue.leave(ticket, false);
    }
  }

  private waited(ms: number): void {
    this.waits += 1;
    this.waitedMs += ms;
  }

  private permit(parts: readonly [SlidingWindow, number][]): PacingPermit {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const end = this.clock.now();
        for (const [win, n] of parts) win.finish(end, n);
        this.wake();
      },
    };
  }

  /** The exact design: its tenant's windows are free now, so it takes them until its batch's slots come (slot-booker.ts), or gives them back. */
  private async sendAtSlot(booker: SlotBooker, parts: [SlidingWindow, number][], cells: number, started: number, deadline: number, budget: string) {
    for (const [win, n] of parts) win.start(n);
    try {
      await booker.take(cells, started, deadline, budget);
    } catch (error) {
      for (const [win, n] of parts) win.cancel(n);
      this.wake();
      throw error;
    }
    const waitedMs = this.clock.now() - started;
    if (waitedMs > 0) this.waited(waitedMs);
    return this.permit(parts);
  }

  /**
   * Waits for the claim in flight (or starts one): afterwards the caller looks at its windows and
   * the cells again. Returns the time the claim said to ask again at when it granted nothing (the caller sleeps).
   */
  private claimCells(app: AppBudget, n: number, now: number): Promise<number | undefined> {
    this.claiming ??= this.claimOnce(app, n, now).finally(() => {
      this.claiming = undefined;
    });
    return this.claiming;
  }

  /**
   * One claim. A storage failure is not a reason to send without a grant (every other process
   * still counts on the ledger, so failing open could break the app's budget for all of them),
   * nor a reason to fail the check: it is told to `onClaimError`, waited out and claimed again;
   * `maxWaitMs` bounds how long a check waits in all (BudgetTimeoutError).
   */
  private async claimOnce(app: AppBudget, need: number, now: number): Promise<number | undefined> {
    // All of the starter's batch at once (cells already here may lapse before the rest come), and one for every acquire
    // waiting, whatever is held: those are spent while the claim travels, and a claim sized by the shortfall alone arrives
    // after it is gone. No fewer: a claim finding room for one cell at the horizon's edge would cost a round trip per cell.
    const n = Math.max(need, Math.min(app.maxClaim, this.queue.wanted()));
    let claim;
    this.claims += 1;
    try {
      claim = await app.claim(n, now, n);
      this.claimFailures = 0;
    } catch (error) {
      this.claimFailures += 1;
      this.options.onClaimError?.(error);
      const base = this.options.claimRetryMs ?? 500;
      await this.clock.sleep(base * 2 ** Math.min(3, this.claimFailures - 1));
      return undefined;
    }
    if (claim.granted > 0) {
      this.cells.add(claim);
      this.claimNotBefore = Number.NEGATIVE_INFINITY;
      return undefined;
    }
    this.refusedClaims += 1;
    this.claimNotBefore = claim.retryAt ?? now + 50;
    return this.claimNotBefore;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

let shared: GraphPacer | undefined;
const sharedWith = new WeakMap<AppBudget, GraphPacer>();

/**
 * The process-wide pacer: every check in this process shares the tenants' and the app's budgets.
 * With an app budget (the store's ledger), the one pacer drawing on it; the options of the first
 * call for a given budget are the ones kept.
 */
export function sharedGraphPacer(options: PacerOptions = {}): GraphPacer {
  const app = options.appBudget;
  if (!app) {
    shared ??= new GraphPacer();
    return shared;
  }
  let pacer = sharedWith.get(app);
  if (!pacer) {
    pacer = new GraphPacer(GRAPH_PACING_LIMITS, realClock, options);
    sharedWith.set(app, pacer);
  }
  return pacer;
}
