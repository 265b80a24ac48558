/**
 * The tickets channel the app adds to the delivery when a PSA is configured (PSA_* settings): none
 * otherwise, so an estate without a PSA delivers exactly as before. `PSA_ON_CLOSED` says what a
 * ticket a person closed while the drift stands becomes: `reopen` (default) or `new`.
 */
import type { StorageTarget } from "../config/settings.js";
import { SettingsError } from "../config/settings.js";
import type { Channel } from "../alerts/channels/types.js";
import { ticketsChannel } from "./channel.js";
import { psaClients } from "./psa/index.js";
import { loadTicketSettings } from "./psa/settings.js";
import { openTicketStore } from "./store.js";
import type { StorageTime } from "../store/monitor/storage-clock.js";

/**
 * The tickets channel, or, when the PSA settings are wrong, a channel that says why at every send:
 * email and the webhook still go, and each row stays due for tickets until the settings are fixed.
 */
export function ticketChannels(
  env: Record<string, string | undefined>,
  storage: StorageTarget,
  options: { dashboardUrl?: string; clock?: StorageTime } = {},
): Channel[] {
  try {
    const { psa, onClosed } = loadTicketSettings(env);
    const clients = psaClients(psa);
    if (Object.keys(clients).length === 0) return [];
    return [ticketsChannel({ store: openTicketStore(storage, undefined, options.clock), clients, onClosed, dashboardUrl: options.dashboardUrl })];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const failure = { ok: false, retryable: true, error: `tickets: the PSA settings are not usable: ${error.problems.join("; ")}` } as const;
    return [{ name: "tickets", kind: "events", send: () => Promise.resolve(failure) }];
  }
}
