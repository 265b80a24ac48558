/**
 * Alert delivery at MSP scale, on a simulated clock: the first pass over N tenants of which D
 * drifted, each drifted tenant with its own recipients, plus a global list (ALERT_TO), delivered
 * through the production delivery (deliverDue: the roll-up, the shared quota ledgers, the per-row
 * sends) against Azurite and the local ACS fake, which enforces the quota with 429 + Retry-After.
 * A delivery sweep runs every 5 minutes of the simulated clock (the app's timer); waits are
 * slept on that clock, so a day and a half of sending takes about a minute.
 *
 *   npx tsx bench/alerts.ts --tenants 2000 --drifted 300
 *
 * Two cases per quota: every drifted tenant with its own list, and the global list only.
 * Prints one JSON line per case (managed domain: 5/min, 10/h; custom domain: 30/min, 100/h) and
 * the line for bench/README.md. "Before" is the design this replaced: one email per drifted tenant
 * to the tenant's and the global list merged, at the same quota (each paced at the ledger's rate).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { startAzurite } from "../cli/demo/azurite.js";
import { createChannels } from "../lib/alerts/channels/index.js";
import { deliverDue, type DeliveryDeps } from "../lib/alerts/deliver.js";
import { emailLimits, paceMs, sendBudgets } from "../lib/alerts/quota.js";
import { loadAlertSettings } from "../lib/config/alert-settings.js";
import { loadStoreSettings } from "../lib/config/settings.js";
import { createStore } from "../lib/store/index.js";
import { startAcsFake } from "../test/support/acs-fake.js";
import { minimalState } from "../test/support/state.js";
import { alertOf, SAMPLES } from "../test/unit/alerts/samples.js";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "2000" }, drifted: { type: "string", default: "300" } } });
const TENANTS = Number(values.tenants);
const DRIFTED = Number(values.drifted);
const START = Date.parse("2026-03-04T07:00:00.000Z");
const MINUTE = 60_000;
const QUOTAS = [
  { name: "managed domain", from: "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net", perMinute: 5, perHour: 10 },
  { name: "custom domain", from: "alerts@msp.example", perMinute: 30, perHour: 100 },
];

const azurite = await startAzurite();
const fake = await startAcsFake();
try {
  const lines: string[] = [];
  for (const [quota, ownLists] of QUOTAS.flatMap((q) => [[q, true] as const, [q, false] as const])) {
    const clock = { t: START };
    const storage = loadStoreSettings({ AzureWebJobsStorage: azurite.connectionString }).storage;
    const store = createStore(storage, {
      tenantsTable: `BenchTenants${randomBytes(3).toString("hex")}`,
      monitorTable: `BenchMonitor${randomBytes(3).toString("hex")}`,
    });
    const drift = SAMPLES["drift-detected"]!.transitions[0]!;
    for (let i = 0; i < TENANTS; i++) {
      const tenantId = randomUUID();
      const state = minimalState(tenantId, { at: new Date(START).toISOString() });
      const alerts =
        i < DRIFTED
          ? [
              {
                ...alertOf(`x${i}${randomBytes(4).toString("hex")}`, [drift], {
                  // Written by the run at the start: the summary waits for the run to settle, as in production.
                  createdAt: new Date(START).toISOString(),
                  tenantName: `Tenant ${i}`,
                  recipients: ownLists ? [`admin@t${i}.example`] : [],
                }),
                tenantId,
              },
            ]
          : [];
      await store.monitor.commitRun({ partition: tenantId, expectedEtag: null, state, alerts });
    }
    const settings = loadAlertSettings({ ACS_CONNECTION_STRING: fake.connectionString, ALERT_FROM: quota.from, ALERT_TO: "noc@msp.example" });
    const deps: DeliveryDeps = {
      store: store.outbox,
      throttle: store.outbox.markers,
      channels: createChannels(settings, { pollIntervalMs: 1, now: () => new Date(clock.t) }),
      settings,
      budgets: sendBudgets(settings, (limits) => store.outbox.sendBudget(limits)),
      rollup: { store: store.outbox.rollups },
      now: () => new Date(clock.t),
      sleep: async (ms) => {
        clock.t += ms;
      },
    };
    fake.limit([
      { perWindow: quota.perMinute, windowMs: MINUTE, now: () => clock.t, retryAfter: "always" },
      { perWindow: quota.perHour, windowMs: 60 * MINUTE, now: () => clock.t, retryAfter: "always" },
    ]);
    const before = fake.accepted.length;
    const posts = fake.requests.length;
    const wall = performance.now();
    let sweeps = 0;
    for (; sweeps < 5000; sweeps++) {
      const at = clock.t;
      await deliverDue(deps);
      const open =
        (await store.outbox.listUndelivered()).length + (await store.outbox.rollups.listOwed()).length + (await store.outbox.rollups.listOpen()).length;
      if (open === 0) break;
      clock.t = Math.max(clock.t, at + 5 * MINUTE);
    }
    const sent = fake.accepted.length - before;
    // When ACS accepted each email (the fake's clock is the simulated one).
    const emails = fake.accepted.slice(before);
    const last = Math.max(START, ...emails.map((e) => e.at ?? START));
    const globalAt = Math.max(START, ...emails.filter((e) => e.to.includes("noc@msp.example")).map((e) => e.at ?? START));
    const throttled = fake.requests.slice(posts).filter((r) => r.status === 429).length;
    const beforeHours = (DRIFTED * paceMs(emailLimits("acs", settings.emailQuota))) / 3_600_000;
    const result = {
      quota: `${quota.name} (${quota.perMinute}/min, ${quota.perHour}/h)`,
      tenantLists: ownLists ? "each drifted tenant has its own list" : "global list only",
      tenants: TENANTS,
      drifted: DRIFTED,
      emailsSent: sent,
      globalListEmails: emails.filter((e) => e.to.includes("noc@msp.example")).length,
      throttled429: throttled,
      globalListToldAfterMinutes: +((globalAt - START) / MINUTE).toFixed(1),
      lastAlertDeliveredAfterHours: +((last - START) / 3_600_000).toFixed(2),
      beforeEmails: DRIFTED,
      beforeLastAlertAfterHours: +beforeHours.toFixed(2),
      sweeps: sweeps + 1,
      wallSeconds: +((performance.now() - wall) / 1000).toFixed(1),
    };
    console.log(JSON.stringify(result));
    lines.push(
      `| ${result.quota} | ${ownLists ? "own + global" : "global only"} | ${TENANTS} / ${DRIFTED} | ` +
        `${sent} (${result.globalListEmails} to ALERT_TO) | ${result.globalListToldAfterMinutes} min | ` +
        `${result.lastAlertDeliveredAfterHours} h | ${throttled} | ${DRIFTED} emails, ~${result.beforeLastAlertAfterHours} h |`,
    );
    fake.limit(undefined);
  }
  console.log(lines.join("\n"));
} finally {
  await fake.stop();
  await azurite.stop();
}
