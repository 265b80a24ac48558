/**
 * Alert delivery and the digest through the exported handlers: a check writes an outbox row and
 * queues it; deliverAlerts (fed the alerts queue's messages as the trigger would) delivers it
 * through the local `.eml` outbox channel; the sweep delivers a row whose message was lost; the
 * digest timer writes one summary. Azurite and the simulator; no part of the product replaced.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueServiceClient } from "@azure/storage-queue";
import { emlFileName } from "../../lib/alerts/index.js";
import { setApp, type App } from "../../functions/app/index.js";
import { alertMessageSchema, poisonQueueName } from "../../functions/queue/index.js";
import { checkTenant, deliverAlerts, deliverAlertsSweep, scheduleChecks, sendDigest } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { drain, queueContext, quietContext, sampleInput, takeAll, testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
let outbox: string;
let clock: TestClock;
let app: App;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => {
  setApp(undefined);
  rmSync(outbox, { recursive: true, force: true });
});

function fresh(env: Record<string, string> = {}): App {
  sim.state.reset();
  outbox = mkdtempSync(join(tmpdir(), "fn-outbox-"));
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock, { OUTBOX_DIR: outbox, ...env });
  setApp(app);
  return app;
}

const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
const poisonOf = (name: string) => QueueServiceClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "").getQueueClient(poisonQueueName(name));
const fabrikam = sampleTenant("Fabrikam");
const woodgrove = sampleTenant("Woodgrove");

describe("deliverAlerts", () => {
  it("delivers the row a check queued through the .eml outbox, once, even when the message comes again", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Fabrikam", { recipients: ["secops@fabrikam.example"] }));
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await scheduleChecks(timer, quietContext());
    await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.name), checkTenant);

    const texts = await takeAll(app.queues.alerts.client);
    expect(texts).toHaveLength(1);
    const message = alertMessageSchema.parse(JSON.parse(texts[0] ?? ""));
    const outcome = await deliverAlerts(texts[0], queueContext(1));
    expect(outcome).toMatchObject({ status: "sent", tenantId: fabrikam.tenantId, id: message.alertId, attempts: 1 });

    const file = join(outbox, emlFileName(message.alertId));
    const eml = readFileSync(file, "utf8");
    expect(eml).toMatch(/^To: secops@fabrikam\.example$/m);
    expect(eml).toContain("Fabrikam");
    expect(eml).toMatch(/Content-Type: text\/html/i);
    expect((await app.store.monitor.getAlert(fabrikam.tenantId, message.alertId))?.delivery).toBe("sent");

    // The same message again (a redelivery): nothing is sent twice.
    expect(await deliverAlerts(JSON.parse(texts[0] ?? ""), queueContext(2))).toMatchObject({ status: "skipped" });
    expect(readdirSync(outbox)).toEqual([emlFileName(message.alertId)]);
  });

  it("leaves the row for the sweep while the sender is throttled, and the sweep sends it after", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Fabrikam"));
    await scheduleChecks(timer, quietContext());
    await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.name), checkTenant);
    const [text] = await takeAll(app.queues.alerts.client);
    const message = alertMessageSchema.parse(JSON.parse(text ?? ""));
    // Another instance was just told 429 by the sender (here the .eml channel stands in for ACS).
    await app.deliveryDeps().throttle?.recordThrottle("eml", new Date(clock.now().getTime() + 2 * 60_000), "acs: ACS 429 TooManyRequests", clock.now());
    expect(await deliverAlerts(text, queueContext(1))).toMatchObject({ status: "skipped", reason: expect.stringMatching(/throttled until/) });
    expect(readdirSync(outbox)).toEqual([]);
    const row = await app.store.monitor.getAlert(fabrikam.tenantId, message.alertId);
    expect(row).toMatchObject({ delivery: "pending", attempts: 0 });
    // Still throttled: the sweep stops (the wait is longer than it sleeps inline).
    clock.advanceMinutes(0.5);
    expect(await deliverAlertsSweep(timer, quietContext())).toMatchObject({ sent: 0, skipped: 1, outcomes: [{ reason: expect.stringMatching(/throttled/) }] });
    clock.advanceMinutes(2);
    expect(await deliverAlertsSweep(timer, quietContext())).toMatchObject({ sent: 1 });
    expect(readdirSync(outbox)).toEqual([emlFileName(message.alertId)]);
  });

  it("drops a malformed alerts message", async () => {
    fresh();
    await expect(deliverAlerts(JSON.stringify({ tenantId: fabrikam.tenantId, alertId: "<b>" }), queueContext(1))).resolves.toBeUndefined();
  });

  it("the sweep delivers a due row whose queue message was lost", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    const message = { tenantId: woodgrove.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" };
    expect(await checkTenant(message, queueContext(1))).toMatchObject({ status: "compliant" });
    sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceMinutes(30);
    // A new check-now message (the same one again would be a repeat of a recorded run).
    const drifted = await checkTenant({ ...message, enqueuedAt: clock.now().toISOString() }, queueContext(1));
    expect(drifted).toMatchObject({ status: "drifted", alertQueued: true });
    await takeAll(app.queues.alerts.client); // lost

    const summary = await deliverAlertsSweep(timer, quietContext());
    expect(summary).toMatchObject({ sent: 1, errors: 0 });
    expect(readdirSync(outbox)).toEqual([emlFileName(drifted?.kind === "checked" ? (drifted.alertId ?? "") : "")]);
    expect((await deliverAlertsSweep(timer, quietContext())).sent).toBe(0);
  });
});

describe("sendDigest", () => {
  it("writes one estate summary to ALERT_TO", async () => {
    fresh({ ALERT_TO: "noc@example.com" });
    await app.store.tenants.put(sampleInput("Fabrikam"));
    await app.store.tenants.put(sampleInput("Woodgrove"));
    await scheduleChecks(timer, quietContext());
    await drain(app.queues.tenantChecks.client, poisonOf(app.queues.tenantChecks.name), checkTenant);

    const result = await sendDigest(timer, quietContext());
    expect(result?.channels).toEqual([{ name: "eml", outcome: expect.objectContaining({ ok: true }) }]);
    const eml = readFileSync(join(outbox, emlFileName(result?.id ?? "")), "utf8");
    expect(eml).toMatch(/^To: noc@example\.com$/m);
    expect(eml).toContain("Fabrikam");
  });

  it("sends it once a day however often the timer fires", async () => {
    fresh({ ALERT_TO: "noc@example.com" });
    const first = await sendDigest(timer, quietContext());
    expect(first?.channels).toEqual([{ name: "eml", outcome: expect.objectContaining({ ok: true }) }]);
    clock.advanceMinutes(60);
    const second = await sendDigest(timer, quietContext());
    expect(second?.channels).toEqual([{ name: "eml", outcome: expect.objectContaining({ ok: true }), alreadySent: true }]);
    clock.advanceMinutes(24 * 60);
    expect((await sendDigest(timer, quietContext()))?.channels[0]?.alreadySent).toBeUndefined();
    expect(readdirSync(outbox)).toHaveLength(2);
  });

  it("sends nothing without ALERT_TO", async () => {
    fresh();
    expect(await sendDigest(timer, quietContext())).toBeUndefined();
    expect(readdirSync(outbox)).toEqual([]);
  });
});
