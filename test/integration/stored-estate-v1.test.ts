/**
 * The stored-estate fixture (test/fixtures/stored-estate/v1.json, written by
 * scripts/stored-estate-fixture.ts on the version before several accounts per tenant) put back
 * into a fresh Azurite: its rows come back exactly (keys and types), in tables of any name, and the
 * outbox still holds the one alert that was never sent. What this version makes of it:
 * upgrade-v1.test.ts.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../lib/store/index.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { dumpTables, loadTables, storedEstateSchema, type StoredEstate } from "../support/stored-estate.js";

const fixture: StoredEstate = storedEstateSchema.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, "../fixtures/stored-estate/v1.json"), "utf8")));
const WOODGROVE = "d7f00000-0000-4000-8000-000000000001";
const FABRIKAM = "d7f00000-0000-4000-8000-000000000002";
const TAILSPIN = "d7f00000-0000-4000-8000-000000000004";
const ADATUM = "d7f00000-0000-4000-8000-000000000005";

let azurite: RunningAzurite;
beforeAll(async () => {
  // Its own Azurite: the CLI reads the product's table names, which the fixture keeps.
  azurite = await startAzurite();
  await loadTables(azurite.connectionString, fixture.tables);
});
afterAll(() => azurite?.stop());

type Finding = { key: string; state: string; standing?: { kind: string } | null };
const findingsOf = (detail: unknown): Finding[] => (detail as { state: { findings: Finding[] } }).state.findings;

describe("the stored estate of the previous version", () => {
  it("holds what the upgrade must carry: findings open, acknowledged, excepted and resolved; alerts sent and unsent; snapshots", () => {
    const states = Object.fromEntries(Object.entries(fixture.expected.tenants).map(([id, d]) => [id, findingsOf(d).map((f) => `${f.key} ${f.state}`)]));
    expect(states).toEqual({
      [WOODGROVE]: ["security-defaults| acknowledged"],
      [FABRIKAM]: ["conditional-access|d7f30200-0000-4000-8000-000000000010 open"],
      [ADATUM]: ["security-defaults| excepted"],
      [TAILSPIN]: ["conditional-access|d7f399a0-0000-4000-8000-0000000000f1 resolved"],
    });
    const monitor = fixture.tables.Monitor ?? [];
    const delivery = monitor.filter((r) => String(r.RowKey).startsWith("alert|")).map((r) => r.Delivery);
    expect(delivery).toContain("sent");
    expect(delivery).toContain("pending");
    expect(monitor.filter((r) => String(r.RowKey).startsWith("snapshot|")).length).toBeGreaterThanOrEqual(4);
  });

  it("loads back row for row, with PartitionKey, RowKey and every property's type", async () => {
    const dumped = await dumpTables(azurite.connectionString);
    expect(Object.fromEntries(Object.keys(fixture.tables).map((name) => [name, dumped[name]]))).toEqual(fixture.tables);
  });

  it("loads into tables of another name too (a test sharing one Azurite), read by the store as the same estate", async () => {
    const names = { Tenants: "UpgradeT1", Monitor: "UpgradeM1" };
    expect(await loadTables(azurite.connectionString, fixture.tables, names)).toBe(fixture.tables.Tenants!.length + fixture.tables.Monitor!.length);
    const store = createStore(
      { kind: "connection-string", connectionString: azurite.connectionString },
      { tenantsTable: names.Tenants, monitorTable: names.Monitor },
    );
    expect((await store.tenants.list()).map((t) => t.tenantId).sort()).toEqual([WOODGROVE, FABRIKAM, TAILSPIN, ADATUM]);
    expect((await store.monitor.readState(FABRIKAM))?.state.findings.map((f) => f.state)).toEqual(["open"]);
  });

  it("still owes the alert it never sent, and only that one", async () => {
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const undelivered = await store.outbox.listUndelivered();
    expect(undelivered.map((r) => [r.tenantId, r.alert.transitions.map((t) => t.kind)])).toEqual([[TAILSPIN, ["resolved"]]]);
  });
});
