/** Timer (DRIFT_SCHEDULE): one tenant-checks message per enabled tenant not already in flight. */
import type { InvocationContext, Timer } from "@azure/functions";
import { getApp } from "../app/app.js";
import { enqueueScheduledChecks, type ScheduleSummary } from "../app/schedule.js";

export async function scheduleChecks(timer: Timer, context: InvocationContext): Promise<ScheduleSummary> {
  const summary = await enqueueScheduledChecks(getApp());
  context.log(
    `scheduleChecks: queued ${summary.enqueued.length}, in flight ${summary.inFlight.length}, disabled ${summary.disabled}, ` +
      `failed ${summary.failed.length}${timer.isPastDue ? " (past due)" : ""}`,
  );
  for (const f of summary.failed) context.error(`scheduleChecks: tenant ${f.tenantId} not queued: ${f.error}`);
  // Every other tenant is queued already; failing the invocation makes the misses visible.
  if (summary.failed.length > 0) throw new Error(`${summary.failed.length} tenant(s) could not be queued; they are retried on the next schedule`);
  return summary;
}
