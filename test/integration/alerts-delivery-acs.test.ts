/** Alert delivery through Azure Communication Services (the fake), against the store in Azurite: once, retried, dead-lettered, requeued. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { deliverDue, type DeliveryStore } from "../../lib/alerts/deliver.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { operationIdFor } from "../../lib/alerts/ids.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { parseMime } from "../unit/alerts/mime-parser.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { START, acceptedFor, crashingOnce, fake, harness, postsFor, temps, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("ACS delivery", () => {
  it("delivers a row once, to the tenant's and the global recipients de-duplicated, and marks it sent", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
    const id = ids[0]!;
    const summary = await deliverDue(h.deps());
    expect(summary).toMatchObject({ sent: 1, retrying: 0, deadLettered: 0, errors: 0 });
    const [email] = acceptedFor(id);
    expect(email?.to).toEqual(["ops@contoso.com", "noc@msp.example"]);
    expect(email?.senderAddress).toBe("DoNotReply@drift.example.com");
    expect(email?.subject).toMatch(/^\[Drift\] Contoso — connection account blocked by CA policy/);
    expect(email?.plainText).toContain("Users → Exclude");
    expect(email?.html).toContain("<table");

    const row = await h.outbox.get(tenantId, id);
    expect(row).toMatchObject({ delivery: "sent", attempts: 1, sentChannels: ["acs"], lastError: null });
    // The Monitor repository reads the same columns.
    expect(await h.store.monitor.getAlert(tenantId, id)).toMatchObject({ delivery: "sent", attempts: 1 });

    expect(await deliverDue(h.deps())).toMatchObject({ sent: 0, outcomes: [] });
    expect(postsFor(id)).toHaveLength(1);
  });

  it("retries after a 429, waiting what Retry-After asked", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.resolved!);
    fake.script({ status: 429, retryAfterSeconds: 7 });
    const summary = await deliverDue(h.deps());
    expect(summary).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(h.sleeps).toEqual([7_000]);
    expect(postsFor(ids[0]!).map((p) => p.status)).toEqual([429, 202]);
    expect(acceptedFor(ids[0]!)).toHaveLength(1);
    // Being told to wait is not a failed attempt.
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, throttled: 1, lastError: expect.stringContaining("429") });
  });

  it("leaves a long Retry-After to the next sweep and stops sending to a throttled service", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.reminder!, SAMPLES["monitoring-restored"]!);
    fake.script({ status: 429, retryAfterSeconds: 120 });
    const first = await deliverDue(h.deps());
    expect(first).toMatchObject({ sent: 0, retrying: 1 });
    expect(first.stoppedEarly).toMatch(/throttled/);
    expect(h.sleeps).toEqual([]);
    const row = await h.outbox.get(tenantId, ids[0]!);
    expect(row?.nextAttemptAt).toBe(new Date(START + 120_000).toISOString());
    expect(await h.outbox.markers.throttledUntil("acs", new Date(h.clock.t))).toEqual(new Date(START + 120_000));
    h.clock.t += 60_000;
    // The other row was never throttled itself, but the sender is: the sweep waits out the minute left.
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1 });
    expect(h.sleeps).toEqual([60_000]);
    expect(acceptedFor(ids[1]!)).toHaveLength(1);
    h.clock.t += 60_000;
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1 });
    expect(ids.map((id) => acceptedFor(id).length)).toEqual([1, 1]);
  });

  it("never sends twice when the sender crashes between sending and recording it", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["security-notice"]!);
    const deps = h.deps();
    let crashed = false;
    const crashing: DeliveryStore = {
      ...crashingOnce(deps.store),
      markSent: (...a) => deps.store.markSent(...a),
      recordChannelSent: async (...a) => {
        if (!crashed) {
          crashed = true;
          throw new Error("process killed after the send");
        }
        return deps.store.recordChannelSent(...a);
      },
    };
    const first = await deliverDue({ ...deps, store: crashing });
    expect(first).toMatchObject({ sent: 0, errors: 1 });
    expect(acceptedFor(ids[0]!)).toHaveLength(1);
    // Leased: a sweep right now leaves it alone (the dead sender might still be at it).
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ outcomes: [] });
    h.clock.t += 5 * 60_000 + 1;
    const second = await deliverDue({ ...deps, store: crashing });
    expect(second).toMatchObject({ sent: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(2); // sent again with the same operation id…
    expect(acceptedFor(ids[0]!)).toHaveLength(1); // …which the service folds into the first
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 2 });
  });

  it("a sender that dies after recording the send but before marking it sent: marked sent without sending again", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["security-notice"]!);
    const deps = h.deps();
    const crashing = crashingOnce(deps.store);
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 0, errors: 1 });
    h.clock.t += 5 * 60_000 + 1;
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(1);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, sentChannels: ["acs"] });
  });

  it("does not double-send when two senders sweep at once", async () => {
    const h = harness();
    const { ids } = await h.write(SAMPLES["monitoring-degraded"]!);
    const [a, b] = await Promise.all([deliverDue(h.deps()), deliverDue(h.deps())]);
    expect(a.sent + b.sent).toBe(1);
    // The loser either saw the row leased (not due) or lost the claim's ETag race.
    expect(a.outcomes.length + b.outcomes.length - a.skipped - b.skipped).toBe(1);
    expect(postsFor(ids[0]!)).toHaveLength(1);
  });

  it("dead-letters after ALERT_MAX_ATTEMPTS, and the digest lists it", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(alertOf("dead", SAMPLES["drift-detected"]!.transitions));
    fake.script({ status: 500 }, { status: 503 }, { status: 500 });
    const deps = h.deps({ env: { ALERT_MAX_ATTEMPTS: "3" }, backoff: { baseMs: 1_000, maxMs: 10_000 } });
    const summary = await deliverDue(deps);
    expect(summary).toMatchObject({ sent: 0, deadLettered: 1 });
    expect(h.sleeps).toHaveLength(2);
    expect(acceptedFor(ids[0]!)).toHaveLength(0);
    const [dead] = await h.outbox.listDeadLettered({ tenantId });
    expect(dead).toMatchObject({ delivery: "failed", attempts: 3, lastError: expect.stringMatching(/acs: ACS 500 .*gave up after 3 attempts/) });
    expect(await deliverDue(deps)).toMatchObject({ outcomes: [] });

    const dir = mkdtempSync(join(tmpdir(), "digest-"));
    temps.push(dir);
    const emlSettings = loadAlertSettings({ OUTBOX_DIR: dir, ALERT_TO: "noc@msp.example" });
    const result = await sendDigest({
      sources: {
        listStates: () => h.store.monitor.listStates(),
        listTenants: () => h.store.tenants.list(),
        listDeadLettered: () => h.outbox.listDeadLettered(),
      },
      channels: createChannels(emlSettings),
      settings: emlSettings,
      now: () => new Date(h.clock.t),
      sleep: async () => undefined,
    });
    expect(result.channels[0]?.outcome.ok).toBe(true);
    const mail = parseMime(readFileSync(join(dir, `${result.id}.eml`), "utf8"));
    expect(mail.subject).toContain("1 undelivered alert");
    expect(mail.parts[0]?.body).toContain(ids[0]!);
  });

  it("dead-letters at once what repeating cannot fix (the service failed the operation)", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(alertOf("bounce", SAMPLES.resolved!.transitions, { recipients: ["bounce@example.com"] }));
    expect(await deliverDue(h.deps({ env: { ALERT_TO: "" } }))).toMatchObject({ deadLettered: 1 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "failed", attempts: 1, lastError: expect.stringMatching(/failed/) });
  });
});

describe("requeue", () => {
  it("sends a requeued alert that ACS accepted and then failed under a new operation id", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
    fake.failOperations(1);
    expect(await deliverDue(h.deps())).toMatchObject({ deadLettered: 1 });
    const [dead] = await h.outbox.listDeadLettered({ tenantId });
    expect(dead).toMatchObject({ generation: 0, lastError: expect.stringMatching(/failed/) });
    const requeued = await h.outbox.requeue(dead!);
    expect(requeued).toMatchObject({ delivery: "pending", attempts: 0, generation: 1 });
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1, deadLettered: 0 });
    const ops = fake.accepted.filter((a) => a.headers["X-Drift-Monitor-Alert"] === ids[0]).map((a) => a.operationId);
    expect(ops).toEqual([operationIdFor(ids[0]!), operationIdFor(ids[0]!, 1)]);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", generation: 1, attempts: 1 });
  });
});
