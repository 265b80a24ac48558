/** The timer → tenant-checks queue half of the check pipeline, and the check leases that keep a tenant queued once (Azurite, the simulator as Graph). */
import { describe, expect, it } from "vitest";
import { collectAccounts } from "../../lib/graph/collect-accounts.js";
import { enqueueScheduledChecks } from "../../functions/app/schedule.js";
import { checkTenant, scheduleChecks } from "../../functions/handlers/index.js";
import { queueContext, quietContext, sampleInput, takeAll } from "./functions-helpers.js";
import { adatum, app, clock, fabrikam, fresh, litware, parseCheck, timer, useSimulator, woodgrove } from "./functions-checks-helpers.js";

useSimulator();

describe("scheduleChecks", () => {
  it("queues exactly one base64 JSON message per enabled tenant, skipping disabled and in-flight ones, re-queuing an expired lease", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await app.store.tenants.put(sampleInput("Fabrikam"));
    await app.store.tenants.put(sampleInput("Tailspin", { enabled: false }));
    await app.store.tenants.put(sampleInput("Adatum"));
    await app.store.tenants.put(sampleInput("Litware"));
    // Adatum: a check queued 10 minutes ago is still in flight. Litware: its check died two hours ago.
    const leaseMs = app.appSettings.checkLeaseMinutes * 60_000;
    expect((await app.leases.acquire(adatum.tenantId, new Date(clock.now().getTime() - 10 * 60_000), leaseMs, "schedule")).acquired).toBe(true);
    expect((await app.leases.acquire(litware.tenantId, new Date(clock.now().getTime() - 120 * 60_000), leaseMs, "schedule")).acquired).toBe(true);

    const summary = await scheduleChecks(timer, quietContext());
    expect(summary.enqueued).toEqual([woodgrove.tenantId, fabrikam.tenantId, litware.tenantId].sort());
    expect(summary.inFlight.map((s) => s.tenantId)).toEqual([adatum.tenantId]);
    expect(summary.disabled).toBe(1);
    expect(summary.failed).toEqual([]);

    // On the wire: base64 of JSON, as the queue trigger (messageEncoding base64) decodes it.
    const peeked = await app.queues.tenantChecks.client.peekMessages({ numberOfMessages: 32 });
    for (const m of peeked.peekedMessageItems) {
      expect(m.messageText).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(m.messageText, "base64").toString("utf8")).toMatch(/^\{"tenantId":/);
    }
    const messages = (await takeAll(app.queues.tenantChecks.client)).map(parseCheck);
    expect(messages.map((m) => m.tenantId).sort()).toEqual(summary.enqueued);
    for (const m of messages) {
      expect(m).toMatchObject({ reason: "schedule", enqueuedAt: clock.now().toISOString(), leaseId: expect.any(String) });
      expect((await app.leases.current(m.tenantId, clock.now()))?.leaseId).toBe(m.leaseId);
    }

    // The next schedule finds every check still in flight: nothing is queued twice.
    clock.advanceMinutes(30);
    const again = await scheduleChecks(timer, quietContext());
    expect(again.enqueued).toEqual([]);
    expect(again.inFlight.map((s) => s.tenantId).sort()).toEqual([woodgrove.tenantId, fabrikam.tenantId, adatum.tenantId, litware.tenantId].sort());
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);

    // Once the leases run out (the checks died), the tenants are queued again.
    clock.advanceMinutes(app.appSettings.checkLeaseMinutes);
    expect((await scheduleChecks(timer, quietContext())).enqueued).toHaveLength(4);
  });
});

describe("check leases cover the run", () => {
  it("a check claims its lease afresh when it starts, so a schedule during a run after a long backlog queues nothing", async () => {
    const lease = () => app.appSettings.checkLeaseMinutes;
    const seen: { leasedUntil: string | undefined; rescheduled: readonly string[] }[] = [];
    fresh(
      {},
      {
        runner: {
          collectOptions: { sleep: async () => {}, random: () => 0.5 },
          // While the check runs: what the lease says, and what a schedule a little later does.
          collectAccounts: async (client, target, options) => {
            const leasedUntil = (await app.leases.current(target.tenantId, clock.now()))?.leasedUntil;
            clock.advanceMinutes(5);
            seen.push({ leasedUntil, rescheduled: (await enqueueScheduledChecks(app)).enqueued });
            return collectAccounts(client, target, options);
          },
        },
      },
    );
    await app.store.tenants.put(sampleInput("Woodgrove"));
    expect((await scheduleChecks(timer, quietContext())).enqueued).toEqual([woodgrove.tenantId]);
    // The message waits in a backlog for almost the whole lease.
    const startedAt = clock.advanceMinutes(lease() - 1);
    const [text] = await takeAll(app.queues.tenantChecks.client);
    expect(await checkTenant(text, queueContext(1))).toMatchObject({ kind: "checked" });
    expect(seen).toEqual([{ leasedUntil: new Date(startedAt.getTime() + lease() * 60_000).toISOString(), rescheduled: [] }]);
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);
    expect(await app.leases.current(woodgrove.tenantId, clock.now())).toBeUndefined();
  });

  it("a message whose lease ran out in the backlog and was taken by a newer message is skipped as a duplicate; the newer one runs", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Fabrikam"));
    expect((await scheduleChecks(timer, quietContext())).enqueued).toEqual([fabrikam.tenantId]);
    clock.advanceMinutes(app.appSettings.checkLeaseMinutes + 1);
    expect((await scheduleChecks(timer, quietContext())).enqueued).toEqual([fabrikam.tenantId]);
    const [older, newer] = (await takeAll(app.queues.tenantChecks.client)).map(parseCheck).sort((a, b) => a.enqueuedAt.localeCompare(b.enqueuedAt));
    if (!older || !newer) throw new Error("expected two messages");
    expect(await checkTenant(older, queueContext(1))).toMatchObject({ kind: "skipped", why: expect.stringMatching(/duplicate/) });
    // The newer check's lease is untouched by the skipped one.
    expect((await app.leases.current(fabrikam.tenantId, clock.now()))?.leaseId).toBe(newer.leaseId);
    expect(await checkTenant(newer, queueContext(1))).toMatchObject({ kind: "checked", transitions: ["drift-detected"] });
    expect(await app.leases.current(fabrikam.tenantId, clock.now())).toBeUndefined();
    // A retry of a message that still holds its lease (the first attempt failed) is not a duplicate.
    expect((await scheduleChecks(timer, quietContext())).enqueued).toEqual([fabrikam.tenantId]);
    const [again] = (await takeAll(app.queues.tenantChecks.client)).map(parseCheck);
    if (!again) throw new Error("expected a message");
    expect(await app.leases.claim(fabrikam.tenantId, again.leaseId ?? "", clock.now(), 60_000, "schedule")).toMatchObject({ claimed: true, renewed: true });
    expect(await checkTenant(again, queueContext(2))).toMatchObject({ kind: "checked" });
  });
});
