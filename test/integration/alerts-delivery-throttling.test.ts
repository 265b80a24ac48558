/** Alert delivery under ACS throttling (an Azure-managed sender domain: about 5 emails a minute). */
import { describe, expect, it } from "vitest";
import { deliverAlert, deliverDue } from "../../lib/alerts/deliver.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { START, acceptedFor, fake, harness, postsFor, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("throttling (an Azure-managed sender domain: about 5 emails a minute)", () => {
  it(
    "a burst of 150 alerts (a first import) through the queue trigger and the sweep: none dead-lettered, each sent once, no 429 counted as an " + "attempt",
    async () => {
      const h = harness();
      const rows: Array<{ tenantId: string; id: string }> = [];
      for (let t = 0; t < 30; t++) {
        const kinds = ["drift-detected", "resolved", "reminder", "monitoring-degraded", "security-notice"] as const;
        const { tenantId, ids } = await h.write(...kinds.map((k, i) => alertOf(`burst${i}`, SAMPLES[k]!.transitions)));
        rows.push(...ids.map((id) => ({ tenantId, id })));
      }
      fake.limit({ perWindow: 5, windowMs: 60_000, now: () => h.clock.t, retryAfter: "alternate" });
      try {
        const deps = h.deps();
        // The alerts queue trigger: 48 messages at once (24 per instance, two instances).
        const wave = await Promise.all(rows.slice(0, 48).map((r) => deliverAlert(deps, r.tenantId, r.id)));
        expect(wave.filter((o) => o.status === "dead-lettered")).toEqual([]);
        expect(wave.filter((o) => o.status === "sent")).toHaveLength(5);
        // A message arriving now is left for the sweep: the sender is in backoff.
        const late = await deliverAlert(deps, rows[149]!.tenantId, rows[149]!.id);
        expect(late).toMatchObject({ status: "skipped", reason: expect.stringMatching(/throttled/) });

        // The sweep every 5 minutes until everything is out.
        let sweeps = 0;
        for (; sweeps < 30; sweeps++) {
          const pending = (await h.outbox.listUndelivered()).filter((r) => rows.some((x) => x.tenantId === r.tenantId));
          if (pending.length === 0) break;
          h.clock.t += 5 * 60_000;
          const summary = await deliverDue(deps);
          expect(summary.deadLettered).toBe(0);
          expect(summary.errors).toBe(0);
        }
        expect(sweeps).toBeLessThan(30);
        for (const r of rows) {
          const row = await h.outbox.get(r.tenantId, r.id);
          expect(row).toMatchObject({ delivery: "sent", attempts: 1 });
          expect(acceptedFor(r.id)).toHaveLength(1);
        }
        const throttled = await Promise.all(rows.map((r) => h.outbox.get(r.tenantId, r.id)));
        expect(throttled.some((r) => (r?.throttled ?? 0) > 0)).toBe(true);
      } finally {
        fake.limit(undefined);
      }
    },
  );

  it("a 429 without Retry-After pushes the row back a minute and records the sender's backoff, counting no attempt", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!, SAMPLES.resolved!);
    fake.script({ status: 429 });
    const deps = h.deps();
    const outcome = await deliverAlert(deps, tenantId, ids[0]!);
    expect(outcome).toMatchObject({ status: "retrying", attempts: 0, nextAttemptAt: new Date(START + 60_000).toISOString() });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "pending", attempts: 0, throttled: 1, lastError: expect.stringContaining("429") });
    expect(await h.outbox.markers.throttledUntil("acs", new Date(h.clock.t))).toEqual(new Date(START + 60_000));
    // The other row's message: left alone while the sender is in backoff (no POST at all).
    expect(await deliverAlert(deps, tenantId, ids[1]!)).toMatchObject({ status: "skipped" });
    expect(postsFor(ids[1]!)).toHaveLength(0);
    // The sweep waits out the backoff (a minute: slept inline) and sends the other row; the next sends the first.
    expect(await deliverDue(deps)).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(h.sleeps).toEqual([60_000]);
    expect(await deliverDue(deps)).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, throttled: 1 });
  });

  it("the sweep stops at its time budget and leaves the rest for the next one", async () => {
    const h = harness();
    const { ids } = await h.write(...["a", "b", "c", "d"].map((n) => alertOf(n, SAMPLES.resolved!.transitions)));
    fake.limit({ perWindow: 1, windowMs: 50_000, now: () => h.clock.t, retryAfter: "always" });
    try {
      // a at 0 s; b throttled, sent at 50 s; c throttled, sent at 100 s; d: past the 90 s budget.
      const summary = await deliverDue(h.deps({ sweepBudgetMs: 90_000 }));
      expect(summary).toMatchObject({ sent: 3, deadLettered: 0, stoppedEarly: expect.stringMatching(/time budget/) });
      expect(ids.map((id) => acceptedFor(id).length)).toEqual([1, 1, 1, 0]);
    } finally {
      fake.limit(undefined);
    }
  });
});
