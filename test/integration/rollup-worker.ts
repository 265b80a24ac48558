/**
 * One sender process of alerts-rollup-processes.test.ts: the production delivery (deliverDue with
 * the roll-up and the shared send budgets) against the test's Azurite table and ACS fake, run
 * `SWEEPS` times back to back on the real clock. Prints each sweep's roll-up status as JSON.
 */
import { createChannels } from "../../lib/alerts/channels/index.js";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { sendBudgets } from "../../lib/alerts/quota.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createOutboxDelivery } from "../../lib/store/index.js";

const env = process.env;
const outbox = createOutboxDelivery(loadStoreSettings(env).storage, { monitorTable: env.ROLLUP_TABLE });
const settings = loadAlertSettings(env);
const statuses: string[] = [];
for (let i = 0; i < Number(env.SWEEPS ?? "4"); i++) {
  const summary = await deliverDue({
    store: outbox,
    throttle: outbox.markers,
    channels: createChannels(settings, { pollIntervalMs: 5 }),
    settings,
    budgets: sendBudgets(settings, (limits) => outbox.sendBudget(limits)),
    rollup: { store: outbox.rollups, settleMs: 0 },
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  statuses.push(summary.rollup?.status ?? "none");
}
process.stdout.write(JSON.stringify({ statuses }) + "\n");
