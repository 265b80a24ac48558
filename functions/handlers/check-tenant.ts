/**
 * Queue trigger (tenant-checks): one tenant's check. A malformed message is logged and dropped
 * (retrying cannot fix it); a check that throws is thrown again for the host to retry, and
 * recorded as unknown on the last attempt host.json allows (functions/app/check.ts).
 */
import type { InvocationContext } from "@azure/functions";
import { getApp } from "../app/app.js";
import { processCheckMessage, type CheckMessageResult } from "../app/check.js";
import { QUEUE_HOST_SETTINGS } from "../../lib/config/host.js";
import { parseMessage, tenantCheckMessageSchema } from "../queue/messages.js";
import { errorText } from "../../lib/errors/text.js";
import { dequeueCountOf } from "./trigger.js";

export async function checkTenant(payload: unknown, context: InvocationContext): Promise<CheckMessageResult | undefined> {
  const parsed = parseMessage(tenantCheckMessageSchema, payload);
  if (!parsed.ok) {
    context.error(`checkTenant: dropped a malformed message: ${parsed.error}`);
    return undefined;
  }
  const dequeueCount = dequeueCountOf(context);
  const { tenantId } = parsed.message;
  const app = getApp();
  // Every line below takes the tenant's 429 count once, so the next check starts from 0.
  const graph429s = (): string => {
    const n = app.graphThrottled.take(tenantId);
    return n > 0 ? `; graph 429s ${n}` : "";
  };
  let result: CheckMessageResult;
  try {
    result = await processCheckMessage(app, parsed.message, { dequeueCount, maxDequeueCount: QUEUE_HOST_SETTINGS.maxDequeueCount });
  } catch (error) {
    const of = `${dequeueCount} of ${QUEUE_HOST_SETTINGS.maxDequeueCount}`;
    context.warn(`checkTenant: tenant ${tenantId} failed (attempt ${of}), retried by the host: ${errorText(error)}${graph429s()}`);
    throw error;
  }
  if (result.kind === "checked") {
    const transitions = result.transitions.length ? `; ${result.transitions.join(", ")}` : "";
    const ids = result.alerts.map((a) => a.id).join(", ");
    const alert = ids ? `; alert ${ids}${result.alertQueued ? " queued" : " left to the sweep"}` : "";
    context.log(`checkTenant: tenant ${tenantId} is ${result.status}${transitions}${alert}${graph429s()}`);
  } else if (result.kind === "late") {
    // The transitions (a "not-checked" one, when due) as the checked line lists them: docs/monitoring.md's rule reads them.
    const transitions = result.transitions.length ? `; ${result.transitions.join(", ")}` : "";
    const alert = result.alerts.length ? `; alert ${result.alerts.map((a) => a.id).join(", ")}` : "";
    context.warn(`checkTenant: tenant ${tenantId} is late (carried to the next run, not unknown): ${result.reason}${transitions}${alert}${graph429s()}`);
  } else if (result.kind === "poisoned") {
    context.error(`checkTenant: tenant ${tenantId} recorded as unknown: ${result.reason}${graph429s()}`);
  } else {
    context.log(`checkTenant: tenant ${tenantId} skipped: ${result.why}${graph429s()}`);
  }
  return result;
}
