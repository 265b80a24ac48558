/** The store's state rows against Azurite: unreadable rows, the run transaction and values split across properties. */
import { randomBytes, randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import {
  ConcurrencyError,
  CORRUPT_STATE_PREFIX,
  CorruptStateError,
  createStore,
  type InvalidRow,
  invertedTicks,
  PART_BYTES,
  ValueTooLargeError,
} from "../../lib/store/index.js";
import { alert, bigTenant, connectionString, newStore, state, tables, target } from "./store-helpers.js";

describe("store: unreadable state rows", () => {
  it("readState throws CorruptStateError; listStates leaves the row out and reports it; quarantineState moves it aside in one go", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const good = randomUUID();
    const bad = randomUUID();
    await monitor.commitRun({ partition: good, expectedEtag: null, state: state(good, 1), alerts: [] });
    const raw = TableClient.fromConnectionString(connectionString(), t.monitorTable, { allowInsecureConnection: true });
    await raw.createEntity({
      partitionKey: bad,
      rowKey: "state",
      Encoding: "json+gzip",
      Parts: 1,
      Bytes: 3,
      Data_0: new Uint8Array([1, 2, 3]),
      Note: "garbage",
    });

    const error = await monitor.readState(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptStateError);
    const corrupt = error as CorruptStateError;
    expect(corrupt).toMatchObject({ tenantId: bad, etag: expect.any(String) });
    expect(corrupt.message).toMatch(/stored state of tenant .* is unreadable/);

    const invalid: InvalidRow[] = [];
    expect((await monitor.listStates({ onInvalid: (r) => invalid.push(r) })).map((s) => s.tenantId)).toEqual([good]);
    expect(invalid).toEqual([{ tenantId: bad, rowKey: "state", error: expect.any(String) }]);
    expect((await monitor.listStates()).map((s) => s.tenantId)).toEqual([good]);

    // A stale ETag (the row was replaced since it was found unreadable) moves nothing.
    expect(await monitor.quarantineState(bad, "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\"", new Date(), "x")).toBeUndefined();
    const at = new Date(Date.UTC(2026, 2, 2, 8, 0, 0));
    const moved = await monitor.quarantineState(bad, corrupt.etag, at, corrupt.detail);
    expect(moved).toBe(`${CORRUPT_STATE_PREFIX}${invertedTicks(at)}`);
    expect(await monitor.readState(bad)).toBeUndefined();
    const kept = await raw.getEntity<Record<string, unknown>>(bad, moved ?? "");
    expect(kept).toMatchObject({ Note: "garbage", Parts: 1, QuarantinedAt: at.toISOString(), QuarantineReason: corrupt.detail });
    expect([...(kept.Data_0 as Uint8Array)]).toEqual([1, 2, 3]);
    // Moved already: a second attempt finds nothing to move.
    expect(await monitor.quarantineState(bad, corrupt.etag, at, corrupt.detail)).toBeUndefined();
    // The tenant starts over with a first run.
    await monitor.commitRun({ partition: bad, expectedEtag: null, state: state(bad, 1), alerts: [] });
    expect((await monitor.readState(bad))?.state.version).toBe(1);
  });
});

describe("store: state and the run transaction", () => {
  it("insert-if-absent for the first run, then updates conditioned on the ETag", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    expect(await monitor.readState(tenantId)).toBeUndefined();
    const first = await monitor.commitRun({ partition: tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [] });
    const read = await monitor.readState(tenantId);
    expect(read).toEqual({ state: state(tenantId, 1), etag: first.etag });

    // A second "first run" lost the race.
    await expect(
      monitor.commitRun({ partition: tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [alert(tenantId, "a1")] }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    const second = await monitor.commitRun({ partition: tenantId, expectedEtag: first.etag, state: state(tenantId, 2), alerts: [alert(tenantId, "a2")] });
    // A run that read the first state lost to the second.
    await expect(
      monitor.commitRun({ partition: tenantId, expectedEtag: first.etag, state: state(tenantId, 3), alerts: [alert(tenantId, "a3")] }),
    ).rejects.toBeInstanceOf(ConcurrencyError);

    expect((await monitor.readState(tenantId))?.state.version).toBe(2);
    expect((await monitor.readState(tenantId))?.etag).toBe(second.etag);
    // The losers' alerts were never written: the transaction is all or nothing.
    expect((await monitor.listAlerts(tenantId)).map((a) => a.alert.id)).toEqual(["a2"]);
  });

  it("writes nothing when any part of the transaction fails (an alert row that already exists)", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    const { etag } = await monitor.commitRun({ partition: tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [alert(tenantId, "dup")] });
    const snap = bigTenant(tenantId, 3).snapshot;
    await expect(
      monitor.commitRun({ partition: tenantId, expectedEtag: etag, state: state(tenantId, 2), snapshot: snap, alerts: [alert(tenantId, "dup")] }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await monitor.readState(tenantId))?.state.version).toBe(1);
    expect(await monitor.listSnapshots(tenantId)).toEqual([]);
  });

  it("a 300-policy state and snapshot (over 64 KiB) are split across properties and read back whole", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const tenantId = randomUUID();
    const big = bigTenant(tenantId, 300);
    const rawJson = JSON.stringify(big.snapshot).length;
    expect(rawJson).toBeGreaterThan(400 * 1024);
    await monitor.commitRun({ partition: tenantId, expectedEtag: null, state: big.state, snapshot: big.snapshot, alerts: [] });

    expect((await monitor.readState(tenantId))?.state).toEqual(big.state);
    expect(await monitor.getSnapshot(tenantId, big.snapshot.id)).toEqual(big.snapshot);
    const [whole] = await monitor.readSnapshots(tenantId);
    expect(whole).toEqual(big.snapshot);

    // Look at the rows as stored: several binary parts, none over the property limit.
    const raw = TableClient.fromConnectionString(connectionString(), t.monitorTable, { allowInsecureConnection: true });
    const row = await raw.getEntity<Record<string, unknown>>(tenantId, `snapshot|${big.snapshot.id}`);
    const parts = Number(row.Parts);
    expect(parts).toBeGreaterThan(1);
    for (let i = 0; i < parts; i++) {
      const part = row[`Data_${i}`];
      expect(part).toBeInstanceOf(Uint8Array);
      expect((part as Uint8Array).length).toBeLessThanOrEqual(PART_BYTES);
    }
    console.log(`300 policies: snapshot ${rawJson} bytes of JSON → ${String(row.Bytes)} bytes gzip in ${parts} parts`);

    // A stored value with a part missing is an error, never a shorter value.
    await raw.updateEntity({ partitionKey: tenantId, rowKey: `snapshot|${big.snapshot.id}`, [`Data_${parts - 1}`]: new Uint8Array(0) }, "Merge");
    await expect(monitor.getSnapshot(tenantId, big.snapshot.id)).rejects.toThrow(/expected/);
  });

  it("refuses a value too large for one entity without writing anything", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    const huge = bigTenant(tenantId, 3);
    const noise = randomBytes(1_100_000).toString("base64");
    const s = { ...huge.state, lastReport: { ...huge.state.lastReport, checks: [{ id: "account" as const, status: "pass" as const, summary: noise }] } };
    await expect(monitor.commitRun({ partition: tenantId, expectedEtag: null, state: s, alerts: [] })).rejects.toBeInstanceOf(ValueTooLargeError);
    expect(await monitor.readState(tenantId)).toBeUndefined();
  });
});
