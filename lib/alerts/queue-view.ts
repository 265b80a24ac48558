/**
 * What waits for delivery and when it is expected to go, for `drift-monitor alerts list` and the
 * status API. The quota is paced, so the order is known: the global roll-up first (after the urgent
 * rows when it holds nothing urgent), then the rows needing email, urgent before the rest, oldest first, one every `paceMs` from the budget's next
 * free slot. An estimate: a 429, a failure or a new urgent alert moves it.
 */
import type { AlertSettings } from "../config/alert-settings.js";
import { partOf, type DeliveryRow, type OutboxDeliveryRepository, type SendBudget } from "../store/index.js";
import { emailLimits, paceMs } from "./quota.js";
import { ownRecipients, urgencyOf } from "./delivery-rows.js";

export interface WaitingAlert {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly id: string;
  readonly kinds: readonly string[];
  /** When it is expected to go (ISO), at the earliest. */
  readonly expectedAt: string;
  readonly why: string;
}

export interface DeliveryQueue {
  /** The global list's roll-up: alerts owed to it, the one being sent (if any), and when it is expected to go. */
  readonly rollup: {
    readonly owed: number;
    readonly sending: { readonly id: string; readonly alerts: number } | null;
    readonly expectedAt: string | null;
    /** Summaries that failed for good: their alerts wait in them until `drift-monitor alerts requeue`. */
    readonly failed: ReadonlyArray<{ readonly id: string; readonly alerts: number; readonly deadChannels: readonly string[]; readonly error: string | null }>;
  };
  readonly alerts: readonly WaitingAlert[];
  /** The email quota and the pace it allows (absent for `.eml` files, which have none). */
  readonly quota: { readonly perMinute: number; readonly perHour: number; readonly source: string; readonly oneEveryMs: number } | null;
}

type Sources = Pick<OutboxDeliveryRepository, "listUndelivered"> & {
  readonly rollups: Pick<OutboxDeliveryRepository["rollups"], "listOwed" | "listOpen" | "listFailed">;
};

/** Whether the row sends an email of its own (recipientsOf's rule); without the settings (an operator's machine) it is assumed to. */
function ownEmail(r: DeliveryRow, settings: Pick<AlertSettings, "to"> | undefined): boolean {
  return !settings || ownRecipients(r, settings.to, r.rollup !== null).length > 0;
}

const later = (a: number, b: string | null): number => Math.max(a, b === null ? 0 : Date.parse(b));

export async function deliveryQueue(
  src: Sources,
  settings: Pick<AlertSettings, "email" | "emailQuota" | "to"> | undefined,
  budget: SendBudget | undefined,
  now: Date,
): Promise<DeliveryQueue> {
  const [rows, owed, open, failed] = await Promise.all([src.listUndelivered(), src.rollups.listOwed(), src.rollups.listOpen(), src.rollups.listFailed()]);
  const paced = settings && settings.email.kind !== "eml" && budget;
  const gap = paced ? paceMs(emailLimits("acs", settings.emailQuota)) : 0;
  let slot = paced ? (await budget.nextAt(now)).getTime() : now.getTime();
  const sending = open[0] ? { id: open[0].id, alerts: open[0].members.length || open[0].candidates.length } : null;
  let rollupAt: number | null = null;
  const placeRollup = (): void => {
    if (owed.length === 0 && !sending) return;
    // The email's own next try of the summary (each channel keeps its own).
    rollupAt = later(slot, open[0] ? partOf(open[0], "acs").nextAttemptAt : null);
    if (settings && settings.to.length > 0) slot = rollupAt + gap;
  };
  const needsEmail = (r: DeliveryRow): boolean => !r.sentChannels.includes("acs") && !r.sentChannels.includes("eml") && ownEmail(r, settings);
  const place = (r: DeliveryRow): WaitingAlert => {
    const own = needsEmail(r);
    // A row whose only audience is the global list (no own recipients) takes no cell: its news goes in the summary.
    const base = own ? slot : r.rollup !== null && rollupAt !== null ? rollupAt : now.getTime();
    const at = later(base, r.nextAttemptAt);
    if (own) slot = at + gap;
    const why = r.nextAttemptAt && Date.parse(r.nextAttemptAt) > now.getTime() ? (r.lastError ?? "backing off") : paced ? "in line for the email quota" : "due";
    return {
      tenantId: r.tenantId,
      tenantName: r.alert.tenantName,
      id: r.alert.id,
      kinds: [...new Set(r.alert.transitions.map((t) => t.kind))],
      expectedAt: new Date(at).toISOString(),
      why,
    };
  };
  const urgent = rows.filter((r) => urgencyOf(r) === 0);
  // As the sweep does (deliver.ts): a summary not yet formed with nothing urgent in it goes after the urgent emails.
  const deferred = paced && !sending && !owed.some((r) => urgencyOf(r) === 0) && urgent.some(needsEmail);
  if (!deferred) placeRollup();
  const alerts = urgent.map(place);
  if (deferred) placeRollup();
  alerts.push(...rows.filter((r) => urgencyOf(r) !== 0).map(place));
  return {
    rollup: {
      owed: owed.length,
      sending,
      expectedAt: rollupAt === null ? null : new Date(rollupAt).toISOString(),
      failed: failed.map((r) => ({ id: r.id, alerts: r.members.length, deadChannels: r.deadChannels, error: r.lastError })),
    },
    alerts,
    quota: paced ? { ...settings.emailQuota, oneEveryMs: gap } : null,
  };
}
