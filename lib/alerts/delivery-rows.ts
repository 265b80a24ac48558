/** Small pieces of delivery (lib/alerts/deliver.ts): where a row's channels stand, what a row waits for, and a logger that cannot throw. */
import type { DeliveryRow } from "../store/index.js";
import type { Channel } from "./channels/types.js";
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

export const pendingChannels = (deps: DeliveryDeps, row: DeliveryRow): Channel[] =>
  deps.channels.filter((c) => !row.sentChannels.includes(c.name) && !row.deadChannels.includes(c.name));

/** Where each configured channel stands on this row. */
export function channelStates(deps: DeliveryDeps, row: DeliveryRow): Record<string, ChannelState> {
  const state = (name: string): ChannelState =>
    row.sentChannels.includes(name) ? "sent" : row.deadChannels.includes(name) || row.delivery === "failed" ? "dead-lettered" : "pending";
  return Object.fromEntries(deps.channels.map((c) => [c.name, state(c.name)]));
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
