/**
 * One pass of the in-process runner over every registered tenant, as the Functions host or
 * `drift-monitor run` would: the production `runTenantCheck`, a few tenants at a time (p-limit),
 * one failure never stopping another. Keeps a few numbers per tenant, not the reports, so the
 * benchmark's own memory does not grow with the estate either.
 */
import pLimit from "p-limit";
import type { RegisteredTenant } from "../lib/model/tenant.js";
import { runTenantCheck, type RunnerDeps } from "../lib/runner/index.js";
import { errorMessage } from "../lib/errors/text.js";

interface TenantRun {
  readonly tenantId: string;
  readonly roundTrips: number;
  readonly status: string;
  readonly error?: string;
}

export async function runPaced(tenants: readonly RegisteredTenant[], deps: RunnerDeps, concurrency: number): Promise<TenantRun[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    tenants.map((tenant) =>
      limit(async (): Promise<TenantRun> => {
        try {
          const outcome = await runTenantCheck(tenant, deps);
          return { tenantId: tenant.tenantId, roundTrips: outcome.roundTrips, status: outcome.report.status };
        } catch (error) {
          return { tenantId: tenant.tenantId, roundTrips: 0, status: "error", error: errorMessage(error) };
        }
      }),
    ),
  );
}
