import type { InvocationContext } from "@azure/functions";
import type { DeliveryEvent } from "../../lib/alerts/deliver.js";

/** Delivery events into the invocation's log (they never carry a secret). */
export function deliveryLogger(context: InvocationContext): (event: DeliveryEvent) => void {
  return (e) => {
    if (e.kind === "sent") context.log(`alert ${e.id} of tenant ${e.tenantId} sent via ${e.channel}: ${e.detail}`);
    else if (e.kind === "failed")
      context.warn(`alert ${e.id} of tenant ${e.tenantId} failed via ${e.channel}${e.retryable ? " (will retry)" : ""}: ${e.error}`);
    else if (e.kind === "dead-lettered") context.error(`alert ${e.id} of tenant ${e.tenantId} dead-lettered: ${e.error}`);
    else context.error(`outbox row ${e.id} of tenant ${e.tenantId} is invalid: ${e.error}`);
  };
}
