/** The budgets the Graph pacer keeps (pacing.ts), and what its callers see of it. */
/** The metered budgets a request can draw on. */
export type GraphBudget = "ca" | "reports";

export type BudgetDemand = Partial<Record<GraphBudget, number>>;

export interface WindowLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface PacingLimits {
  readonly caPerTenant: WindowLimit;
  readonly reportsPerTenant: WindowLimit;
  readonly reportsPerApp: WindowLimit;
  /** Added to every window: clock granularity and timer lateness, on top of the answer-based count. */
  readonly marginMs: number;
}

/** learn.microsoft.com/graph/throttling-limits ("Identity protection and conditional access", "Identity and access reports"). */
export const GRAPH_PACING_LIMITS: PacingLimits = {
  caPerTenant: { limit: 1, windowMs: 1_000 },
  reportsPerTenant: { limit: 5, windowMs: 10_000 },
  reportsPerApp: { limit: 122, windowMs: 10_000 },
  marginMs: 50,
};

export interface PacingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacingClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Slots taken for one request (a batch); release it when the answer is in, whatever it was. */
export type PacingPermit = { release(): void };

/** A pacer bound to one tenant: what the batch runner sees. */
export interface TenantPacer {
  acquire(demand: BudgetDemand): Promise<PacingPermit>;
}
