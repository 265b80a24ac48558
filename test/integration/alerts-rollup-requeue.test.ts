/** A summary whose channel failed for good keeps its alerts and can be requeued: nothing is lost for the global list. */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { deliveryQueue } from "../../lib/alerts/queue-view.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { harness, rollupDeps, startHook, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const drift = SAMPLES["drift-detected"]!.transitions[0]!;

describe("a failed summary", () => {
  it("keeps its alerts in it and, requeued, posts the dead channel again under a new key; the sent email is not repeated", async () => {
    const h = harness();
    const hook = await startHook([400]);
    try {
      const { tenantId, ids } = await h.write(alertOf("f0", [drift], { tenantName: "Failing hook", recipients: [] }));
      h.clock.t += 2 * 60_000;
      const deps = rollupDeps(h, {
        ALERT_TO: "noc@msp.example",
        ALERT_FROM: "alerts@msp.example",
        ALERT_WEBHOOK_URL: hook.url,
        ALERT_WEBHOOK_FORMAT: "slack",
        ALERT_EMAILS_PER_MINUTE: "1000",
        ALERT_EMAILS_PER_HOUR: "100000",
      });
      const first = await deliverDue(deps);
      expect(first.rollup).toMatchObject({ status: "failed" });
      const id = first.rollup?.status === "failed" ? first.rollup.id : "";
      // Not marked done: the alert is still owed to the webhook, by this summary.
      expect((await h.outbox.get(tenantId, ids[0]!))?.rollup).toBe(`in:${id}`);
      const [failed, ...more] = await h.outbox.rollups.listFailed();
      expect(more).toHaveLength(0);
      expect(failed).toMatchObject({ id, sentChannels: ["acs"], deadChannels: ["webhook"] });
      // The status API and `alerts list` say so.
      const q = await deliveryQueue(h.outbox, undefined, undefined, new Date(h.clock.t));
      expect(q.rollup.failed).toEqual([{ id, alerts: 1, deadChannels: ["webhook"], error: expect.stringMatching(/^webhook: /) }]);
      await h.outbox.rollups.requeue(failed!);
      expect((await deliveryQueue(h.outbox, undefined, undefined, new Date(h.clock.t))).rollup.failed).toEqual([]);
      h.clock.t += 60_000;
      const second = await deliverDue(deps);
      expect(second.rollup).toMatchObject({ status: "sent", id, channels: ["acs", "webhook"] });
      expect(hook.bodies).toHaveLength(2);
      expect(hook.headers[1]!["idempotency-key"]).toBe(`${id}.1`);
      expect((await h.outbox.get(tenantId, ids[0]!))?.rollup).toBe(`done:${id}`);
      expect(await h.outbox.rollups.listFailed()).toHaveLength(0);
    } finally {
      await hook.stop();
    }
  });
});
