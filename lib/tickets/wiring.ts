/**
 * The tickets channel the app adds to the delivery when a PSA is configured (PSA_* settings): none
 * otherwise, so an estate without a PSA delivers exactly as before. `PSA_ON_CLOSED` says what a
 * ticket a person closed while the drift stands becomes: `reopen` (default) or `new`.
 */
import { z } from "zod";
import type { StorageTarget } from "../config/settings.js";
import { SettingsError } from "../config/settings.js";
import type { Channel } from "../alerts/channels/types.js";
import { ticketsChannel } from "./channel.js";
import { psaClients } from "./psa/index.js";
import { loadPsaSettings, type PsaSettings } from "./psa/settings.js";
import { safeText } from "../text/safe.js";
import { openTicketStore } from "./store.js";

const PSA_ON_CLOSED = "PSA_ON_CLOSED";
const onClosedSchema = z.enum(["reopen", "new"]);

/**
 * The tickets channel, or, when the PSA settings are wrong, a channel that says why at every send:
 * email and the webhook still go, and each row stays due for tickets until the settings are fixed.
 */
export function ticketChannels(env: Record<string, string | undefined>, storage: StorageTarget, options: { dashboardUrl?: string } = {}): Channel[] {
  let settings: PsaSettings;
  try {
    settings = loadPsaSettings(env);
    const raw = env[PSA_ON_CLOSED]?.trim() || "reopen";
    const onClosed = onClosedSchema.safeParse(raw);
    if (!onClosed.success) throw new SettingsError([`${PSA_ON_CLOSED} must be reopen or new, got "${safeText(raw)}"`]);
    const clients = psaClients(settings);
    if (Object.keys(clients).length === 0) return [];
    return [ticketsChannel({ store: openTicketStore(storage), clients, onClosed: onClosed.data, dashboardUrl: options.dashboardUrl })];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const failure = { ok: false, retryable: true, error: `tickets: the PSA settings are not usable: ${error.problems.join("; ")}` } as const;
    return [{ name: "tickets", kind: "events", send: () => Promise.resolve(failure) }];
  }
}
