/**
 * Queue trigger (alerts): deliver the outbox row a check just wrote. Delivery keeps its own
 * bookkeeping on the row (claims, retries with backoff, dead letters), so a row that cannot be
 * sent now is left due for the sweep rather than thrown back to the queue. While the sender is
 * throttled (the shared `~delivery` marker) it sends nothing and never sleeps: up to 24 of these
 * run at once per instance, and the sweep paces the backlog (functions/README.md).
 */
import type { InvocationContext } from "@azure/functions";
import { deliverAlert, type RowOutcome } from "../../lib/alerts/deliver.js";
import { getApp } from "../app/app.js";
import { monitorPartition } from "../../lib/model/account.js";
import { alertMessageSchema, parseMessage } from "../queue/messages.js";
import { deliveryLogger } from "./delivery-log.js";

export async function deliverAlerts(payload: unknown, context: InvocationContext): Promise<RowOutcome | undefined> {
  const parsed = parseMessage(alertMessageSchema, payload);
  if (!parsed.ok) {
    context.error(`deliverAlerts: dropped a malformed message: ${parsed.error}`);
    return undefined;
  }
  const { tenantId, accountKey, alertId } = parsed.message;
  const outcome = await deliverAlert(getApp().deliveryDeps(deliveryLogger(context)), monitorPartition(tenantId, accountKey ?? ""), alertId);
  context.log(`deliverAlerts: alert ${outcome.id} of tenant ${outcome.tenantId}: ${outcome.status}`);
  return outcome;
}
