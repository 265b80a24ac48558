/** Small pieces of delivery (lib/alerts/deliver.ts): where a row's channels stand, and a logger that cannot throw. */
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
