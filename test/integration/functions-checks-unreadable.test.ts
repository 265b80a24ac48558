/** The check pipeline meets unreadable Tenants and state rows: reported or moved aside, never holding up other tenants. */
import { describe, expect, it } from "vitest";
import { TableClient } from "@azure/data-tables";
import { CORRUPT_STATE_PREFIX, type InvalidRow } from "../../lib/store/index.js";
import { encodeValue } from "../../lib/store/monitor/codecs/value.js";
import { minimalState } from "../support/state.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { alertMessageSchema } from "../../functions/queue/index.js";
import { checkTenant, checkTenantPoison, scheduleChecks } from "../../functions/handlers/index.js";
import { drain, queueContext, quietContext, sampleInput, takeAll } from "./functions-helpers.js";
import { app, clock, fabrikam, fresh, poisonOf, timer, useSimulator, woodgrove } from "./functions-checks-helpers.js";

useSimulator();

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

  it("a state row written by a newer version is refused with what to do: not retried, not moved aside, not overwritten, no alert", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    const monitorTable = rawTable(app.store.monitor["table"].name);
    await monitorTable.createTable().catch(() => undefined);
    await monitorTable.createEntity({
      partitionKey: woodgrove.tenantId,
      rowKey: "state",
      ...encodeValue({ ...minimalState(woodgrove.tenantId), schemaVersion: 7, somethingNew: true }),
    });
    const before = await monitorTable.getEntity(woodgrove.tenantId, "state");
    const newer = expect.stringMatching(
      /^state of tenant .* was written by a newer version of Drift Monitor \(schema 7, this version reads up to 2\): upgrade/,
    );
    const message = { tenantId: woodgrove.tenantId, enqueuedAt: clock.now().toISOString(), reason: "schedule" };
    expect(await checkTenant(message, queueContext(1))).toEqual({ kind: "skipped", tenantId: woodgrove.tenantId, why: newer });
    expect(await checkTenantPoison(message, queueContext(1))).toEqual({ kind: "skipped", tenantId: woodgrove.tenantId, why: newer });
    const rows = [];
    for await (const row of monitorTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${woodgrove.tenantId}'` } })) rows.push(String(row.rowKey));
    expect(rows.filter((k) => k.startsWith(CORRUPT_STATE_PREFIX) || k.startsWith("alert|"))).toEqual([]);
    expect((await monitorTable.getEntity(woodgrove.tenantId, "state")).etag).toBe(before.etag);
    expect(await takeAll(app.queues.alerts.client)).toEqual([]);
  });
});
