/**
 * Timer (every 5 minutes): the global summary (ALERT_TO and the webhook, lib/alerts/rollup/), then every outbox row
 * due for (re)delivery — backed off, held by the mail quota, or whose queue message was lost.
 */
import type { InvocationContext, Timer } from "@azure/functions";
import { deliverDue, type DeliverySummary } from "../../lib/alerts/deliver.js";
import { getApp } from "../app/app.js";
import { rollupText } from "../../lib/alerts/rollup/text.js";
import { deliveryLogger } from "./delivery-log.js";

export const SWEEP_SCHEDULE = "0 */5 * * * *";

export async function deliverAlertsSweep(_timer: Timer, context: InvocationContext): Promise<DeliverySummary> {
  const summary = await deliverDue(getApp().deliveryDeps(deliveryLogger(context)));
  context.log(
    `deliverAlertsSweep: sent ${summary.sent}, retrying ${summary.retrying}, dead-lettered ${summary.deadLettered}, skipped ${summary.skipped}, ` +
      `errors ${summary.errors}${summary.stoppedEarly ? `; stopped early: ${summary.stoppedEarly}` : ""}` +
      (summary.rollup ? `; global list and webhook: ${rollupText(summary.rollup)}` : ""),
  );
  return summary;
}
