/**
 * The sending limits as GCRA ledger specs (lib/budget/gcra.ts), one ledger row per limit in the
 * `~budget` partition, shared by every instance and CLI run through lib/store/monitor/send-budget.ts.
 *
 * Email: ACS counts sends per subscription, per minute and per hour (figures and their source in
 * lib/config/alert-settings.ts: MANAGED_DOMAIN_QUOTA, CUSTOM_DOMAIN_QUOTA). Each limit is its own
 * ledger of one slot a claim: the GCRA bound (docs/scale.md) then lets at most `limit` sends into any
 * window widened by the margins below, so a managed domain sends about 9 an hour, never 11.
 *
 * Chat webhooks (their own documented limits):
 * - Slack incoming webhooks: "1 per second, short bursts >1 allowed" for posting messages
 *   (https://api.slack.com/docs/rate-limits, "Posting messages" and "Incoming webhooks");
 * - Teams: Microsoft 365 (Office 365) connectors / incoming webhooks allow 4 requests a second,
 *   60 per 30 s and 100 an hour per webhook ("Rate limiting for connectors" in
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using);
 *   the Workflows (Power Automate) webhooks that replace them are bound by Power Automate's
 *   request limits, which are far above this, so the connector figures are the safe pace for both.
 * The roll-up already makes chat traffic one post per delivery window; the ledger only keeps a
 * backlog (legacy rows, a long outage) from bursting.
 */
import type { AlertSettings, EmailQuota, WebhookFormat } from "../config/alert-settings.js";
import { gcraParams } from "../budget/gcra.js";
import type { SendBudget, SendLimit } from "../store/index.js";

/**
 * Margins for a send: a granted cell is spent (the POST made) within 5 s, instances' clocks agree
 * within 2 s, and ACS meters the POST within 1 s of it leaving. One cell a claim, granted only for
 * now (horizon 0): a send takes its slot when it goes. Slots are at least T apart, with
 * T = ⌈X / (limit − 1)⌉ over the widened window X (lib/budget/gcra.ts), so no window holds more than `limit`.
 */
const MARGINS = { headroom: 0, claimCells: 1, horizonMs: 0, clockSkewMs: 2_000, spendWithinMs: 5_000, arrivalJitterMs: 1_000 } as const;

function limit(rowKey: string, count: number, windowMs: number): SendLimit {
  // The pacing needs a limit of at least 2 (gcraParams): one a window is paced as two per two windows.
  return count >= 2 ? { rowKey, spec: { ...MARGINS, limit: count, windowMs } } : { rowKey, spec: { ...MARGINS, limit: 2, windowMs: 2 * windowMs } };
}

export function emailLimits(channel: string, quota: EmailQuota): SendLimit[] {
  return [limit(`mail-${channel}-minute`, quota.perMinute, 60_000), limit(`mail-${channel}-hour`, quota.perHour, 3_600_000)];
}

export function webhookLimits(format: WebhookFormat): SendLimit[] {
  if (format === "slack") return [limit("webhook-slack-minute", 60, 60_000)];
  // A receiver of our own format publishes no limit: one a second, sustained, keeps a small one well.
  if (format === "lifecycle") return [limit("webhook-lifecycle-minute", 60, 60_000)];
  return [limit("webhook-teams-30s", 60, 30_000), limit("webhook-teams-hour", 100, 3_600_000)];
}

/** The budgets delivery takes a cell from before each send, by channel name: ACS (not `.eml` files) and the webhook. */
export function sendBudgets(
  settings: Pick<AlertSettings, "email" | "emailQuota" | "webhook">,
  make: (limits: readonly SendLimit[]) => SendBudget,
): Record<string, SendBudget> {
  const budgets: Record<string, SendBudget> = {};
  if (settings.email.kind !== "eml") budgets.acs = make(emailLimits("acs", settings.emailQuota));
  if (settings.webhook) budgets.webhook = make(webhookLimits(settings.webhook.format));
  return budgets;
}

/** The sustained gap between two sends a channel's limits allow (the slowest limit's GCRA interval), in ms. */
export const paceMs = (limits: readonly SendLimit[]): number => Math.max(0, ...limits.map((l) => gcraParams(l.spec).intervalMs));
