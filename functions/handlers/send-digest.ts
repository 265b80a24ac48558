/**
 * Timer (DIGEST_SCHEDULE): one summary email for the whole estate, to ALERT_TO. A run that fires
 * again the same day skips every channel the day's ledger row records as sent.
 */
import type { InvocationContext, Timer } from "@azure/functions";
import { sendDigest as send, type DigestResult } from "../../lib/alerts/digest/send.js";
import { getApp } from "../app/app.js";

export async function sendDigest(_timer: Timer, context: InvocationContext): Promise<DigestResult | undefined> {
  const app = getApp();
  if (app.alertSettings().to.length === 0) {
    context.warn("sendDigest: ALERT_TO is empty, so the digest has no recipients; set ALERT_TO to receive it");
    return undefined;
  }
  const result = await send(app.digestDeps());
  for (const c of result.channels) {
    if (c.alreadySent) context.log(`sendDigest: ${result.id} not sent again via ${c.name}: ${c.outcome.ok ? c.outcome.detail : ""}`);
    else if (c.outcome.ok) context.log(`sendDigest: ${result.id} sent via ${c.name}: ${c.outcome.detail}`);
    else context.error(`sendDigest: ${result.id} not sent via ${c.name}: ${c.outcome.error}`);
  }
  return result;
}
