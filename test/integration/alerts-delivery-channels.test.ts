/** Alert delivery by .eml file and by webhook beside email, and a sender that dies after delivering. */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deliverDue, type DeliveryStore } from "../../lib/alerts/deliver.js";
import { parseMime } from "../unit/alerts/mime-parser.js";
import { HOSTILE, SAMPLES } from "../unit/alerts/samples.js";
import { crashingOnce, harness, postsFor, startHook, temps, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe(".eml delivery", () => {
  it("writes one parseable file per row, overwritten (not duplicated) on re-delivery", async () => {
    const h = harness();
    const dir = mkdtempSync(join(tmpdir(), "outbox-"));
    temps.push(dir);
    const { tenantId, ids } = await h.write(HOSTILE);
    const deps = h.deps({ env: { ACS_CONNECTION_STRING: "", ALERT_FROM: "", OUTBOX_DIR: dir } });
    expect(deps.channels.map((c) => c.name)).toEqual(["eml"]);
    let crashed = false;
    const crashing: DeliveryStore = {
      ...deps.store,
      listDue: (...a) => deps.store.listDue(...a),
      get: (...a) => deps.store.get(...a),
      claim: (...a) => deps.store.claim(...a),
      recordChannelSent: (...a) => deps.store.recordChannelSent(...a),
      recordChannelDead: (...a) => deps.store.recordChannelDead(...a),
      recordFailure: (...a) => deps.store.recordFailure(...a),
      deadLetter: (...a) => deps.store.deadLetter(...a),
      markSent: async (...a) => {
        if (!crashed) {
          crashed = true;
          throw new Error("crash");
        }
        return deps.store.markSent(...a);
      },
    };
    await deliverDue({ ...deps, store: crashing });
    const first = readFileSync(join(dir, `${ids[0]}.eml`), "utf8");
    h.clock.t += 10 * 60_000;
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 1 });
    expect(readdirSync(dir)).toEqual([`${ids[0]}.eml`]);
    expect(readFileSync(join(dir, `${ids[0]}.eml`), "utf8")).toBe(first);
    const mail = parseMime(first);
    expect(mail.subject).toContain('Contoso & "Partners" — Ünïcødé 株式会社');
    expect(mail.parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["eml"] });
  });
});

describe("email and webhook together", () => {
  it("retries only the channel that failed: the email is not sent again for a webhook hiccup", async () => {
    const hook = await startHook([500, 200]);
    const bodies = hook.bodies;
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const deps = h.deps({
        env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "teams" },
        backoff: { baseMs: 1_000, maxMs: 1_000 },
      });
      expect(deps.channels.map((c) => c.name)).toEqual(["acs", "webhook"]);
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(postsFor(ids[0]!)).toHaveLength(1);
      expect(bodies).toHaveLength(2);
      expect(JSON.parse(bodies[1]!)).toMatchObject({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }] });
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 2, sentChannels: ["acs", "webhook"] });
    } finally {
      await hook.stop();
    }
  });
});

describe("a sender that dies after delivering", () => {
  it("marks sent, not dead-lettered, a row whose every channel was recorded when markSent failed on the last attempt", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.reminder!);
    const deps = h.deps({ env: { ALERT_MAX_ATTEMPTS: "1" } });
    const store = crashingOnce(deps.store);
    expect(await deliverDue({ ...deps, store })).toMatchObject({ errors: 1 });
    // The channel was recorded the moment it succeeded, before markSent.
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "pending", attempts: 1, sentChannels: ["acs"] });
    h.clock.t += 5 * 60_000 + 1;
    expect(await deliverDue({ ...deps, store })).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(1);
  });

  it("records a channel before anything else runs, even a logger that throws", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.resolved!);
    const deps = h.deps({
      log: (e) => {
        if (e.kind === "sent") throw new Error("logger broke");
      },
    });
    expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["acs"] });
  });

  it("does not post the webhook again when the sender dies after the POST", async () => {
    const hook = await startHook();
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const deps = h.deps({ env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack" } });
      const store = crashingOnce(deps.store);
      expect(await deliverDue({ ...deps, store })).toMatchObject({ errors: 1 });
      h.clock.t += 5 * 60_000 + 1;
      expect(await deliverDue({ ...deps, store })).toMatchObject({ sent: 1 });
      expect(hook.bodies).toHaveLength(1);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["acs", "webhook"] });
    } finally {
      await hook.stop();
    }
  });
});
