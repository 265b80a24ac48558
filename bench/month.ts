/** The month the bench prices: the default schedule, the deployed instance size, the timers beside the runs, the daily digest. */
import { DEFAULT_DRIFT_SCHEDULE, schedulePeriodMs } from "../lib/config/schedule.js";
import { SWEEP_SCHEDULE } from "../functions/handlers/deliver-alerts-sweep.js";
import { HOURS_PER_MONTH, monthCost, type MonthCost, type RunCounters } from "./cost.js";

/** function-app.bicep's instanceMemoryMB. */
const INSTANCE_MEMORY_MB = 2048;
const HOUR_MS = 3_600_000;

export function costOfMonth(run: RunCounters): MonthCost & { readonly assumptions: readonly string[] } {
  const sweeps = (HOURS_PER_MONTH * HOUR_MS) / schedulePeriodMs(SWEEP_SCHEDULE);
  const digests = HOURS_PER_MONTH / 24;
  const cost = monthCost({
    run,
    periodMs: schedulePeriodMs(DEFAULT_DRIFT_SCHEDULE),
    instanceMemoryMb: INSTANCE_MEMORY_MB,
    fixed: { executions: sweeps + digests, tableTransactions: 0, queueClass2: 0, emails: digests },
    perTenants: 1000,
    freeGrant: false,
  });
  return {
    ...cost,
    assumptions: [
      `DRIFT_SCHEDULE ${DEFAULT_DRIFT_SCHEDULE}: ${Math.round(cost.runsPerMonth)} runs in ${HOURS_PER_MONTH} hours`,
      `one ${INSTANCE_MEMORY_MB} MB instance executing for the pass's wall time (more instances are billed each while executing)`,
      "queue: put, get and delete per check (the deployed shape), not counted in this mode",
      "emails: the daily digest only; each alert email adds $0.00025",
      "no free grant; storage capacity, Log Analytics and Application Insights ingestion not included",
    ],
  };
}
