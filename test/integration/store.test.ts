/**
 * The store against Azurite (started by the global setup). Each test uses its own tables, so
 * files and tests never see each other's rows.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { CaFinding, Report } from "../../lib/model/report.js";
import type { OutboxAlert, Snapshot, TenantState } from "../../lib/model/state.js";
import {
  ConcurrencyError,
  CORRUPT_STATE_PREFIX,
  CorruptStateError,
  createStore,
  type InvalidRow,
  invertedTicks,
  PART_BYTES,
  StoreError,
  tableClientFactory,
  timeOfInvertedTicks,
  UnreadableTenantError,
  ValueTooLargeError,
} from "../../lib/store/index.js";
import { minimalState } from "../support/state.js";

const target = () => loadStoreSettings(process.env).storage;
const tables = () => {
  const suffix = randomBytes(4).toString("hex");
  return { tenantsTable: `StoreTenants${suffix}`, monitorTable: `StoreMonitor${suffix}` };
};
const newStore = () => createStore(target(), tables());
const connectionString = () => process.env.AzureWebJobsStorage ?? "";

function report(tenantId: string, findings: CaFinding[] = []): Report {
  return {
    schemaVersion: 1,
    tenantId,
    checkedAt: "2026-01-01T00:00:00.000Z",
    profile: "strict",
    account: { id: "0f0f0f0f-0000-4000-8000-000000000000", userPrincipalName: "svc@contoso.com" },
    status: findings.some((f) => f.effect === "blocking") ? "drifted" : "compliant",
    warnings: 0,
    checks: [
      { id: "conditional-access", status: findings.some((f) => f.effect === "blocking") ? "fail" : "pass", summary: `${findings.length} policies`, findings },
    ],
  };
}

function alert(tenantId: string, id: string, createdAt = "2026-01-01T00:00:00.000Z"): OutboxAlert {
  return {
    schemaVersion: 1,
    id,
    tenantId,
    tenantName: "Contoso <script>",
    createdAt,
    stateVersion: 0,
    recipients: ["ops@contoso.com"],
    tenantStatus: "drifted",
    accountUserPrincipalName: "svc@contoso.com",
    transitions: [{ kind: "monitoring-degraded", key: "monitoring-degraded|x", unknownRuns: 3, since: createdAt, reasons: [] }],
  };
}

/** A CA policy shaped like Graph's, with enough random ids that it does not compress away. */
function policy(i: number): Record<string, unknown> {
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  return {
    id: randomUUID(),
    displayName: `CA${String(i).padStart(3, "0")}-Admins-BaseProtection-AllApps-AnyPlatform-MFA`,
    state: i % 3 === 0 ? "enabledForReportingButNotEnforced" : "enabled",
    createdDateTime: "2025-06-01T10:00:00Z",
    modifiedDateTime: "2025-06-02T10:00:00Z",
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: ids(3), includeGroups: [], excludeGroups: ids(4), includeRoles: ids(2), excludeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: ids(2), includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      clientAppTypes: ["all"],
      locations: { includeLocations: ["All"], excludeLocations: ids(2) },
      platforms: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    sessionControls: null,
  };
}

function bigTenant(tenantId: string, policies: number): { state: TenantState; snapshot: Snapshot } {
  const ps = Array.from({ length: policies }, (_, i) => policy(i));
  const findings: CaFinding[] = ps.map((p, i) => ({
    policyId: String(p.id),
    policyName: String(p.displayName),
    state: String(p.state),
    effect: i % 7 === 0 ? "blocking" : "excluded",
    reason: i % 7 === 0 ? "included via role Global Administrator" : `excluded via group ${randomUUID()}`,
    controls: ["mfa"],
  }));
  const r = report(tenantId, findings);
  const takenAt = new Date("2026-01-01T00:00:00.000Z");
  return {
    state: state(tenantId, 1, r),
    snapshot: {
      schemaVersion: 1,
      id: invertedTicks(takenAt),
      tenantId,
      takenAt: takenAt.toISOString(),
      report: r,
      factsDigest: randomBytes(32).toString("hex"),
      facts: {
        tenantId,
        collectedAt: takenAt.toISOString(),
        conditionalAccessPolicies: { ok: true, value: ps as Array<{ id: string; displayName: string }> },
      },
    },
  };
}

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
    await store.tenants.cacheAccountObjectId(id, objectId);
    expect((await store.tenants.get(id))?.accountObjectId).toBe(objectId);
    await store.tenants.cacheAccountObjectId(randomUUID(), objectId); // a deleted tenant stays deleted
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
    await expect(store.tenants.get(id)).rejects.toThrow(/Tenants row .* is invalid: account: account must be/);
    await expect(store.tenants.get(id)).rejects.toBeInstanceOf(UnreadableTenantError);
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

describe("store: unreadable state rows", () => {
  it("readState throws CorruptStateError; listStates leaves the row out and reports it; quarantineState moves it aside in one go", async () => {
    const t = tables();
    const { monitor } = createStore(target(), t);
    const good = randomUUID();
    const bad = randomUUID();
    await monitor.commitRun({ tenantId: good, expectedEtag: null, state: state(good, 1), alerts: [] });
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
    await monitor.commitRun({ tenantId: bad, expectedEtag: null, state: state(bad, 1), alerts: [] });
    expect((await monitor.readState(bad))?.state.version).toBe(1);
  });
});

describe("store: state and the run transaction", () => {
  it("insert-if-absent for the first run, then updates conditioned on the ETag", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    expect(await monitor.readState(tenantId)).toBeUndefined();
    const first = await monitor.commitRun({ tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [] });
    const read = await monitor.readState(tenantId);
    expect(read).toEqual({ state: state(tenantId, 1), etag: first.etag });

    // A second "first run" lost the race.
    await expect(monitor.commitRun({ tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [alert(tenantId, "a1")] })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const second = await monitor.commitRun({ tenantId, expectedEtag: first.etag, state: state(tenantId, 2), alerts: [alert(tenantId, "a2")] });
    // A run that read the first state lost to the second.
    await expect(monitor.commitRun({ tenantId, expectedEtag: first.etag, state: state(tenantId, 3), alerts: [alert(tenantId, "a3")] })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );

    expect((await monitor.readState(tenantId))?.state.version).toBe(2);
    expect((await monitor.readState(tenantId))?.etag).toBe(second.etag);
    // The losers' alerts were never written: the transaction is all or nothing.
    expect((await monitor.listAlerts(tenantId)).map((a) => a.alert.id)).toEqual(["a2"]);
  });

  it("writes nothing when any part of the transaction fails (an alert row that already exists)", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    const { etag } = await monitor.commitRun({ tenantId, expectedEtag: null, state: state(tenantId, 1), alerts: [alert(tenantId, "dup")] });
    const snap = bigTenant(tenantId, 3).snapshot;
    await expect(
      monitor.commitRun({ tenantId, expectedEtag: etag, state: state(tenantId, 2), snapshot: snap, alerts: [alert(tenantId, "dup")] }),
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
    await monitor.commitRun({ tenantId, expectedEtag: null, state: big.state, snapshot: big.snapshot, alerts: [] });

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
    await expect(monitor.commitRun({ tenantId, expectedEtag: null, state: s, alerts: [] })).rejects.toBeInstanceOf(ValueTooLargeError);
    expect(await monitor.readState(tenantId)).toBeUndefined();
  });
});

describe("store: snapshots and the outbox", () => {
  it("lists snapshots newest first and removes those past retention, idempotently", async () => {
    const { monitor } = newStore();
    const tenantId = randomUUID();
    let etag: string | null = null;
    const days = [1, 5, 10, 20, 40];
    for (const [i, day] of days.entries()) {
      const takenAt = new Date(Date.UTC(2026, 0, day));
      const snap: Snapshot = { ...bigTenant(tenantId, 2).snapshot, id: invertedTicks(takenAt), takenAt: takenAt.toISOString() };
      ({ etag } = await monitor.commitRun({ tenantId, expectedEtag: etag, state: state(tenantId, i + 1), snapshot: snap, alerts: [] }));
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
      tenantId,
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
    await expect(monitor.commitRun({ tenantId, expectedEtag: null, state: state(tenantId), alerts: [] })).rejects.toBeInstanceOf(StoreError);
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

function state(tenantId: string, version = 1, r: Report = report(tenantId)): TenantState {
  return minimalState(tenantId, { version, report: r });
}
