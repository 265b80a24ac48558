/**
 * The delivering process of tickets-crash.test.ts: the production delivery (deliverDue) of the
 * test's outbox through the real tickets channel to the PSA simulator, on the real clock. The test
 * kills it (SIGKILL) while the simulator holds its answer to the ticket create.
 */
import { deliverDue } from "../../lib/alerts/deliver.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { tableClientFactory } from "../../lib/store/connection.js";
import { createOutboxDelivery } from "../../lib/store/index.js";
import { ticketsChannel } from "../../lib/tickets/channel.js";
import { TicketStore } from "../../lib/tickets/store.js";
import type { PsaVendor } from "../../lib/tickets/psa/types.js";
import { VENDORS } from "./tickets-helpers.js";

const env = process.env;
const target = loadStoreSettings(env).storage;
const vendor = env.PSA_VENDOR as PsaVendor;
const sim = JSON.parse(env.PSA_SIM ?? "{}") as Parameters<(typeof VENDORS)[PsaVendor]["make"]>[0];
const outbox = createOutboxDelivery(target, { monitorTable: env.MONITOR_TABLE });
const store = new TicketStore(tableClientFactory(target)(env.TICKETS_TABLE ?? ""));
const settings = loadAlertSettings({});
await deliverDue({
  store: outbox,
  throttle: outbox.markers,
  channels: [ticketsChannel({ store, clients: { [vendor]: VENDORS[vendor].make(sim) } })],
  settings,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
process.stdout.write("delivered\n");
