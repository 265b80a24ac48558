/** The chat webhook gets the summary, not each row; a 429 on the summary is a wait, never an attempt. */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { acceptedFor, fake, harness, rollupDeps, startHook, START, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const drift = SAMPLES["drift-detected"]!.transitions[0]!;

describe("the summary in chat", () => {
  it("posts one Slack message for 8 tenants, keyed by the summary's id, and no per-tenant post", async () => {
    const h = harness();
    const hook = await startHook();
    try {
      const written = [];
      for (let i = 0; i < 8; i++) written.push(await h.write(alertOf(`w${i}`, [drift], { tenantName: `Chat ${i}`, recipients: [`a@chat${i}.example`] })));
      h.clock.t += 2 * 60_000;
      const deps = rollupDeps(h, {
        ALERT_TO: "noc@msp.example",
        ALERT_FROM: "alerts@msp.example",
        ALERT_WEBHOOK_URL: hook.url,
        ALERT_WEBHOOK_FORMAT: "slack",
        // A raised quota: this test is about who gets what, not about pace.
        ALERT_EMAILS_PER_MINUTE: "1000",
        ALERT_EMAILS_PER_HOUR: "100000",
      });
      const summary = await deliverDue(deps);
      expect(summary.rollup).toMatchObject({ status: "sent", alerts: 8, channels: ["acs", "webhook"] });
      expect(hook.bodies).toHaveLength(1);
      const id = summary.rollup?.status === "sent" ? summary.rollup.id : "";
      expect(hook.headers[0]!["idempotency-key"]).toBe(`${id}.0`);
      expect(JSON.parse(hook.bodies[0]!)).toMatchObject({ metadata: { event_payload: { alert_id: id, generation: 0, idempotency_key: `${id}.0` } } });
      expect(hook.bodies[0]).toContain("Chat 7: Drift detected");
      // Each tenant's own email went, by email only.
      for (const w of written) expect(acceptedFor(w.ids[0]!)).toHaveLength(1);
      await deliverDue(deps);
      expect(hook.bodies).toHaveLength(1);
    } finally {
      await hook.stop();
    }
  });

  it("a 429 on the summary's email waits for Retry-After and spends no attempt; the webhook is not posted twice", async () => {
    const h = harness();
    const hook = await startHook();
    try {
      await h.write(alertOf("z0", [drift], { createdAt: new Date(START).toISOString(), tenantName: "Throttled", recipients: [] }));
      h.clock.t += 2 * 60_000;
      const deps = rollupDeps(h, { ALERT_TO: "noc@msp.example", ALERT_FROM: "alerts@msp.example", ALERT_WEBHOOK_URL: hook.url }, { sweepBudgetMs: 0 });
      const before = fake.accepted.length;
      fake.script({ status: 429, retryAfterSeconds: 600 });
      const first = await deliverDue(deps);
      expect(first.rollup).toMatchObject({ status: "waiting", reason: expect.stringMatching(/429/) });
      const [open] = await h.outbox.rollups.listOpen();
      expect(open).toMatchObject({ state: "ready", attempts: 0, sentChannels: ["webhook"] });
      h.clock.t += 600_000;
      expect((await deliverDue(deps)).rollup).toMatchObject({ status: "sent" });
      expect(fake.accepted.length - before).toBe(1);
      expect(hook.bodies).toHaveLength(1);
    } finally {
      await hook.stop();
    }
  });
});
