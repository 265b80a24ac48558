/**
 * Stored rows against Azurite as another version of Drift Monitor left them: a check this version
 * does not know, an older schema version (read, migrated in memory), a newer one (refused, left as
 * it is, never taken for an unreadable row).
 */
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import { NewerSchemaError } from "../../lib/model/versioned.js";
import { createOutboxDelivery, createStore, CorruptStateError, type InvalidRow } from "../../lib/store/index.js";
import { encodeValue } from "../../lib/store/monitor/codecs/value.js";
import { minimalState, openFinding } from "../support/state.js";
import { alert, connectionString, tables, target } from "./store-helpers.js";

const raw = (table: string) => TableClient.fromConnectionString(connectionString(), table, { allowInsecureConnection: true });

/** A state whose report and open finding belong to a check no version of this code has. */
function stateOfGoneCheck(tenantId: string) {
  const base = minimalState(tenantId);
  return {
    ...base,
    lastReport: { ...base.lastReport, checks: [{ id: "retired-check", status: "fail", summary: "It failed" }] },
    findings: [openFinding("retired-check", "It failed")],
  };
}

describe("store: rows of other versions", () => {
  it("reads a state row holding a check id this version does not know, alone and in the estate", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const tenantId = randomUUID();
    await monitor.listStates(); // creates the table
    await raw(t.monitorTable).createEntity({ partitionKey: tenantId, rowKey: "state", ...encodeValue(stateOfGoneCheck(tenantId)) });
    const read = await monitor.readState(tenantId);
    expect(read?.state.findings.map((f) => f.checkId)).toEqual(["retired-check"]);
    expect(read?.state.lastReport.checks.map((c) => c.id)).toEqual(["retired-check"]);
    const invalid: InvalidRow[] = [];
    expect((await monitor.listStates({ onInvalid: (r) => invalid.push(r) })).map((s) => s.tenantId)).toEqual([tenantId]);
    expect(invalid).toEqual([]);
  });

  it("refuses a state row of a newer schema as such, leaves it as it is and never quarantines it", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const tenantId = randomUUID();
    await monitor.listStates();
    const table = raw(t.monitorTable);
    await table.createEntity({ partitionKey: tenantId, rowKey: "state", ...encodeValue({ ...minimalState(tenantId), schemaVersion: 9, newField: [1] }) });
    const before = await table.getEntity(tenantId, "state");

    const error = await monitor.readState(tenantId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NewerSchemaError);
    expect(error).not.toBeInstanceOf(CorruptStateError);
    expect((error as Error).message).toBe(
      `state of tenant ${tenantId} was written by a newer version of Drift Monitor (schema 9, this version reads up to 2): ` +
        "upgrade Drift Monitor (every instance) to read it; the row is left as it is",
    );
    const invalid: InvalidRow[] = [];
    expect(await monitor.listStates({ onInvalid: (r) => invalid.push(r) })).toEqual([]);
    expect(invalid).toEqual([{ tenantId, rowKey: "state", error: expect.stringContaining("newer version of Drift Monitor (schema 9") }]);
    expect((await table.getEntity(tenantId, "state")).etag).toBe(before.etag);
  });

  it("reads a version-1 outbox alert as the current version; refuses a newer one to its senders without touching it", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const outbox = createOutboxDelivery(target(), { monitorTable: t.monitorTable });
    const tenantId = randomUUID();
    await monitor.listStates();
    const table = raw(t.monitorTable);
    const v2 = alert(tenantId, "old");
    const delivery = { CreatedAt: v2.createdAt, Delivery: "pending", Attempts: 0, Rollup: "owed" };
    await table.createEntity({ partitionKey: tenantId, rowKey: "alert|old", ...encodeValue({ ...v2, schemaVersion: 1 }), ...delivery });
    await table.createEntity({ partitionKey: tenantId, rowKey: "alert|new", ...encodeValue({ ...alert(tenantId, "new"), schemaVersion: 4 }), ...delivery });

    expect((await monitor.getAlert(tenantId, "old"))?.alert).toEqual(v2);
    await expect(monitor.getAlert(tenantId, "new")).rejects.toBeInstanceOf(NewerSchemaError);
    const invalid: InvalidRow[] = [];
    const pending = await outbox.listUndelivered({ tenantId, onInvalid: (r) => invalid.push(r) });
    expect(pending.map((r) => r.alert)).toEqual([v2]);
    expect(invalid).toEqual([{ tenantId, rowKey: "alert|new", error: expect.stringContaining("(schema 4, this version reads up to 3)") }]);
    expect(await table.getEntity(tenantId, "alert|new")).toMatchObject({ Delivery: "pending", Attempts: 0 });
  });

  it("Tenants rows: writes SchemaVersion, reads a row without one, refuses a newer one", async () => {
    const t = tables();
    const store = createStore(target(), t);
    const saved = await store.tenants.put({ tenantId: randomUUID(), displayName: "Now", account: "svc@contoso.com" });
    const table = raw(t.tenantsTable);
    expect(await table.getEntity("tenant", saved.tenantId)).toMatchObject({ SchemaVersion: 2 });

    const old = randomUUID();
    const columns = { DisplayName: "Old", Account: "svc@contoso.com", AccountObjectId: "", Recipients: "[]", Profile: "strict", Enabled: true };
    await table.createEntity({ partitionKey: "tenant", rowKey: old, ...columns });
    expect(await store.tenants.get(old)).toMatchObject({
      tenantId: old,
      displayName: "Old",
      accounts: [{ key: "", ref: "svc@contoso.com", kind: "connection" }],
    });

    const newer = randomUUID();
    await table.createEntity({ partitionKey: "tenant", rowKey: newer, ...columns, SchemaVersion: 3 });
    await expect(store.tenants.get(newer)).rejects.toThrow(`Tenants row ${newer} was written by a newer version of Drift Monitor (schema 3`);
    const invalid: InvalidRow[] = [];
    expect((await store.tenants.list({ onInvalid: (r) => invalid.push(r) })).map((x) => x.tenantId).sort()).toEqual([saved.tenantId, old].sort());
    expect(invalid).toEqual([{ tenantId: newer, rowKey: newer, error: expect.stringContaining("newer version"), newer: true }]);
    // Registering it again (the CLI's `tenants add`, the API's PUT) does not overwrite it.
    await expect(store.tenants.put({ tenantId: newer, displayName: "Again", account: "svc@contoso.com" })).rejects.toBeInstanceOf(NewerSchemaError);
    expect(await table.getEntity("tenant", newer)).toMatchObject({ DisplayName: "Old", SchemaVersion: 3 });
  });
});
