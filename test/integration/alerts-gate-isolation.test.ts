/**
 * One channel waiting or failing holds only itself: the real delivery code (deliverDue with the
 * roll-up, as the app wires it) against Azurite, the ACS fake and a local Slack webhook. The other
 * channel's summary goes out on time, every wait stored is within the hour, and the held summaries
 * go, oldest first, when their channel recovers.
 */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { partOf } from "../../lib/store/index.js";
import { WAIT_HORIZON_MS } from "../../lib/retry/horizon.js";
import { fake, harness, START, useAcsFake, type Harness } from "./alerts-delivery-helpers.js";
import { driftNow, gateDeps, globalEmails, monitorTable, withHook } from "./alerts-gate-helpers.js";

useAcsFake();

const MINUTE = 60_000;

/** Sweeps every 5 minutes of the test's clock until `done` or `limit` sweeps. */
async function sweepUntil(h: Harness, deps: ReturnType<typeof gateDeps>, done: () => boolean, limit: number): Promise<void> {
  for (let i = 0; i < limit && !done(); i++) {
    const at = h.clock.t;
    await deliverDue(deps);
    h.clock.t = Math.max(h.clock.t, at + 5 * MINUTE);
  }
}

const summaryIds = (from: number) => globalEmails(from).map((e) => e.headers["X-Drift-Monitor-Alert"]);

describe("a webhook answering 429 with Retry-After: 3153600000 (a century)", () => {
  it("waits at most an hour, holds only itself, and posts what it owes, oldest first, once it takes posts again", () =>
    withHook(async (hook) => {
      const h = harness();
      const deps = gateDeps(h, hook);
      const before = fake.accepted.length;
      hook.mode = { kind: "throttled", retryAfter: "3153600000" };
      await driftNow(h, "Century A");
      h.clock.t += 2 * MINUTE;
      const first = await deliverDue(deps);
      expect(first.rollup).toMatchObject({ status: "waiting", reason: expect.stringMatching(/webhook.*429/) });
      // The global list has its summary at once.
      expect(globalEmails(before)).toHaveLength(1);
      expect(globalEmails(before)[0]!.plainText).toMatch(/Century A/i);
      // What is stored is within the hour: the shared marker and the summary's own next try of the webhook.
      const marker = await monitorTable(h).getEntity<{ Until: string }>("~delivery", "throttle-webhook");
      expect(Date.parse(marker.Until)).toBeLessThanOrEqual(h.clock.t + WAIT_HORIZON_MS);
      expect(Date.parse(marker.Until)).toBeGreaterThan(h.clock.t + WAIT_HORIZON_MS - MINUTE);
      const [r1] = await h.outbox.rollups.listOpen();
      expect(r1).toMatchObject({ state: "ready", sentChannels: ["acs"] });
      expect(Date.parse(partOf(r1!, "webhook").nextAttemptAt!)).toBeLessThanOrEqual(h.clock.t + WAIT_HORIZON_MS);
      expect(partOf(r1!, "webhook").attempts).toBe(0);

      // A new drift a few minutes later: its summary's email goes on time, not behind the webhook's wait.
      h.clock.t += 5 * MINUTE;
      const bornAt = h.clock.t;
      await driftNow(h, "Century B");
      h.clock.t += 2 * MINUTE;
      await deliverDue(deps);
      expect(globalEmails(before)).toHaveLength(2);
      expect(globalEmails(before)[1]!.plainText).toMatch(/Century B/i);
      expect(h.clock.t - bornAt).toBeLessThan(5 * MINUTE);
      expect(hook.posted).toEqual([]);

      // The webhook takes posts again: within the hour both summaries go, the older first, each once.
      hook.mode = { kind: "ok" };
      await sweepUntil(h, deps, () => hook.posted.length >= 2, 20);
      expect(hook.posted).toEqual(summaryIds(before));
      expect(h.clock.t - START).toBeLessThan(2 * WAIT_HORIZON_MS);
      expect(await h.outbox.rollups.listOpen()).toEqual([]);
      await sweepUntil(h, deps, () => false, 2);
      expect(hook.posted).toHaveLength(2);
      expect(globalEmails(before)).toHaveLength(2);
    }));
});

describe("a webhook that is down for hours", () => {
  it("holds only its own posts; a new drift's email goes within minutes; the posts go when it is back", () =>
    withHook(async (hook) => {
      const h = harness();
      // Enough tries to outlast three hours of backoff (capped at an hour): this test is about isolation, not giving up.
      const deps = gateDeps(h, hook, { ALERT_MAX_ATTEMPTS: "20" });
      const before = fake.accepted.length;
      hook.mode = { kind: "down" };
      await driftNow(h, "Outage A");
      h.clock.t += 2 * MINUTE;
      await deliverDue(deps);
      expect(globalEmails(before)).toHaveLength(1);
      // An hour into the outage, a new drift.
      await sweepUntil(h, deps, () => h.clock.t >= START + 60 * MINUTE, 100);
      const bornAt = h.clock.t;
      await driftNow(h, "Outage B");
      await sweepUntil(h, deps, () => globalEmails(before).length >= 2, 10);
      expect(globalEmails(before)[1]!.plainText).toMatch(/Outage B/i);
      // Settled (a minute) and sent by the next sweep: not the 75 minutes of waiting for the webhook to be given up on.
      expect(h.clock.t - bornAt).toBeLessThanOrEqual(10 * MINUTE);
      await sweepUntil(h, deps, () => h.clock.t >= START + 180 * MINUTE, 100);
      expect(hook.requests).toBeGreaterThan(3);
      expect(hook.posted).toEqual([]);
      const open = await h.outbox.rollups.listOpen();
      expect(open.map((r) => r.sentChannels)).toEqual([["acs"], ["acs"]]);
      // The older one is the webhook's to retry (many tries, every wait within the hour); the newer waits its turn behind it, untried.
      expect(partOf(open[0]!, "webhook").attempts).toBeGreaterThan(3);
      expect(Date.parse(partOf(open[0]!, "webhook").nextAttemptAt!)).toBeLessThanOrEqual(h.clock.t + WAIT_HORIZON_MS);
      expect(partOf(open[1]!, "webhook")).toMatchObject({ attempts: 0, nextAttemptAt: null });

      hook.mode = { kind: "ok" };
      await sweepUntil(h, deps, () => hook.posted.length >= 2, 20);
      expect(hook.posted).toEqual(summaryIds(before));
      expect(await h.outbox.rollups.listOpen()).toEqual([]);
      expect(globalEmails(before)).toHaveLength(2);
    }));
});
