/**
 * The check pipeline of the Functions app, through the exported handlers: timer → tenant-checks
 * queue (Azurite, read back with the real QueueClient) → checkTenant → state and outbox in Table
 * Storage → alerts queue, with the simulator as Graph. No part of the product is replaced.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { TableClient } from "@azure/data-tables";
import { collectFacts } from "../../lib/graph/collect.js";
import { CORRUPT_STATE_PREFIX, type InvalidRow } from "../../lib/store/index.js";
import { enqueueScheduledChecks } from "../../functions/app/schedule.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { setApp, type App } from "../../functions/app/index.js";
import { alertMessageSchema, poisonQueueName, QUEUE_HOST_SETTINGS, tenantCheckMessageSchema, type TenantCheckMessage } from "../../functions/queue/index.js";
import { checkTenant, checkTenantPoison, scheduleChecks } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { drain, queueContext, quietContext, sampleInput, takeAll, testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
let app: App;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => setApp(undefined));

function fresh(env: Record<string, string> = {}, options: Parameters<typeof testApp>[3] = {}): App {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock, env, options);
  setApp(app);
  return app;
}

const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
const serviceClient = () => QueueServiceClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "");
const poisonOf = (queue: QueueClient) => serviceClient().getQueueClient(poisonQueueName(queue.name));
const parseCheck = (text: string): TenantCheckMessage => tenantCheckMessageSchema.parse(JSON.parse(text));

const woodgrove = sampleTenant("Woodgrove");
const fabrikam = sampleTenant("Fabrikam");
const adatum = sampleTenant("Adatum");
const litware = sampleTenant("Litware");

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

describe("checkTenant", () => {
  it("consumes the messages the timer produced: runs the check, queues the alert, releases the lease", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await app.store.tenants.put(sampleInput("Fabrikam"));
    await scheduleChecks(timer, quietContext());

    const stats = await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.client), checkTenant);
    expect([...stats.invocations.values()]).toEqual([1, 1]);
    expect(stats.poisoned).toEqual([]);

    const fab = await app.store.monitor.readState(fabrikam.tenantId);
    expect(fab?.state.lastReport.status).toBe("drifted");
    expect((await app.store.monitor.readState(woodgrove.tenantId))?.state.lastReport.status).toBe("compliant");
    for (const t of [fabrikam, woodgrove]) expect(await app.leases.current(t.tenantId, clock.now())).toBeUndefined();

    // Exactly one alert, for the drifted tenant, pointing at its outbox row.
    const alerts = (await takeAll(app.queues.alerts.client)).map((t) => alertMessageSchema.parse(JSON.parse(t)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.tenantId).toBe(fabrikam.tenantId);
    const row = await app.store.monitor.getAlert(fabrikam.tenantId, alerts[0]?.alertId ?? "");
    expect(row?.alert.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);
    expect(row?.delivery).toBe("pending");
  });

  it("accepts the object the host parses from a JSON message, and a redelivered message writes no second alert", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Fabrikam"));
    const message = { tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" };
    const first = await checkTenant(message, queueContext(1));
    expect(first).toMatchObject({ kind: "checked", status: "drifted", transitions: ["drift-detected"], alertQueued: true });
    const second = await checkTenant(JSON.stringify(message), queueContext(2));
    expect(second).toMatchObject({ kind: "checked", status: "drifted", transitions: [], alertQueued: false });
    expect(await takeAll(app.queues.alerts.client)).toHaveLength(1);
  });

  it("drops a malformed message instead of failing it forever", async () => {
    fresh();
    for (const bad of ["not json", "{}", JSON.stringify({ tenantId: "nope", enqueuedAt: "yesterday", reason: "schedule" }), 42]) {
      await expect(checkTenant(bad, queueContext(1))).resolves.toBeUndefined();
    }
  });

  it("skips a tenant deleted after it was queued, and releases its lease", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await scheduleChecks(timer, quietContext());
    await app.store.tenants.delete(woodgrove.tenantId);
    const [text] = await takeAll(app.queues.tenantChecks.client);
    expect(await checkTenant(text, queueContext(1))).toMatchObject({ kind: "skipped" });
    expect(await app.leases.current(woodgrove.tenantId, clock.now())).toBeUndefined();
  });

  it("a poisoned tenant is retried by the host, recorded as unknown with the reason, and ends degraded; the others proceed", async () => {
    fresh(); // UNKNOWN_ALERT_AFTER at its default, 3
    await app.store.tenants.put(sampleInput("Woodgrove"));
    // A profile that no longer exists: runTenantCheck throws on every attempt.
    await app.store.tenants.put(sampleInput("Fabrikam", { profile: "retired-profile" }));
    const queue = app.queues.tenantChecks.client;
    const poison = poisonOf(queue);

    const kinds: string[][] = [];
    for (let run = 1; run <= 3; run++) {
      const summary = await scheduleChecks(timer, quietContext());
      expect(summary.enqueued).toHaveLength(2);
      const stats = await drain(queue, poison, checkTenant);
      const byTenant = new Map([...stats.invocations].map(([text, n]) => [parseCheck(text).tenantId, n]));
      expect(byTenant.get(fabrikam.tenantId)).toBe(QUEUE_HOST_SETTINGS.maxDequeueCount);
      expect(byTenant.get(woodgrove.tenantId)).toBe(1);
      // Recorded on the last attempt, so nothing reaches the poison queue.
      expect(stats.poisoned).toEqual([]);

      const state = (await app.store.monitor.readState(fabrikam.tenantId))?.state;
      expect(state?.lastReport.status).toBe("unknown");
      expect(state?.consecutiveUnknown).toBe(run);
      expect(state?.lastReport.checks.every((c) => c.status === "unknown" && /failed 3 times in a row: UnknownProfileError/.test(c.reason ?? ""))).toBe(true);
      expect((await app.store.monitor.readState(woodgrove.tenantId))?.state.lastReport.status).toBe("compliant");
      for (const t of [fabrikam, woodgrove]) expect(await app.leases.current(t.tenantId, clock.now())).toBeUndefined();

      const alerts = (await takeAll(app.queues.alerts.client)).map((t) => alertMessageSchema.parse(JSON.parse(t)));
      kinds.push(
        (await Promise.all(alerts.map((a) => app.store.monitor.getAlert(a.tenantId, a.alertId)))).flatMap((r) => r?.alert.transitions.map((t) => t.kind) ?? []),
      );
      clock.advanceMinutes(30);
    }
    // Degraded once, after UNKNOWN_ALERT_AFTER runs — not on the first failure.
    expect(kinds).toEqual([[], [], ["monitoring-degraded"]]);
    const degraded = (await app.store.monitor.readState(fabrikam.tenantId))?.state;
    expect(degraded?.degradedAlertedAt).not.toBeNull();
    expect(await takeAll(poison)).toEqual([]);
  });

  it("a message the host gave up on (tenant-checks-poison) is recorded as unknown", async () => {
    fresh({ UNKNOWN_ALERT_AFTER: "1" });
    await app.store.tenants.put(sampleInput("Woodgrove"));
    const message = { tenantId: woodgrove.tenantId, enqueuedAt: clock.now().toISOString(), reason: "schedule" };
    const result = await checkTenantPoison(JSON.stringify(message), queueContext(1));
    expect(result).toMatchObject({ kind: "poisoned", transitions: ["monitoring-degraded"], alertQueued: true });
    const state = (await app.store.monitor.readState(woodgrove.tenantId))?.state;
    expect(state?.lastReport.checks[0]?.reason).toMatch(/did not complete in 3 attempts/);
  });
});

/** A raw client on one of the app's tables, to write rows the product would never write. */
const rawTable = (name: string) => TableClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "", name, { allowInsecureConnection: true });

describe("unreadable rows", () => {
  it(
    "a garbage Tenants row is reported, not scheduled, and holds up no one; a garbage state row is moved aside and the tenant recovers, raising " +
      "monitoring degraded",
    async () => {
      fresh(); // UNKNOWN_ALERT_AFTER at its default, 3: the corrupt state raises degraded at once anyway
      await app.store.tenants.put(sampleInput("Woodgrove"));
      await app.store.tenants.put(sampleInput("Fabrikam"));
      const tenantsTable = rawTable(app.store.tenants["table"].name);
      const monitorTable = rawTable(app.store.monitor["table"].name);
      const badTenant = "99999999-8888-4777-8666-555555555555";
      await tenantsTable.createEntity({ partitionKey: "tenant", rowKey: badTenant, DisplayName: "Broken", Account: 7, Recipients: "[oops", Enabled: true });
      // Woodgrove: a state row that does not parse (a hand edit, a truncated write).
      await monitorTable.createTable().catch(() => undefined);
      await monitorTable.createEntity({
        partitionKey: woodgrove.tenantId,
        rowKey: "state",
        Encoding: "json+gzip",
        Parts: 1,
        Bytes: 2,
        Data_0: new Uint8Array([7, 7]),
      });

      const invalid: InvalidRow[] = [];
      expect((await app.store.tenants.list({ onInvalid: (r) => invalid.push(r) })).map((t) => t.tenantId).sort()).toEqual(
        [fabrikam.tenantId, woodgrove.tenantId].sort(),
      );
      expect(invalid.map((r) => r.tenantId)).toEqual([badTenant]);

      // The schedule queues both readable tenants and reports the unreadable row: the handler logs it
      // and fails the invocation, so it shows.
      const logged: string[] = [];
      const context = invocationContext({ logHandler: (level, ...args) => void (level === "error" && logged.push(args.join(" "))) });
      await expect(scheduleChecks(timer, context)).rejects.toThrow(/1 tenant\(s\) could not be queued/);
      expect(logged).toEqual([expect.stringMatching(new RegExp(`tenant ${badTenant} not queued: .*Tenants row is unreadable`))]);
      expect((await app.queues.tenantChecks.client.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(2);

      // Woodgrove is recorded on its first attempt (retrying cannot repair the row): unknown with the
      // reason, degraded at once, the bad row kept aside. Fabrikam is checked as usual.
      const stats = await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.client), checkTenant);
      expect([...stats.invocations.values()]).toEqual([1, 1]);
      expect(stats.poisoned).toEqual([]);
      const recovered = (await app.store.monitor.readState(woodgrove.tenantId))?.state;
      expect(recovered?.lastReport.status).toBe("unknown");
      expect(recovered?.lastReport.checks[0]?.reason).toMatch(/stored state was unreadable .* moved aside to state-corrupt\|/);
      expect(recovered?.degradedAlertedAt).not.toBeNull();
      expect((await app.store.monitor.readState(fabrikam.tenantId))?.state.lastReport.status).toBe("drifted");
      const aside = [];
      for await (const row of monitorTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${woodgrove.tenantId}'` } })) {
        if (String(row.rowKey).startsWith(CORRUPT_STATE_PREFIX)) aside.push(row);
      }
      expect(aside).toHaveLength(1);
      const alerts = (await takeAll(app.queues.alerts.client)).map((t) => alertMessageSchema.parse(JSON.parse(t)));
      const kindsOf = async (tenantId: string) =>
        (await Promise.all(alerts.filter((a) => a.tenantId === tenantId).map((a) => app.store.monitor.getAlert(a.tenantId, a.alertId)))).flatMap(
          (r) => r?.alert.transitions.map((t) => t.kind) ?? [],
        );
      expect(await kindsOf(woodgrove.tenantId)).toEqual(["monitoring-degraded"]);
      expect(await kindsOf(fabrikam.tenantId)).toEqual(["drift-detected"]);

      // Every state lists again; the next run checks Woodgrove for real and says monitoring is restored.
      expect((await app.store.monitor.listStates()).map((s) => s.tenantId).sort()).toEqual([fabrikam.tenantId, woodgrove.tenantId].sort());
      clock.advanceMinutes(60);
      await tenantsTable.deleteEntity("tenant", badTenant);
      expect((await scheduleChecks(timer, quietContext())).enqueued).toHaveLength(2);
      await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.client), checkTenant);
      expect((await app.store.monitor.readState(woodgrove.tenantId))?.state.lastReport.status).toBe("compliant");
      const next = (await takeAll(app.queues.alerts.client)).map((t) => alertMessageSchema.parse(JSON.parse(t)));
      const restored = await Promise.all(next.filter((a) => a.tenantId === woodgrove.tenantId).map((a) => app.store.monitor.getAlert(a.tenantId, a.alertId)));
      expect(restored.flatMap((r) => r?.alert.transitions.map((t) => t.kind) ?? [])).toEqual(["monitoring-restored"]);
    },
  );

  it("a message for a tenant whose Tenants row is unreadable is skipped, not retried forever", async () => {
    fresh();
    const badTenant = "99999999-8888-4777-8666-555555555555";
    await app.store.tenants.list();
    await rawTable(app.store.tenants["table"].name).createEntity({ partitionKey: "tenant", rowKey: badTenant, DisplayName: "Broken" });
    const message = { tenantId: badTenant, enqueuedAt: clock.now().toISOString(), reason: "schedule" };
    expect(await checkTenant(message, queueContext(1))).toMatchObject({ kind: "skipped", why: expect.stringMatching(/registration is unreadable/) });
    expect(await checkTenantPoison(message, queueContext(1))).toMatchObject({ kind: "skipped", why: expect.stringMatching(/registration is unreadable/) });
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
          collect: async (client, target, options) => {
            const leasedUntil = (await app.leases.current(target.tenantId, clock.now()))?.leasedUntil;
            clock.advanceMinutes(5);
            seen.push({ leasedUntil, rescheduled: (await enqueueScheduledChecks(app)).enqueued });
            return collectFacts(client, target, options);
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
