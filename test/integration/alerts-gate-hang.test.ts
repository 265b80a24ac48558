/**
 * An ACS that never answers, and times stored beyond the wait horizon (by an older version, a
 * broken clock, a hostile server): the real delivery code against Azurite, the ACS fake (hanging)
 * and a local Slack webhook.
 */
import { describe, expect, it, vi } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { sendRollup } from "../../lib/alerts/rollup/send.js";
import { partOf } from "../../lib/store/index.js";
import { alertRowKey } from "../../lib/store/monitor/keys.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { WAIT_HORIZON_MS } from "../../lib/retry/horizon.js";
import { fake, harness, START, useAcsFake } from "./alerts-delivery-helpers.js";
import { driftNow, gateDeps, globalEmails, monitorTable, withHook } from "./alerts-gate-helpers.js";

useAcsFake();

const MINUTE = 60_000;
const CENTURY = "2126-03-04T07:00:00.000Z";

describe("an ACS that never answers", () => {
  it("times out as a retryable failure of the email alone: the webhook posts, other senders are not held, the email goes when ACS answers", () =>
    withHook(async (hook) => {
      try {
        const h = harness();
        const deps = gateDeps(h, hook, {}, 400);
        const before = fake.accepted.length;
        const postsBefore = fake.requests.length;
        fake.hang(true);
        await driftNow(h, "Silent A");
        h.clock.t += 2 * MINUTE;
        const started = Date.now();
        await deliverDue(deps);
        // The webhook's post went; the email's calls were abandoned at their deadline, each a try of the email alone.
        expect(hook.posted).toHaveLength(1);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(fake.requests.slice(postsBefore).filter((r) => r.status === 0).length).toBeGreaterThan(0);
        const [r1] = await h.outbox.rollups.listOpen();
        expect(r1).toMatchObject({ state: "ready", sentChannels: ["webhook"] });
        expect(partOf(r1!, "acs")).toMatchObject({ attempts: expect.any(Number), lastError: expect.stringMatching(/no answer within/) });

        // A sender stuck in the ACS call holds the email's lease only: another sender forms the next summary and posts it.
        h.clock.t += 5 * MINUTE;
        await driftNow(h, "Silent B");
        h.clock.t += 2 * MINUTE;
        // The stuck sender works the email alone (the webhook may be another instance's), and hangs in it for 3 s.
        const slow = gateDeps(h, hook, {}, 3_000);
        let stuckDone = false;
        const arrived = fake.requests.length;
        const stuck = sendRollup({ ...slow, channels: slow.channels.filter((c) => c.name === "acs"), store: h.outbox.rollups, holder: "stuck" }).finally(() => {
          stuckDone = true;
        });
        // Its call has reached ACS (so it holds the email's lease) however loaded the machine is.
        await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(arrived), { timeout: 2_500, interval: 20 });
        expect(await h.outbox.rollups.lease("probe", new Date(h.clock.t), MINUTE, "acs")).toBe(false);
        const moved = await sendRollup({ ...deps, store: h.outbox.rollups, holder: "other" });
        expect(stuckDone).toBe(false);
        expect(moved).toMatchObject({ status: "busy", reason: expect.stringMatching(/acs lease/) });
        expect(hook.posted).toHaveLength(2);
        expect(fake.accepted.length).toBe(before);
        await stuck;

        // ACS answers again: the held summaries' emails go, the older first.
        fake.hang(false);
        for (let i = 0; i < 20 && globalEmails(before).length < 2; i++) {
          h.clock.t += 5 * MINUTE;
          await deliverDue(deps);
        }
        expect(globalEmails(before).map((e) => e.headers["X-Drift-Monitor-Alert"])).toEqual(hook.posted);
        expect(await h.outbox.rollups.listOpen()).toEqual([]);
      } finally {
        fake.hang(false);
      }
    }));
});

describe("tenants' own emails while ACS never answers", () => {
  it("cost the sweep one deadline, not one per row: the rest wait for the next sweep, and all go when ACS answers", () =>
    withHook(async (hook) => {
      try {
        const h = harness();
        const deps = gateDeps(h, hook, {}, 300);
        const drift = SAMPLES["drift-detected"]!.transitions[0]!;
        const own = ["a", "b", "c"].map((x) => `admin@${x}.hang.example`);
        for (const address of own) await h.write(alertOf("t", [drift], { createdAt: new Date(START).toISOString(), recipients: [address] }));
        fake.hang(true);
        const posts = fake.requests.length;
        h.clock.t += 2 * MINUTE;
        const first = await deliverDue(deps);
        // The summary's email and one tenant's email each met the deadline once; the other two rows were not tried.
        expect(fake.requests.slice(posts).filter((r) => r.status === 0)).toHaveLength(2);
        expect(first.retrying).toBe(1);
        expect(first.stoppedEarly).toMatch(/2 rows left/);
        fake.hang(false);
        for (let i = 0; i < 10 && own.some((a) => !fake.accepted.some((e) => e.to.includes(a))); i++) {
          h.clock.t += 5 * MINUTE;
          await deliverDue(deps);
        }
        for (const address of own) expect(fake.accepted.filter((e) => e.to.includes(address))).toHaveLength(1);
      } finally {
        fake.hang(false);
      }
    }));
});

describe("times stored beyond the hour", () => {
  it("are repaired, not obeyed: a century-long throttle marker, quota ledger and summary next try", () =>
    withHook(async (hook) => {
      const h = harness();
      const deps = gateDeps(h, hook);
      const table = monitorTable(h);
      const before = fake.accepted.length;
      const alert = await driftNow(h, "Repaired");
      const tenantId = (await h.outbox.rollups.listOwed()).find((r) => r.alert.id === alert)!.tenantId;
      // A summary as an older version left it: one next try for every channel, a century away.
      const ref = { partition: tenantId, id: alert };
      const id = `rold${START}`;
      const created = await h.outbox.rollups.create(id, [ref], new Date(START));
      expect(await h.outbox.rollups.markAlert((await h.outbox.rollups.getAlert(ref))!, `in:${id}`)).toBe(true);
      await h.outbox.rollups.seal(created, [ref]);
      await table.updateEntity({ partitionKey: "~rollup", rowKey: id, NextAttemptAt: CENTURY, Attempts: 2 }, "Merge");
      // The webhook's 429 marker and the email's quota ledger, a century ahead.
      await table.upsertEntity({ partitionKey: "~delivery", rowKey: "throttle-webhook", Until: CENTURY, Reason: "webhook answered 429" }, "Replace");
      for (const rowKey of ["mail-acs-minute", "mail-acs-hour"]) {
        await table.upsertEntity({ partitionKey: "~budget", rowKey, Tat: Date.parse(CENTURY), IntervalMs: 60, ClaimCells: 1, UpdatedAt: CENTURY }, "Replace");
      }
      h.clock.t += 2 * MINUTE;
      await deliverDue(deps);
      // The email went now: the ledger rows rewritten within an interval, the summary's stored next try ignored.
      expect(globalEmails(before)).toHaveLength(1);
      for (const rowKey of ["mail-acs-minute", "mail-acs-hour"]) {
        const row = await table.getEntity<{ Tat: number }>("~budget", rowKey);
        expect(row.Tat).toBeLessThan(h.clock.t + MINUTE);
      }
      // The marker rewritten to the horizon, and obeyed only that long.
      const marker = await table.getEntity<{ Until: string; Reason: string }>("~delivery", "throttle-webhook");
      expect(Date.parse(marker.Until)).toBeLessThanOrEqual(h.clock.t + WAIT_HORIZON_MS);
      expect(marker.Reason).toMatch(/repaired/);
      expect(hook.posted).toEqual([]);
      h.clock.t = Date.parse(marker.Until) + 1_000;
      await deliverDue(deps);
      expect(hook.posted).toEqual([id]);
      expect(await h.outbox.rollups.get(id)).toMatchObject({ state: "sent" });
    }));
});

describe("a tenant's alert whose next attempt an older version stored a century ahead", () => {
  it("is due now: its email goes, and its next attempt is rewritten by the claim", () =>
    withHook(async (hook) => {
      const h = harness();
      const deps = gateDeps(h, hook);
      const drift = SAMPLES["drift-detected"]!.transitions[0]!;
      const { tenantId, ids } = await h.write(alertOf("c", [drift], { createdAt: new Date(START).toISOString(), recipients: ["admin@century.example"] }));
      await monitorTable(h).updateEntity({ partitionKey: tenantId, rowKey: alertRowKey(ids[0]!), NextAttemptAt: CENTURY, Attempts: 1 }, "Merge");
      h.clock.t += 2 * MINUTE;
      const summary = await deliverDue(deps);
      expect(summary.outcomes).toContainEqual(expect.objectContaining({ id: ids[0], status: "sent" }));
      expect(fake.accepted.filter((e) => e.to.includes("admin@century.example"))).toHaveLength(1);
      expect((await h.outbox.get(tenantId, ids[0]!))?.nextAttemptAt).not.toBe(CENTURY);
    }));
});

describe("an alert stamped ten years ahead (written by a host whose clock runs ahead)", () => {
  it("does not hold the summary until then: the global list and the webhook are told within minutes", () =>
    withHook(async (hook) => {
      const h = harness();
      const deps = gateDeps(h, hook);
      const before = fake.accepted.length;
      const drift = SAMPLES["drift-detected"]!.transitions[0]!;
      const ahead = new Date(h.clock.t + 10 * 365 * 24 * 60 * MINUTE).toISOString();
      await h.write(alertOf("f", [drift], { createdAt: ahead, tenantName: "Clock Ahead", recipients: [] }));
      for (let i = 0; i < 3 && hook.posted.length === 0; i++) {
        h.clock.t += 2 * MINUTE;
        await deliverDue(deps);
      }
      expect(globalEmails(before).map((e) => e.plainText).join()).toMatch(/Clock Ahead/i);
      expect(hook.posted).toHaveLength(1);
    }));
});
