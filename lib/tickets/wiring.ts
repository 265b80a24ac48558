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
import { loadPsaSettings } from "./psa/settings.js";
import { openTicketStore } from "./store.js";

const PSA_ON_CLOSED = "PSA_ON_CLOSED";
const onClosedSchema = z.enum(["reopen", "new"]);

export function ticketChannels(env: Record<string, string | undefined>, storage: StorageTarget, options: { dashboardUrl?: string } = {}): Channel[] {
  const settings = loadPsaSettings(env);
  const clients = psaClients(settings);
  if (Object.keys(clients).length === 0) return [];
  const raw = env[PSA_ON_CLOSED]?.trim() || "reopen";
  const onClosed = onClosedSchema.safeParse(raw);
  if (!onClosed.success) throw new SettingsError([`${PSA_ON_CLOSED} must be reopen or new, got "${raw}"`]);
  return [ticketsChannel({ store: openTicketStore(storage), clients, onClosed: onClosed.data, dashboardUrl: options.dashboardUrl })];
}
