/** Each channel on its own: a failing email does not silence the webhook, nor the other way round. */
import { describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { deliverDue, type DeliveryStore } from "../../lib/alerts/deliver.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { SAMPLES } from "../unit/alerts/samples.js";
import { crashingOnce, fake, harness, postsFor, startHook, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("one failing channel", () => {
  it("ACS failing every time: the webhook is delivered once, ACS retried then dead-lettered alone", async () => {
    const hook = await startHook();
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const deps = h.deps({
        env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack", ALERT_MAX_ATTEMPTS: "3" },
        backoff: { baseMs: 1_000, maxMs: 1_000 },
      });
      fake.script({ status: 503 }, { status: 503 }, { status: 503 });
      const summary = await deliverDue(deps);
      expect(summary).toMatchObject({ sent: 0, deadLettered: 1 });
      expect(summary.outcomes[0]).toMatchObject({ status: "dead-lettered", attempts: 3, channels: { acs: "dead-lettered", webhook: "sent" } });
      expect(postsFor(ids[0]!)).toHaveLength(3);
      expect(hook.bodies).toHaveLength(1);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "failed", sentChannels: ["webhook"], deadChannels: ["acs"] });
      // Dead-lettered: later sweeps post nothing more.
      h.clock.t += 60 * 60_000;
      expect(await deliverDue(deps)).toMatchObject({ outcomes: [] });
      expect(hook.bodies).toHaveLength(1);
      // Requeued (the sender fixed): only the email is sent, the webhook not again.
      await h.outbox.requeue((await h.outbox.get(tenantId, ids[0]!))!);
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(hook.bodies).toHaveLength(1);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["webhook", "acs"], deadChannels: [] });
    } finally {
      await hook.stop();
    }
  });

  it("an email channel the SDK cannot make a client for: the webhook is still delivered, the email dead-lettered saying why", async () => {
    const hook = await startHook();
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const env = { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack" };
      const settings = loadAlertSettings({ ACS_CONNECTION_STRING: fake.connectionString, ALERT_FROM: "DoNotReply@drift.example.com", ...env });
      if (settings.email.kind !== "acs-connection-string") throw new Error("expected ACS by connection string");
      // Settings refuse such an endpoint; this is the channel layer's own guard for one that gets past them.
      const connectionString = settings.email.connectionString.replace(/\/;accesskey=/, "/emails;accesskey=");
      const channels = createChannels({ ...settings, email: { ...settings.email, connectionString } }, { pollIntervalMs: 5 });
      const summary = await deliverDue(h.deps({ env, channels }));
      expect(summary.outcomes[0]).toMatchObject({ status: "dead-lettered", channels: { acs: "dead-lettered", webhook: "sent" } });
      expect(postsFor(ids[0]!)).toHaveLength(0);
      expect(hook.bodies).toHaveLength(1);
      const row = await h.outbox.get(tenantId, ids[0]!);
      expect(row).toMatchObject({ delivery: "failed", sentChannels: ["webhook"], deadChannels: ["acs"] });
      expect(JSON.stringify(row)).toMatch(/ACS client could not be made/);
      expect(JSON.stringify(row)).not.toContain(connectionString.split("accesskey=")[1]!);
    } finally {
      await hook.stop();
    }
  });

  it("an email that can never go (400) is dead-lettered at once, and the webhook still retried until it answers", async () => {
    const hook = await startHook([503, 200]);
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES.reminder!);
      const deps = h.deps({ env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "teams" }, backoff: { baseMs: 1_000, maxMs: 1_000 } });
      fake.script({ status: 400 });
      const summary = await deliverDue(deps);
      expect(summary.outcomes[0]).toMatchObject({ status: "dead-lettered", attempts: 2, channels: { acs: "dead-lettered", webhook: "sent" } });
      // ACS once (not repeated after its 400), the webhook twice (503, then 200).
      expect(postsFor(ids[0]!)).toHaveLength(1);
      expect(hook.bodies).toHaveLength(2);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "failed", sentChannels: ["webhook"], deadChannels: ["acs"] });
    } finally {
      await hook.stop();
    }
  });

  it("a webhook failing every time does not hold back the email, and is dead-lettered alone", async () => {
    const hook = await startHook([500, 500]);
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES.resolved!);
      const deps = h.deps({
        env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack", ALERT_MAX_ATTEMPTS: "2" },
        backoff: { baseMs: 1_000, maxMs: 1_000 },
      });
      expect((await deliverDue(deps)).outcomes[0]).toMatchObject({ status: "dead-lettered", channels: { acs: "sent", webhook: "dead-lettered" } });
      expect(postsFor(ids[0]!)).toHaveLength(1);
      expect(hook.bodies).toHaveLength(2);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "failed", sentChannels: ["acs"], deadChannels: ["webhook"] });
    } finally {
      await hook.stop();
    }
  });
});

describe("a webhook POST that arrived but was not recorded", () => {
  it("is posted again only after the claim expires, with the same Idempotency-Key and ids in the payload for the receiver to fold", async () => {
    const hook = await startHook();
    try {
      const h = harness();
      const { ids } = await h.write(SAMPLES["security-notice"]!);
      const deps = h.deps({ env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack" } });
      let dropped = false;
      const store: DeliveryStore = {
        ...crashingOnce(deps.store),
        markSent: (...a) => deps.store.markSent(...a),
        recordChannelSent: async (row, channel) => {
          if (channel === "webhook" && !dropped) {
            dropped = true;
            throw new Error("storage dropped the write");
          }
          return deps.store.recordChannelSent(row, channel);
        },
      };
      expect(await deliverDue({ ...deps, store })).toMatchObject({ errors: 1 });
      h.clock.t += 5 * 60_000 - 1;
      expect(await deliverDue({ ...deps, store })).toMatchObject({ outcomes: [] });
      h.clock.t += 2;
      expect(await deliverDue({ ...deps, store })).toMatchObject({ sent: 1 });
      expect(hook.bodies).toHaveLength(2);
      expect(hook.headers.map((x) => x["idempotency-key"])).toEqual([`${ids[0]}.0`, `${ids[0]}.0`]);
      for (const b of hook.bodies) expect(JSON.parse(b)).toMatchObject({ metadata: { event_payload: { alert_id: ids[0], generation: 0 } } });
      expect(postsFor(ids[0]!)).toHaveLength(1);
    } finally {
      await hook.stop();
    }
  });
});
