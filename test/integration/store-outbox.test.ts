/** The store's snapshots and outbox against Azurite. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../lib/model/state.js";
import { ConcurrencyError, createStore, invertedTicks, StoreError, timeOfInvertedTicks } from "../../lib/store/index.js";
import { alert, bigTenant, connectionString, newStore, state, tables } from "./store-helpers.js";

describe("store: snapshots and the outbox", () => {
  it("lists snapshots newest first and removes those past retention, idempotently", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    let etag: string | null = null;
    const days = [1, 5, 10, 20, 40];
    for (const [i, day] of days.entries()) {
      const takenAt = new Date(Date.UTC(2026, 0, day));
      const snap: Snapshot = { ...bigTenant(tenantId, 2).snapshot, id: invertedTicks(takenAt), takenAt: takenAt.toISOString() };
      ({ etag } = await monitor.commitRun({ partition: tenantId, expectedEtag: etag, state: state(tenantId, i + 1), snapshot: snap, alerts: [] }));
    }
    const listed = await monitor.listSnapshots(tenantId);
    expect(listed.map((s) => s.takenAt.slice(0, 10))).toEqual(["2026-02-09", "2026-01-20", "2026-01-10", "2026-01-05", "2026-01-01"]);
    expect(listed.map((s) => timeOfInvertedTicks(s.id).toISOString())).toEqual(listed.map((s) => s.takenAt));
    expect((await monitor.listSnapshots(tenantId, { limit: 2 })).length).toBe(2);

    const cutoff = invertedTicks(new Date(Date.UTC(2026, 0, 10)));
    expect(await monitor.deleteSnapshotsBefore(tenantId, cutoff)).toBe(2);
    expect(await monitor.deleteSnapshotsBefore(tenantId, cutoff)).toBe(0);
    expect((await monitor.listSnapshots(tenantId)).map((s) => s.takenAt.slice(0, 10))).toEqual(["2026-02-09", "2026-01-20", "2026-01-10"]);
    expect(await monitor.readState(tenantId)).toBeDefined();
  });

  it("keeps delivery columns apart from the alert, conditioned on the ETag when asked", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    await monitor.commitRun({
      partition: tenantId,
      expectedEtag: null,
      state: state(tenantId),
      alerts: [alert(tenantId, "one"), alert(tenantId, "two", "2026-01-02T00:00:00.000Z")],
    });
    const pending = await monitor.listAlerts(tenantId, { delivery: "pending" });
    expect(pending.map((a) => [a.alert.id, a.delivery, a.attempts, a.sentAt])).toEqual([
      ["one", "pending", 0, null],
      ["two", "pending", 0, null],
    ]);
    const first = pending[0];
    if (!first) throw new Error("no alert");
    await monitor.updateAlertDelivery(tenantId, "one", { delivery: "sent", attempts: 1, sentAt: "2026-01-01T00:01:00.000Z", lastError: null }, first.etag);
    await expect(
      monitor.updateAlertDelivery(tenantId, "one", { delivery: "failed", attempts: 2, sentAt: null, lastError: "x" }, first.etag),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await monitor.listAlerts(tenantId, { delivery: "pending" })).map((a) => a.alert.id)).toEqual(["two"]);
    expect(await monitor.getAlert(tenantId, "one")).toMatchObject({
      delivery: "sent",
      attempts: 1,
      sentAt: "2026-01-01T00:01:00.000Z",
      alert: alert(tenantId, "one"),
    });
  });

  it("fails loudly when storage is unreachable", async () => {
    const cs = connectionString().replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, "TableEndpoint=http://127.0.0.1:9");
    const { monitor } = createStore({ kind: "connection-string", connectionString: cs }, { ...tables(), clientOptions: { retryOptions: { maxRetries: 0 } } });
    const tenantId = randomUUID();
    await expect(monitor.commitRun({ partition: tenantId, expectedEtag: null, state: state(tenantId), alerts: [] })).rejects.toBeInstanceOf(StoreError);
  });
});
