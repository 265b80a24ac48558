/**
 * Timer (every 5 minutes): today's digest if its timer could not send it (lib/alerts/digest/owed.ts), then the global summary
 * (ALERT_TO and the webhook, lib/alerts/rollup/), then every outbox row due for (re)delivery — backed off, held by the mail
 * quota, or whose queue message was lost.
 */
import type { InvocationContext, Timer } from "@azure/functions";
import { deliverDue, SWEEP_BUDGET_MS, type DeliverySummary } from "../../lib/alerts/deliver.js";
import { sendOwedDigest } from "../../lib/alerts/digest/owed.js";
import { emailLimits, paceMs } from "../../lib/alerts/quota.js";
import { errorMessage } from "../../lib/errors/text.js";
import { getApp } from "../app/app.js";
import { rollupText } from "../../lib/alerts/rollup/text.js";
import { deliveryLogger } from "./delivery-log.js";

export const SWEEP_SCHEDULE = "0 */5 * * * *";

/** The owed digest waits up to one quota interval (a managed domain's is ~6.7 min), so a cell frees for it within the wait. */
const MAX_DIGEST_WAIT_MS = 7 * 60_000;

async function owedDigest(context: InvocationContext): Promise<void> {
  const app = getApp();
  try {
    const wait = Math.min(MAX_DIGEST_WAIT_MS, paceMs(emailLimits("acs", app.alertSettings().emailQuota)) + 10_000);
    const result = await sendOwedDigest(app.digestDeps(), wait);
    for (const c of result?.channels ?? []) {
      if (!c.alreadySent) context.log(`deliverAlertsSweep: owed digest ${result!.id} via ${c.name}: ${c.outcome.ok ? c.outcome.detail : c.outcome.error}`);
    }
  } catch (error) {
    context.error(`deliverAlertsSweep: the owed digest: ${errorMessage(error)}`);
  }
}

export async function deliverAlertsSweep(_timer: Timer, context: InvocationContext): Promise<DeliverySummary> {
  const now = () => getApp().now().getTime();
  const started = now();
  await owedDigest(context);
  const deps = getApp().deliveryDeps(deliveryLogger(context));
  // The rows get what the digest left of the sweep's share of the run (the function times out at 10 minutes).
  const summary = await deliverDue({ ...deps, sweepBudgetMs: Math.max(60_000, (deps.sweepBudgetMs ?? SWEEP_BUDGET_MS) - (now() - started)) });
  context.log(
    `deliverAlertsSweep: sent ${summary.sent}, retrying ${summary.retrying}, dead-lettered ${summary.deadLettered}, skipped ${summary.skipped}, ` +
      `errors ${summary.errors}${summary.stoppedEarly ? `; stopped early: ${summary.stoppedEarly}` : ""}` +
      (summary.rollup ? `; global list and webhook: ${rollupText(summary.rollup)}` : ""),
  );
  return summary;
}
