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
 * slot of it (lib/budget/app-budget.ts, docs/scale.md). Once its tenant's windows are free, a
 * batch books exactly the slots it carries and sends at the last of them (slot-booker.ts).
 * The per-tenant budgets stay per process: one tenant is checked by one process at a time (the check lease).
 */
import type { AppBudget } from "../budget/app-budget.js";
import { BudgetTimeoutError } from "./app-budget.js";
import type { PacerOptions, PacerStats } from "./pacer-options.js";
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
  /** Books the app budget's slots (absent without an app budget). */
  private readonly booker: SlotBooker | undefined;

  constructor(
    readonly limits: PacingLimits = GRAPH_PACING_LIMITS,
    private readonly clock: PacingClock = realClock,
    private readonly options: PacerOptions = {},
  ) {
    this.appReports = this.window(limits.reportsPerApp);
    this.booker = options.appBudget ? new SlotBooker(options.appBudget, clock, options) : undefined;
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
    const appCounts = this.booker?.stats() ?? { lapsedCells: 0, claims: 0, refusedClaims: 0 };
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
    for (;;) {
      // Once slept until t, it is at least t: a clock that does not move (a test's, a stuck one) cannot keep this loop asking forever.
      const now = Math.max(this.clock.now(), waitedUntil);
      if (now > deadline) throw new BudgetTimeoutError(budget, now - started);
      // Looked up on every pass: a sweep while this acquire slept may have dropped the entry.
      const w = this.windowsOf(tenantId);
      const parts: [SlidingWindow, number][] = [];
      if (ca > 0) parts.push([w.ca, ca]);
      if (reports > 0) parts.push([w.reports, reports], [this.appReports, reports]);
      const at = Math.max(...parts.map(([win, n]) => win.readyAt(now, n)));
      if (at <= now) {
        if (this.booker && reports > 0) return await this.sendAtSlot(this.booker, parts, reports, started, deadline, budget);
        for (const [win, n] of parts) win.start(n);
        if (waited) this.waited(now - started);
        return this.permit(parts);
      }
      waited = true;
      if (Number.isFinite(at)) {
        // Known to come too late: fail now rather than sleep through the deadline first.
        if (at > deadline) throw new BudgetTimeoutError(budget, at - started);
        await this.clock.sleep(at - now);
        waitedUntil = Math.max(waitedUntil, at);
      } else {
        // Only an answer still on its way (this tenant's other batch, often) frees a slot: wait for
        // it. Every request has its own timeout, so the wait is bounded; past the deadline, the
        // loop's first line then fails it.
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
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

  /** Its tenant's windows are free now, so it takes them until its batch's slots come (slot-booker.ts), or gives them back. */
  private async sendAtSlot(booker: SlotBooker, parts: [SlidingWindow, number][], reports: number, started: number, deadline: number, budget: string) {
    for (const [win, n] of parts) win.start(n);
    try {
      await booker.take(reports, started, deadline, budget);
    } catch (error) {
      for (const [win, n] of parts) win.cancel(n);
      this.wake();
      throw error;
    }
    const waitedMs = this.clock.now() - started;
    if (waitedMs > 0) this.waited(waitedMs);
    return this.permit(parts);
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
