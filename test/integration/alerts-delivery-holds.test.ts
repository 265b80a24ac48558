/** What holds a channel back holds that channel only: a throttled webhook does not stop the email, nor a spent quota the webhook. */
import { describe, expect, it } from "vitest";
import { deliverAlert, deliverDue } from "../../lib/alerts/deliver.js";
import { SAMPLES } from "../unit/alerts/samples.js";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { sendBudgets } from "../../lib/alerts/quota.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { acceptedFor, fake, harness, rollupDeps, startHook, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("per-channel holds", () => {
  it("a 429 marker on the webhook leaves the email to go now; the webhook goes when the marker ends", async () => {
    const h = harness();
    const hook = await startHook();
    try {
      const deps = h.deps({ env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack" } });
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      await h.outbox.markers.recordThrottle("webhook", new Date(h.clock.t + 10 * 60_000), "webhook answered 429", new Date(h.clock.t));
      const first = await deliverDue(deps);
      expect(first).toMatchObject({ sent: 0, retrying: 1 });
      expect(acceptedFor(ids[0]!)).toHaveLength(1);
      expect(hook.bodies).toHaveLength(0);
      const row = await h.outbox.get(tenantId, ids[0]!);
      // Waiting is not failing: the attempt was given back.
      expect(row).toMatchObject({ sentChannels: ["acs"], attempts: 0, nextAttemptAt: new Date(h.clock.t + 10 * 60_000).toISOString() });
      h.clock.t += 10 * 60_000;
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(hook.bodies).toHaveLength(1);
      expect(acceptedFor(ids[0]!)).toHaveLength(1);
    } finally {
      await hook.stop();
    }
  });

  it("with the quota spent, the queue trigger leaves the rows to the sweep, which sends drift before a reminder", async () => {
    const h = harness();
    const deps = rollupDeps(h, { ALERT_TO: "noc@msp.example", ALERT_EMAILS_PER_MINUTE: "2", ALERT_EMAILS_PER_HOUR: "2" });
    const reminder = await h.write({ ...SAMPLES.reminder!, recipients: ["a@reminder.example"] });
    h.clock.t += 1_000;
    const drift = await h.write({ ...SAMPLES["drift-detected"]!, recipients: ["b@drift.example"] });
    // The reminder is low priority: the queue trigger leaves it to the sweep.
    expect(await deliverAlert(deps, reminder.tenantId, reminder.ids[0]!)).toMatchObject({ status: "skipped", reason: expect.stringMatching(/after drift/) });
    h.clock.t += 5 * 60_000;
    const sweep = await deliverDue({ ...deps, sweepBudgetMs: 0 });
    // Budget for one (of 2 per 2 hours, burst 1): the roll-up first, then the drift row waits: the reminder is not sent before it.
    expect(sweep.rollup).toMatchObject({ status: "sent" });
    expect(acceptedFor(reminder.ids[0]!)).toHaveLength(0);
    expect(acceptedFor(drift.ids[0]!)).toHaveLength(0);
    h.clock.t += 2 * 60 * 60_000;
    await deliverDue({ ...deps, sweepBudgetMs: 0 });
    expect(acceptedFor(drift.ids[0]!)).toHaveLength(1);
    expect(acceptedFor(reminder.ids[0]!)).toHaveLength(0);
  });
});

describe("the digest within the quota", () => {
  it("takes its cell like any email: with none to be had it waits for a later run, which sends it", async () => {
    const h = harness();
    const settings = loadAlertSettings({
      ACS_CONNECTION_STRING: fake.connectionString,
      ALERT_FROM: "alerts@msp.example",
      ALERT_TO: "noc@msp.example",
      ALERT_EMAILS_PER_MINUTE: "2",
      ALERT_EMAILS_PER_HOUR: "2",
    });
    const budgets = sendBudgets(settings, (limits) => h.outbox.sendBudget(limits));
    // Another sender just spent the cell.
    expect(await budgets.acs!.take(new Date(h.clock.t))).toEqual({ granted: true });
    const deps = {
      sources: {
        listStates: () => h.store.monitor.listStates(),
        listTenants: () => h.store.tenants.list(),
        listDeadLettered: () => h.outbox.listDeadLettered(),
      },
      channels: createChannels(settings, { pollIntervalMs: 5 }),
      settings,
      ledger: h.outbox.markers,
      budgets,
      now: () => new Date(h.clock.t),
      sleep: async () => undefined,
    };
    const before = fake.accepted.length;
    const first = await sendDigest(deps);
    expect(first.channels[0]!.outcome).toMatchObject({ ok: false, throttled: true, error: expect.stringMatching(/sending quota used/) });
    expect(fake.accepted.length).toBe(before);
    h.clock.t += 2 * 60 * 60_000;
    const later = await sendDigest(deps);
    expect(later.channels[0]!.outcome).toMatchObject({ ok: true });
    expect(fake.accepted.length).toBe(before + 1);
  });
});
