/** checkTenant through the exported handlers: tenant-checks queue → state and outbox in Table Storage → alerts queue, with the simulator as Graph. */
import type { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { collectAccounts } from "../../lib/graph/collect-accounts.js";
import { alertMessageSchema, QUEUE_HOST_SETTINGS } from "../../functions/queue/index.js";
import { checkTenant, checkTenantPoison, scheduleChecks } from "../../functions/handlers/index.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { drain, queueContext, quietContext, sampleInput, takeAll } from "./functions-helpers.js";
import { app, clock, fabrikam, fresh, parseCheck, poisonOf, simulator, timer, useSimulator, woodgrove } from "./functions-checks-helpers.js";

useSimulator();

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
    expect(second).toMatchObject({ kind: "skipped", why: "a repeat: this message's check is already recorded" });
    expect(await takeAll(app.queues.alerts.client)).toHaveLength(1);
  });

  it("ends the check's log line with the 429s Graph answered it, retried ones included, and the next check starts from none", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    simulator().state.addFault({ tenantId: woodgrove.tenantId, endpoint: "caPolicies", kind: "429", times: 1, retryAfterSeconds: 0 });
    const lines: string[] = [];
    const context = (): InvocationContext =>
      invocationContext({ triggerMetadata: { dequeueCount: 1, id: "m" }, logHandler: (_level, ...args) => lines.push(args.join(" ")) });
    const message = { tenantId: woodgrove.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" };
    expect(await checkTenant(message, context())).toMatchObject({ kind: "checked", status: "compliant" });
    clock.advanceMinutes(30);
    expect(await checkTenant({ ...message, enqueuedAt: clock.now().toISOString() }, context())).toMatchObject({ kind: "checked" });
    const checked = lines.filter((l) => l.startsWith(`checkTenant: tenant ${woodgrove.tenantId} is `));
    expect(checked).toHaveLength(2);
    expect(checked[0]).toMatch(/; graph 429s 1$/);
    expect(checked[1]).not.toContain("graph 429s");
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
    // UNKNOWN_ALERT_AFTER at its default, 3. Fabrikam's collection throws on every attempt.
    fresh(
      {},
      {
        runner: {
          collectOptions: { sleep: async () => {}, random: () => 0.5 },
          collectAccounts: async (client, target, options) => {
            if (target.tenantId === fabrikam.tenantId) throw new Error("the collector broke");
            return collectAccounts(client, target, options);
          },
        },
      },
    );
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await app.store.tenants.put(sampleInput("Fabrikam"));
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
      expect(state?.lastReport.checks.every((c) => c.status === "unknown" && /failed 3 times in a row: .*the collector broke/.test(c.reason ?? ""))).toBe(true);
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
