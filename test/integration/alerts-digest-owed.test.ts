/** The daily digest held back by the managed domain's quota at its timer is sent by the next delivery sweep, once. */
import { describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { sendOwedDigest } from "../../lib/alerts/digest/owed.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { sendBudgets } from "../../lib/alerts/quota.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { acceptedFor, fake, harness, START, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("the owed digest", () => {
  it("goes with the next sweep when the quota held it at 07:00, and only once", async () => {
    const h = harness();
    const settings = loadAlertSettings({
      ACS_CONNECTION_STRING: fake.connectionString,
      ALERT_FROM: "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net",
      ALERT_TO: "noc@msp.example",
    });
    const budgets = sendBudgets(settings, (limits) => h.outbox.sendBudget(limits, { random: () => 0.5, sleep: async () => undefined }));
    const deps = {
      sources: { listStates: () => h.store.monitor.listStates(), listTenants: () => h.store.tenants.list(), listDeadLettered: async () => [] },
      channels: createChannels(settings, { pollIntervalMs: 5, now: () => new Date(h.clock.t) }),
      settings,
      ledger: h.outbox.markers,
      budgets,
      now: () => new Date(h.clock.t),
      sleep: async (ms: number) => void (h.clock.t += ms),
      random: () => 0.5,
    };
    const day = new Date(START).toISOString().slice(0, 10);
    // Nothing tried today: the sweep sends no digest of its own accord.
    expect(await sendOwedDigest(deps, 7 * 60_000)).toBeUndefined();
    // The sweep, firing at 07:00 with the timer, took the quota's cell first.
    expect(await budgets.acs!.take(new Date(h.clock.t))).toEqual({ granted: true });
    h.clock.t += 1_000;
    const timer = await sendDigest(deps);
    expect(timer.channels[0]?.outcome).toMatchObject({ ok: false, throttled: true });
    expect(acceptedFor(`digest-${day}`)).toHaveLength(0);
    h.clock.t += 5 * 60_000 - 1_000;
    const sweep = await sendOwedDigest(deps, 7 * 60_000);
    expect(sweep?.channels[0]?.outcome).toMatchObject({ ok: true });
    expect(acceptedFor(`digest-${day}`)).toHaveLength(1);
    h.clock.t += 5 * 60_000;
    expect(await sendOwedDigest(deps, 7 * 60_000)).toBeUndefined();
    expect(acceptedFor(`digest-${day}`)).toHaveLength(1);
    // The next day the sender refuses (not a wait): the sweeps do not spend a cell on it again and again.
    h.clock.t += 24 * 60 * 60_000;
    fake.script({ status: 400 });
    const refused = await sendDigest({ ...deps, attempts: 1 });
    expect(refused.channels[0]?.outcome).toMatchObject({ ok: false, retryable: false });
    h.clock.t += 5 * 60_000;
    expect(await sendOwedDigest(deps, 7 * 60_000)).toBeUndefined();
  });
});
