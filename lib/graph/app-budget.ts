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
