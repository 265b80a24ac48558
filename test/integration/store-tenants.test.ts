/** The store's tenants table and its connection to storage, against Azurite. */
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import { createStore, type InvalidRow, tableClientFactory, UnreadableTenantError } from "../../lib/store/index.js";
import { connectionString, newStore, tables, target } from "./store-helpers.js";

describe("store: tenants", () => {
  it("creates its tables on first use and keeps tenants validated", async () => {
    const store = newStore();
    expect(await store.tenants.list()).toEqual([]);
    const id = randomUUID().toUpperCase();
    const saved = await store.tenants.put({ tenantId: id, displayName: "Contoso", account: "o'neil@contoso.com", recipients: ["ops@contoso.com"] });
    expect(saved.tenantId).toBe(id.toLowerCase());
    await store.tenants.put({ tenantId: randomUUID(), displayName: "Off", account: randomUUID(), enabled: false });
    expect(await store.tenants.get(id)).toEqual(saved);
    expect((await store.tenants.list()).length).toBe(2);
    expect((await store.tenants.list({ enabledOnly: true })).map((t) => t.displayName)).toEqual(["Contoso"]);

    const objectId = randomUUID();
    await store.tenants.cacheAccountObjectId(id, "", objectId);
    expect((await store.tenants.get(id))?.accounts[0]?.objectId).toBe(objectId);
    await store.tenants.cacheAccountObjectId(randomUUID(), "", objectId); // a deleted tenant stays deleted
    expect(await store.tenants.delete(id)).toBe(true);
    expect(await store.tenants.delete(id)).toBe(false);
    expect(await store.tenants.get(id)).toBeUndefined();
  });

  it("refuses an invalid tenant before writing, and an invalid row when reading", async () => {
    const t = tables();
    const store = createStore(target(), t);
    await expect(store.tenants.put({ tenantId: "contoso", displayName: "x", account: "svc@contoso.com" })).rejects.toThrow(/tenantId must be a GUID/);
    const raw = TableClient.fromConnectionString(connectionString(), t.tenantsTable, { allowInsecureConnection: true });
    await store.tenants.list();
    const id = randomUUID();
    await raw.createEntity({ partitionKey: "tenant", rowKey: id, DisplayName: "Bad", Account: "svc", Recipients: "[]", Profile: "strict", Enabled: true });
    await expect(store.tenants.get(id)).rejects.toThrow(/Tenants row .* is invalid: accounts\.0\.ref: account must be/);
    await expect(store.tenants.get(id)).rejects.toBeInstanceOf(UnreadableTenantError);
  });

  it('reads a version-1 row as one account with key "", and keeps that key when accounts are added', async () => {
    const t = tables();
    const store = createStore(target(), t);
    const raw = TableClient.fromConnectionString(connectionString(), t.tenantsTable, { allowInsecureConnection: true });
    await store.tenants.list();
    const id = randomUUID();
    const objectId = randomUUID();
    // Written by the previous version: no SchemaVersion column, one account in plain columns.
    await raw.createEntity({
      partitionKey: "tenant",
      rowKey: id,
      DisplayName: "Old",
      Account: "svc@contoso.com",
      AccountObjectId: objectId,
      Recipients: "[]",
      Profile: "security-defaults-enrolled",
      Enabled: true,
    });
    const old = await store.tenants.get(id);
    expect(old?.accounts).toEqual([{ key: "", ref: "svc@contoso.com", kind: "connection", profile: "security-defaults-enrolled", objectId }]);
    const next = await store.tenants.put({
      tenantId: id,
      displayName: "Old",
      accounts: [
        { ref: "bg@contoso.com", kind: "emergency-access" },
        { ref: "SVC@contoso.com", profile: "security-defaults-enrolled" },
      ],
    });
    expect(next.accounts.map((a) => [a.ref, a.key === "" ? "" : a.key.length, a.objectId])).toEqual([
      ["bg@contoso.com", 12, null],
      ["SVC@contoso.com", "", objectId],
    ]);
    const bg = randomUUID();
    await store.tenants.cacheAccountObjectId(id, next.accounts[0]?.key ?? "?", bg);
    expect((await store.tenants.get(id))?.accounts.map((a) => a.objectId)).toEqual([bg, objectId]);
    expect((await raw.getEntity("tenant", id)).SchemaVersion).toBe(2);
  });

  it("lists every readable tenant, leaving out an unreadable row and reporting it", async () => {
    const t = tables();
    const store = createStore(target(), t);
    const good = await store.tenants.put({ tenantId: randomUUID(), displayName: "Good", account: "svc@contoso.com" });
    const raw = TableClient.fromConnectionString(connectionString(), t.tenantsTable, { allowInsecureConnection: true });
    const bad = randomUUID();
    await raw.createEntity({ partitionKey: "tenant", rowKey: bad, DisplayName: 42, Recipients: "{not json", Enabled: "yes" });
    const invalid: InvalidRow[] = [];
    expect(await store.tenants.list({ onInvalid: (r) => invalid.push(r) })).toEqual([good]);
    expect(invalid).toEqual([{ tenantId: bad, rowKey: bad, error: expect.stringMatching(/^Tenants row .* is invalid: /) }]);
    // Without a handler the bad row is still left out rather than failing the list.
    expect(await store.tenants.list()).toEqual([good]);
  });
});

describe("store: connection", () => {
  it("reaches an identity-based account endpoint with the injected credential, and refuses plain http off loopback", () => {
    const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }) };
    const client = tableClientFactory({ kind: "identity", tableServiceUri: "https://driftmon01.table.core.windows.net" }, { credential })("Monitor");
    expect(client.url).toBe("https://driftmon01.table.core.windows.net");
    expect(client.tableName).toBe("Monitor");
    expect(() =>
      tableClientFactory({
        kind: "connection-string",
        connectionString: "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=a2V5;TableEndpoint=http://example.com/a;",
      }),
    ).toThrow(/refusing plain http to example.com/);
    expect(() => createStore(target(), { tenantsTable: "bad-name" })).toThrow(/table name "bad-name"/);
  });
});
