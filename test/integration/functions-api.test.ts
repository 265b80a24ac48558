/**
 * Every route of the tenants API with good and bad input, through `HttpRequest` and the exported
 * handler, against Azurite (tables and the tenant-checks queue) and the simulator (for a real
 * check between the calls).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpResponse, type HttpResponseInit } from "@azure/functions";
import { TableClient } from "@azure/data-tables";
import { createOutboxDelivery } from "../../lib/store/index.js";
import { setApp, type App } from "../../functions/app/index.js";
import { tenantCheckMessageSchema } from "../../functions/queue/index.js";
import { api, apiRequest, checkTenant } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, quietContext, takeAll, testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
let app: App;
let clock: TestClock;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => setApp(undefined));

function fresh(): void {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock);
  setApp(app);
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Calls the handler and reads its answer as a client would (through HttpResponse). */
async function call(method: string, path = "", options: { body?: unknown; query?: Record<string, string> } = {}): Promise<Answer> {
  const init: HttpResponseInit = await api(apiRequest(method, path, options), quietContext());
  const response = new HttpResponse(init);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, headers: response.headers };
}

const fabrikam = sampleTenant("Fabrikam");
const woodgrove = sampleTenant("Woodgrove");
const fabrikamBody = { displayName: fabrikam.displayName, account: fabrikam.account, recipients: ["ops@example.com"] };
const paths = (r: Answer) => (r.body.issues as { path: string }[]).map((i) => i.path);

describe("tenants API", () => {
  it("PUT registers (201) and replaces (200) a tenant; GET lists it; JSON with nosniff", async () => {
    fresh();
    expect(await call("GET")).toMatchObject({ status: 200, body: { count: 0, tenants: [] } });

    const created = await call("PUT", fabrikam.tenantId.toUpperCase(), { body: fabrikamBody });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/tenants/${fabrikam.tenantId}`);
    expect(created.headers.get("content-type")).toMatch(/^application\/json/);
    expect(created.headers.get("x-content-type-options")).toBe("nosniff");
    const { account: _account, ...tenantFields } = fabrikamBody;
    expect(created.body.tenant).toEqual({
      tenantId: fabrikam.tenantId,
      ...tenantFields,
      accounts: [{ key: "", ref: fabrikam.account, kind: "connection", profile: "strict", objectId: null }],
      enabled: true,
    });

    // The first check caches the account's object id; replacing with the same account keeps it.
    await checkTenant({ tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    const cached = (await app.store.tenants.get(fabrikam.tenantId))?.accounts[0]?.objectId;
    expect(cached).toMatch(/^[0-9a-f-]{36}$/);
    // The list says what waits for delivery, and when it is expected to go.
    const delivery = (await call("GET")).body.delivery as { waiting: number; alerts: { tenantId: string; expectedAt: string }[]; rollup: { owed: number } };
    expect(delivery.alerts.length).toBe(Math.min(100, delivery.waiting));
    expect(delivery.alerts.every((a) => !Number.isNaN(Date.parse(a.expectedAt)))).toBe(true);
    expect(delivery.rollup.owed).toBeGreaterThanOrEqual(delivery.alerts.filter((a) => a.tenantId === fabrikam.tenantId).length > 0 ? 1 : 0);
    const replaced = await call("PUT", fabrikam.tenantId, {
      body: { ...fabrikamBody, tenantId: fabrikam.tenantId, enabled: false, recipients: ["a@example.com", "A@example.com"] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.tenant).toMatchObject({ enabled: false, accounts: [{ objectId: cached }], recipients: ["A@example.com"] });

    await call("PUT", woodgrove.tenantId, { body: { displayName: "<script>alert(1)</script> & Co", account: woodgrove.account } });
    const list = await call("GET");
    expect(list.body.count).toBe(2);
    const tenants = list.body.tenants as { tenantId: string; displayName: string; status: string; openFindings: { checkId: string }[] }[];
    // Names are data: returned verbatim inside JSON, never rendered.
    expect(tenants.map((t) => t.displayName)).toEqual(["<script>alert(1)</script> & Co", "Fabrikam"]);
    expect(tenants.find((t) => t.tenantId === fabrikam.tenantId)).toMatchObject({
      status: "drifted",
      openFindings: [expect.objectContaining({ checkId: expect.any(String) })],
    });
    expect(tenants.find((t) => t.tenantId === woodgrove.tenantId)).toMatchObject({ status: "not-checked", openFindings: [] });

    expect((await call("GET", "", { query: { status: "drifted" } })).body.count).toBe(1);
    const badStatus = await call("GET", "", { query: { status: "broken" } });
    expect(badStatus.status).toBe(400);
    expect(paths(badStatus)).toEqual(["status"]);
  });

  it("PUT refuses bad ids and bad bodies with the field paths", async () => {
    fresh();
    const badId = await call("PUT", "not-a-guid", { body: fabrikamBody });
    expect(badId).toMatchObject({ status: 400, body: { error: "invalid tenant id" } });
    expect(paths(badId)).toEqual(["tenantId"]);

    expect(await call("PUT", fabrikam.tenantId)).toMatchObject({ status: 400, body: { error: expect.stringContaining("JSON body is required") } });
    expect(await call("PUT", fabrikam.tenantId, { body: "{not json" })).toMatchObject({ status: 400, body: { error: expect.stringContaining("not JSON") } });
    expect(await call("PUT", fabrikam.tenantId, { body: "[1,2]" })).toMatchObject({ status: 400 });
    expect(await call("PUT", fabrikam.tenantId, { body: "x".repeat(70_000) })).toMatchObject({
      status: 413,
      body: { error: expect.stringContaining("larger than") },
    });

    const fields = await call("PUT", fabrikam.tenantId, {
      body: { displayName: "", account: "nobody", recipients: ["ok@example.com", "not-an-address"], enabled: "yes" },
    });
    expect(fields.status).toBe(400);
    expect(paths(fields).sort()).toEqual(["account", "displayName", "enabled", "recipients.1"]);
    expect(JSON.stringify(fields.body)).toContain('\\"not-an-address\\" is not an email address');

    const unknown = await call("PUT", fabrikam.tenantId, { body: { ...fabrikamBody, acountObjectId: "x" } });
    expect(unknown).toMatchObject({ status: 400, body: { issues: [{ path: "", message: "unknown field: acountObjectId" }] } });
    const hostile = await call("PUT", fabrikam.tenantId, { body: { ...fabrikamBody, displayName: "Fabri\u202Ekam\x1b]0;pwned\x07" } });
    expect(hostile).toMatchObject({
      status: 400,
      body: {
        issues: [{ path: "displayName", message: "displayName must not contain control or invisible characters (found U+202E at position 6): remove it" }],
      },
    });

    const profile = await call("PUT", fabrikam.tenantId, { body: { ...fabrikamBody, profile: "lenient" } });
    expect(paths(profile)).toEqual(["profile"]);
    const mismatch = await call("PUT", fabrikam.tenantId, { body: { ...fabrikamBody, tenantId: woodgrove.tenantId } });
    expect(paths(mismatch)).toEqual(["tenantId"]);

    // Nothing was stored by any of them.
    expect(await app.store.tenants.get(fabrikam.tenantId)).toBeUndefined();
  });

  it("GET one tenant: its report, monitoring state and snapshots; 404 unknown; 400 bad id or query", async () => {
    fresh();
    expect(await call("GET", fabrikam.tenantId)).toMatchObject({ status: 404 });
    expect(await call("GET", "0000")).toMatchObject({ status: 400, body: { error: "invalid tenant id" } });
    await call("PUT", fabrikam.tenantId, { body: fabrikamBody });

    const before = await call("GET", fabrikam.tenantId);
    expect(before).toMatchObject({ status: 200, body: { status: "not-checked", report: null, monitoring: null, snapshots: [], checkInFlightUntil: null } });

    await checkTenant({ tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    const after = await call("GET", fabrikam.tenantId);
    expect(after.body).toMatchObject({
      tenantId: fabrikam.tenantId,
      status: "drifted",
      report: { schemaVersion: 1, tenantId: fabrikam.tenantId, status: "drifted" },
      monitoring: { consecutiveUnknown: 0 },
      snapshots: [expect.objectContaining({ status: "drifted" })],
    });
    expect((await call("GET", fabrikam.tenantId, { query: { snapshots: "0" } })).body.snapshots).toEqual([]);
    const badQuery = await call("GET", fabrikam.tenantId, { query: { snapshots: "lots" } });
    expect(badQuery.status).toBe(400);
    expect(paths(badQuery)).toEqual(["snapshots"]);
  });

  it("POST check queues one check (202), reports one already in flight, 404 for unknown tenants", async () => {
    fresh();
    expect(await call("POST", `${fabrikam.tenantId}/check`)).toMatchObject({ status: 404 });
    await call("PUT", fabrikam.tenantId, { body: fabrikamBody });

    const queued = await call("POST", `${fabrikam.tenantId}/check`);
    expect(queued).toMatchObject({ status: 202, body: { queued: true, tenantId: fabrikam.tenantId, leasedUntil: expect.any(String) } });
    const again = await call("POST", `${fabrikam.tenantId}/check`);
    expect(again).toMatchObject({ status: 202, body: { queued: false, inFlightUntil: queued.body.leasedUntil } });
    expect((await call("GET", fabrikam.tenantId)).body.checkInFlightUntil).toBe(queued.body.leasedUntil);

    const messages = (await takeAll(app.queues.tenantChecks.client)).map((t) => tenantCheckMessageSchema.parse(JSON.parse(t)));
    expect(messages).toEqual([expect.objectContaining({ tenantId: fabrikam.tenantId, reason: "manual" })]);
    // The check it queued runs, then releases the lease: check-now works again.
    await checkTenant(messages[0], queueContext(1));
    expect((await call("POST", `${fabrikam.tenantId}/check`)).body.queued).toBe(true);
  });

  it("DELETE removes a tenant (and its lease); 404 after; wrong methods and routes answer 405 and 404", async () => {
    fresh();
    await call("PUT", fabrikam.tenantId, { body: fabrikamBody });
    await call("POST", `${fabrikam.tenantId}/check`);
    expect(await call("DELETE", fabrikam.tenantId)).toMatchObject({ status: 200, body: { deleted: true, tenantId: fabrikam.tenantId } });
    expect(await app.leases.current(fabrikam.tenantId, clock.now())).toBeUndefined();
    expect(await call("DELETE", fabrikam.tenantId)).toMatchObject({ status: 404 });
    expect(await call("DELETE", "x y")).toMatchObject({ status: 400 });

    const patch = await call("PATCH", fabrikam.tenantId);
    expect(patch.status).toBe(405);
    expect(patch.headers.get("allow")).toBe("GET, PUT, DELETE");
    expect((await call("POST", "")).status).toBe(405);
    expect((await call("GET", `${fabrikam.tenantId}/check`)).status).toBe(405);
    expect((await call("GET", `${fabrikam.tenantId}/history/all`)).status).toBe(404);
  });

  it("answers 500 with the invocation id, not the error, when storage fails", async () => {
    fresh();
    setApp(
      testApp(
        sim,
        clock,
        {
          AzureWebJobsStorage:
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        },
        { storeOptions: { clientOptions: { retryOptions: { maxRetries: 0 } } } },
      ),
    );
    const failed = await call("GET");
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: "internal error", invocationId: "unknown" });
  });

  it("lists unreadable rows instead of failing for every tenant, and shows each tenant's dead-lettered alerts", async () => {
    fresh();
    await call("PUT", fabrikam.tenantId, { body: fabrikamBody });
    await call("PUT", woodgrove.tenantId, { body: { displayName: "Woodgrove", account: woodgrove.account } });
    const alert = await checkTenant({ tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    if (alert?.kind !== "checked" || !alert.alertId) throw new Error("expected an alert");
    // Its delivery was given up on.
    const outbox = createOutboxDelivery(app.storeSettings.storage, { monitorTable: app.store.monitor.table.name });
    const row = await outbox.get(fabrikam.tenantId, alert.alertId);
    if (!row) throw new Error("no outbox row");
    await outbox.deadLetter(row, clock.now(), "ACS answered 500 five times");

    // Garbage: a Tenants row and Woodgrove's state row.
    const raw = (name: string) => TableClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "", name, { allowInsecureConnection: true });
    const broken = "99999999-8888-4777-8666-555555555555";
    await raw(app.store.tenants["table"].name).createEntity({ partitionKey: "tenant", rowKey: broken, DisplayName: "Broken", Account: "" });
    await raw(app.store.monitor.table.name).createEntity({ partitionKey: woodgrove.tenantId, rowKey: "state", Encoding: "nonsense" });

    const list = await call("GET");
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(2);
    const tenants = list.body.tenants as Record<string, unknown>[];
    expect(tenants.find((t) => t.tenantId === woodgrove.tenantId)).toMatchObject({
      status: "unreadable",
      unreadable: expect.stringMatching(/Encoding/),
      deadLetteredAlerts: 0,
    });
    expect(tenants.find((t) => t.tenantId === fabrikam.tenantId)).toMatchObject({
      status: "drifted",
      unreadable: null,
      deadLetteredAlerts: 1,
      deadLettered: [
        {
          alertId: alert.alertId,
          createdAt: clock.now().toISOString(),
          deadLetteredAt: clock.now().toISOString(),
          attempts: 0,
          lastError: "ACS answered 500 five times",
          kinds: ["drift-detected"],
        },
      ],
    });
    expect(list.body.unreadable).toEqual([
      { table: "Monitor", tenantId: woodgrove.tenantId, rowKey: "state", error: expect.any(String) },
      { table: "Tenants", tenantId: broken, rowKey: broken, error: expect.stringMatching(/Tenants row .* is invalid/) },
    ]);
    expect((await call("GET", "", { query: { status: "unreadable" } })).body.count).toBe(1);

    // One tenant: its dead letters; the unreadable state is said, not a 500.
    expect((await call("GET", fabrikam.tenantId)).body).toMatchObject({
      deadLetteredAlerts: 1,
      deadLettered: [expect.objectContaining({ alertId: alert.alertId })],
    });
    expect(await call("GET", woodgrove.tenantId)).toMatchObject({
      status: 200,
      body: { status: "unreadable", report: null, unreadableRows: [expect.objectContaining({ rowKey: "state" })] },
    });
    // An unreadable registration: 409 saying what to do; PUT replaces it, DELETE removes it.
    expect(await call("GET", broken)).toMatchObject({ status: 409, body: { error: expect.stringContaining("register it again with PUT") } });
    expect(await call("POST", `${broken}/check`)).toMatchObject({ status: 409 });
    expect(await call("PUT", broken, { body: { displayName: "Repaired", account: "svc@broken.example" } })).toMatchObject({
      status: 200,
      body: { tenant: { displayName: "Repaired" } },
    });
    expect((await call("GET")).body).toMatchObject({ count: 3, unreadable: [expect.objectContaining({ table: "Monitor" })] });
  });
});
