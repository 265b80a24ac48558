/**
 * Queue trigger (tenant-checks-poison): a check message the host gave up on without checkTenant
 * having recorded anything (every attempt timed out or the worker died). Recorded as unknown, so
 * the failure shows and counts towards "monitoring degraded" instead of vanishing.
 */
import type { InvocationContext } from "@azure/functions";
import { getApp } from "../app/app.js";
import { processPoisonedMessage, type CheckMessageResult } from "../app/check.js";
import { QUEUE_HOST_SETTINGS } from "../../lib/config/host.js";
import { parseMessage, tenantCheckMessageSchema } from "../queue/messages.js";

export async function checkTenantPoison(payload: unknown, context: InvocationContext): Promise<CheckMessageResult | undefined> {
  const parsed = parseMessage(tenantCheckMessageSchema, payload);
  if (!parsed.ok) {
    context.error(`checkTenantPoison: dropped a malformed message: ${parsed.error}`);
    return undefined;
  }
  const result = await processPoisonedMessage(getApp(), parsed.message, QUEUE_HOST_SETTINGS.maxDequeueCount);
  if (result.kind === "poisoned") context.error(`checkTenantPoison: tenant ${result.tenantId} recorded as unknown: ${result.reason}`);
  else if (result.kind === "skipped") context.log(`checkTenantPoison: tenant ${result.tenantId} skipped: ${result.why}`);
  return result;
}
