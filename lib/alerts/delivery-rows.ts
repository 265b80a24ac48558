/** Small pieces of delivery (lib/alerts/deliver.ts): where a row's channels stand, what a row waits for, and a logger that cannot throw. */
import type { DeliveryRow } from "../store/index.js";
import type { TransitionKind } from "../model/state.js";
import type { Channel } from "./channels/types.js";
import { mergeRecipients } from "./recipients.js";
import { hasMailed } from "./mailed.js";
import type { ChannelState, DeliveryDeps, DeliveryEvent } from "./delivery-types.js";

/** A logger that throws must not stop a delivery (nor come between a send and its record). */
export function logger(deps: DeliveryDeps): (event: DeliveryEvent) => void {
  return (event) => {
    try {
      deps.log?.(event);
    } catch {
      // ignored: logging is not delivery
    }
  };
}

/** True when the roll-up tells the global list and the webhook about this row (see DeliveryDeps.rollup). */
const inRollup = (deps: DeliveryDeps, row: DeliveryRow): boolean => deps.rollup !== undefined && row.rollup !== null;

/** Who this row's own email goes to: the tenant's list, plus ALERT_TO unless the roll-up tells them. */
export function recipientsOf(deps: DeliveryDeps, row: DeliveryRow): string[] {
  return ownRecipients(row, deps.settings.to, inRollup(deps, row));
}

/** The same, given ALERT_TO and whether the row goes in the roll-up (the queue view has no delivery deps). */
export function ownRecipients(row: DeliveryRow, alertTo: readonly string[], rolledUp: boolean): string[] {
  if (!rolledUp) return mergeRecipients(row.alert.recipients, alertTo);
  const global = new Set(alertTo.map((a) => a.trim().toLowerCase()));
  return mergeRecipients(row.alert.recipients).filter((a) => !global.has(a.toLowerCase()));
}

/**
 * The channels this row is sent through: all of them, or (roll-up) the email only if its tenant has
 * its own recipients, and the lifecycle webhook ("events") always; a row with nothing to mail
 * (only finding changes: lib/alerts/mailed.ts) goes through the "events" channels alone.
 */
function rowChannels(deps: DeliveryDeps, row: DeliveryRow): Channel[] {
  if (!hasMailed(row.alert)) return deps.channels.filter((c) => c.kind === "events");
  if (!inRollup(deps, row)) return [...deps.channels];
  const ownEmail = recipientsOf(deps, row).length > 0;
  return deps.channels.filter((c) => c.kind === "events" || (c.kind === undefined && ownEmail));
}

export const pendingChannels = (deps: DeliveryDeps, row: DeliveryRow): Channel[] =>
  rowChannels(deps, row).filter((c) => !row.sentChannels.includes(c.name) && !row.deadChannels.includes(c.name));

/**
 * Drift, security notices, early warnings (each has a deadline) and degraded monitoring go before
 * reminders, not-checked and good news. A Record, so a new transition kind must be placed here.
 */
const URGENCY: Record<TransitionKind, 0 | 1> = {
  "drift-detected": 0,
  "security-notice": 0,
  "emergency-sign-in": 0,
  "early-warning": 0,
  "monitoring-degraded": 0,
  reminder: 1,
  "not-checked": 1,
  resolved: 1,
  "check-retired": 1,
  "monitoring-restored": 1,
  "finding-changed": 1,
};

export function urgencyOf(row: DeliveryRow): 0 | 1 {
  return row.alert.transitions.some((t) => URGENCY[t.kind] === 0) ? 0 : 1;
}

/** Where each configured channel stands on this row. */
export function channelStates(deps: DeliveryDeps, row: DeliveryRow): Record<string, ChannelState> {
  const state = (name: string): ChannelState =>
    row.sentChannels.includes(name) ? "sent" : row.deadChannels.includes(name) || row.delivery === "failed" ? "dead-lettered" : "pending";
  return Object.fromEntries(rowChannels(deps, row).map((c) => [c.name, state(c.name)]));
}

/** How long a claimed row is left alone if its sender dies (DeliveryDeps.leaseMs's default). */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/** Why a pending row is not due yet, and until when. */
export interface Waiting {
  /** "claim": an attempt was interrupted (its sender died, or storage failed) and its claim holds the row; "backoff": a retry or throttle wait. */
  readonly kind: "claim" | "backoff";
  readonly until: string;
}

/**
 * A pending row not due at `now`. A claim sets NextAttemptAt to LastAttemptAt + the lease, and any
 * later write of the attempt (a failure's next time, sent, dead-lettered) moves or clears it; so a
 * row still showing exactly that is held by an attempt that never finished.
 */
export function waitingOf(row: DeliveryRow, now: Date, leaseMs = DEFAULT_LEASE_MS): Waiting | undefined {
  if (row.delivery !== "pending" || row.nextAttemptAt === null) return undefined;
  const next = Date.parse(row.nextAttemptAt);
  if (!(next > now.getTime())) return undefined;
  const claimed = row.lastAttemptAt !== null && next - Date.parse(row.lastAttemptAt) === leaseMs;
  return { kind: claimed ? "claim" : "backoff", until: row.nextAttemptAt };
}

export function waitingText(w: Waiting): string {
  return w.kind === "claim" ? `waits for an interrupted attempt's claim to expire at ${w.until}` : `next attempt at ${w.until}`;
}

/** "acs dead-lettered, webhook sent": where each channel stands, for people. */
export const channelsText = (channels: Readonly<Record<string, ChannelState>>): string =>
  Object.entries(channels)
    .map(([name, state]) => `${name} ${state}`)
    .join(", ");
