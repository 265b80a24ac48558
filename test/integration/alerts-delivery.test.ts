/**
 * Delivery end to end: outbox rows written by the real store (commitRun, Azurite), sent through
 * the real @azure/communication-email SDK to the local fake ACS server, bookkeeping read back.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { deliverAlert, deliverDue, type DeliveryDeps, type DeliveryStore } from "../../lib/alerts/deliver.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { operationIdFor } from "../../lib/alerts/ids.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { OutboxAlert } from "../../lib/model/state.js";
import { createOutboxDelivery, createStore, type OutboxDeliveryRepository, type Store } from "../../lib/store/index.js";
import { startAcsFake, type AcsFake } from "../support/acs-fake.js";
import { parseMime } from "../unit/alerts/mime-parser.js";
import { alertOf, HOSTILE, SAMPLES } from "../unit/alerts/samples.js";
import { minimalState } from "../support/state.js";

const START = new Date("2026-03-04T07:00:00.000Z").getTime();

interface Harness {
  store: Store;
  outbox: OutboxDeliveryRepository;
  clock: { t: number };
  sleeps: number[];
  deps(extra?: Partial<DeliveryDeps> & { env?: Record<string, string> }): DeliveryDeps;
  /** Writes alerts as one run of a fresh tenant, through the real commitRun. */
  write(...alerts: Array<Omit<OutboxAlert, "tenantId">>): Promise<{ tenantId: string; ids: string[] }>;
}

let fake: AcsFake;
beforeAll(async () => {
  fake = await startAcsFake({ rejectRecipients: ["bounce@example.com"] });
});
afterAll(() => fake.stop());

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function harness(): Harness {
  const target = loadStoreSettings(process.env).storage;
  const monitorTable = `AlertsMonitor${randomBytes(4).toString("hex")}`;
  const store = createStore(target, { tenantsTable: `AlertsTenants${randomBytes(4).toString("hex")}`, monitorTable });
  const outbox = createOutboxDelivery(target, { monitorTable });
  const clock = { t: START };
  const sleeps: number[] = [];
  return {
    store,
    outbox,
    clock,
    sleeps,
    deps(extra = {}) {
      const settings = loadAlertSettings({
        ACS_CONNECTION_STRING: fake.connectionString,
        ALERT_FROM: "DoNotReply@drift.example.com",
        ALERT_TO: "OPS@contoso.com, noc@msp.example",
        ...extra.env,
      });
      return {
        store: outbox,
        throttle: outbox.markers,
        channels: createChannels(settings, { pollIntervalMs: 5, now: () => new Date(clock.t) }),
        settings,
        now: () => new Date(clock.t),
        // Senders sleeping side by side wake together: the clock moves to the latest wake-up.
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.t = Math.max(clock.t, clock.t + ms);
        },
        random: () => 0.5,
        ...extra,
      };
    },
    async write(...alerts) {
      const tenantId = randomUUID();
      const full = alerts.map((a) => ({ ...a, tenantId, id: `${a.id}${randomBytes(4).toString("hex")}` }));
      await store.monitor.commitRun({ tenantId, expectedEtag: null, state: minimalState(tenantId, { at: new Date(START).toISOString() }), alerts: full });
      return { tenantId, ids: full.map((a) => a.id) };
    },
  };
}

/** The store with markSent failing once (a sender killed after the send, before recording it). */
function crashingOnce(store: DeliveryStore, error = "process killed after the send"): DeliveryStore {
  let crashed = false;
  return {
    listDue: (...a) => store.listDue(...a),
    get: (...a) => store.get(...a),
    claim: (...a) => store.claim(...a),
    recordChannelSent: (...a) => store.recordChannelSent(...a),
    recordFailure: (...a) => store.recordFailure(...a),
    deadLetter: (...a) => store.deadLetter(...a),
    markSent: async (...a) => {
      if (!crashed) {
        crashed = true;
        throw new Error(error);
      }
      return store.markSent(...a);
    },
  };
}

/** A local incoming-webhook endpoint answering the scripted statuses, then 200. */
async function startHook(statuses: number[] = []): Promise<{ url: string; bodies: string[]; stop(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(statuses.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const postsFor = (id: string) => fake.requests.filter((r) => r.method === "POST" && r.operationId === operationIdFor(id));
const acceptedFor = (id: string) => fake.accepted.filter((a) => a.operationId === operationIdFor(id));

describe("ACS delivery", () => {
  it("delivers a row once, to the tenant's and the global recipients de-duplicated, and marks it sent", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
    const id = ids[0]!;
    const summary = await deliverDue(h.deps());
    expect(summary).toMatchObject({ sent: 1, retrying: 0, deadLettered: 0, errors: 0 });
    const [email] = acceptedFor(id);
    expect(email?.to).toEqual(["ops@contoso.com", "noc@msp.example"]);
    expect(email?.senderAddress).toBe("DoNotReply@drift.example.com");
    expect(email?.subject).toMatch(/^\[Drift\] Contoso — connection account blocked by CA policy/);
    expect(email?.plainText).toContain("Users → Exclude");
    expect(email?.html).toContain("<table");

    const row = await h.outbox.get(tenantId, id);
    expect(row).toMatchObject({ delivery: "sent", attempts: 1, sentChannels: ["acs"], lastError: null });
    // The Monitor repository (issue 3) reads the same columns.
    expect(await h.store.monitor.getAlert(tenantId, id)).toMatchObject({ delivery: "sent", attempts: 1 });

    expect(await deliverDue(h.deps())).toMatchObject({ sent: 0, outcomes: [] });
    expect(postsFor(id)).toHaveLength(1);
  });

  it("retries after a 429, waiting what Retry-After asked", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.resolved!);
    fake.script({ status: 429, retryAfterSeconds: 7 });
    const summary = await deliverDue(h.deps());
    expect(summary).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(h.sleeps).toEqual([7_000]);
    expect(postsFor(ids[0]!).map((p) => p.status)).toEqual([429, 202]);
    expect(acceptedFor(ids[0]!)).toHaveLength(1);
    // Being told to wait is not a failed attempt.
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, throttled: 1, lastError: expect.stringContaining("429") });
  });

  it("leaves a long Retry-After to the next sweep and stops sending to a throttled service", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.reminder!, SAMPLES["monitoring-restored"]!);
    fake.script({ status: 429, retryAfterSeconds: 120 });
    const first = await deliverDue(h.deps());
    expect(first).toMatchObject({ sent: 0, retrying: 1 });
    expect(first.stoppedEarly).toMatch(/throttled/);
    expect(h.sleeps).toEqual([]);
    const row = await h.outbox.get(tenantId, ids[0]!);
    expect(row?.nextAttemptAt).toBe(new Date(START + 120_000).toISOString());
    expect(await h.outbox.markers.throttledUntil("acs")).toEqual(new Date(START + 120_000));
    h.clock.t += 60_000;
    // The other row was never throttled itself, but the sender is: the sweep waits out the minute left.
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1 });
    expect(h.sleeps).toEqual([60_000]);
    expect(acceptedFor(ids[1]!)).toHaveLength(1);
    h.clock.t += 60_000;
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1 });
    expect(ids.map((id) => acceptedFor(id).length)).toEqual([1, 1]);
  });

  it("never sends twice when the sender crashes between sending and recording it", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["security-notice"]!);
    const deps = h.deps();
    let crashed = false;
    const crashing: DeliveryStore = {
      ...crashingOnce(deps.store),
      markSent: (...a) => deps.store.markSent(...a),
      recordChannelSent: async (...a) => {
        if (!crashed) {
          crashed = true;
          throw new Error("process killed after the send");
        }
        return deps.store.recordChannelSent(...a);
      },
    };
    const first = await deliverDue({ ...deps, store: crashing });
    expect(first).toMatchObject({ sent: 0, errors: 1 });
    expect(acceptedFor(ids[0]!)).toHaveLength(1);
    // Leased: a sweep right now leaves it alone (the dead sender might still be at it).
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ outcomes: [] });
    h.clock.t += 5 * 60_000 + 1;
    const second = await deliverDue({ ...deps, store: crashing });
    expect(second).toMatchObject({ sent: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(2); // sent again with the same operation id…
    expect(acceptedFor(ids[0]!)).toHaveLength(1); // …which the service folds into the first
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 2 });
  });

  it("a sender that dies after recording the send but before marking it sent: marked sent without sending again", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["security-notice"]!);
    const deps = h.deps();
    const crashing = crashingOnce(deps.store);
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 0, errors: 1 });
    h.clock.t += 5 * 60_000 + 1;
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(1);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, sentChannels: ["acs"] });
  });

  it("does not double-send when two senders sweep at once", async () => {
    const h = harness();
    const { ids } = await h.write(SAMPLES["monitoring-degraded"]!);
    const [a, b] = await Promise.all([deliverDue(h.deps()), deliverDue(h.deps())]);
    expect(a.sent + b.sent).toBe(1);
    // The loser either saw the row leased (not due) or lost the claim's ETag race.
    expect(a.outcomes.length + b.outcomes.length - a.skipped - b.skipped).toBe(1);
    expect(postsFor(ids[0]!)).toHaveLength(1);
  });

  it("dead-letters after ALERT_MAX_ATTEMPTS, and the digest lists it", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(alertOf("dead", SAMPLES["drift-detected"]!.transitions));
    fake.script({ status: 500 }, { status: 503 }, { status: 500 });
    const deps = h.deps({ env: { ALERT_MAX_ATTEMPTS: "3" }, backoff: { baseMs: 1_000, maxMs: 10_000 } });
    const summary = await deliverDue(deps);
    expect(summary).toMatchObject({ sent: 0, deadLettered: 1 });
    expect(h.sleeps).toHaveLength(2);
    expect(acceptedFor(ids[0]!)).toHaveLength(0);
    const [dead] = await h.outbox.listDeadLettered({ tenantId });
    expect(dead).toMatchObject({ delivery: "failed", attempts: 3, lastError: expect.stringMatching(/acs: ACS 500 .*gave up after 3 attempts/) });
    expect(await deliverDue(deps)).toMatchObject({ outcomes: [] });

    const dir = mkdtempSync(join(tmpdir(), "digest-"));
    temps.push(dir);
    const emlSettings = loadAlertSettings({ OUTBOX_DIR: dir, ALERT_TO: "noc@msp.example" });
    const result = await sendDigest({
      sources: {
        listStates: () => h.store.monitor.listStates(),
        listTenants: () => h.store.tenants.list(),
        listDeadLettered: () => h.outbox.listDeadLettered(),
      },
      channels: createChannels(emlSettings),
      settings: emlSettings,
      now: () => new Date(h.clock.t),
      sleep: async () => undefined,
    });
    expect(result.channels[0]?.outcome.ok).toBe(true);
    const mail = parseMime(readFileSync(join(dir, `${result.id}.eml`), "utf8"));
    expect(mail.subject).toContain("1 undelivered alert");
    expect(mail.parts[0]?.body).toContain(ids[0]!);
  });

  it("dead-letters at once what repeating cannot fix (the service failed the operation)", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(alertOf("bounce", SAMPLES.resolved!.transitions, { recipients: ["bounce@example.com"] }));
    expect(await deliverDue(h.deps({ env: { ALERT_TO: "" } }))).toMatchObject({ deadLettered: 1 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "failed", attempts: 1, lastError: expect.stringMatching(/failed/) });
  });
});

describe(".eml delivery", () => {
  it("writes one parseable file per row, overwritten (not duplicated) on re-delivery", async () => {
    const h = harness();
    const dir = mkdtempSync(join(tmpdir(), "outbox-"));
    temps.push(dir);
    const { tenantId, ids } = await h.write(HOSTILE);
    const deps = h.deps({ env: { ACS_CONNECTION_STRING: "", ALERT_FROM: "", OUTBOX_DIR: dir } });
    expect(deps.channels.map((c) => c.name)).toEqual(["eml"]);
    let crashed = false;
    const crashing: DeliveryStore = {
      ...deps.store,
      listDue: (...a) => deps.store.listDue(...a),
      get: (...a) => deps.store.get(...a),
      claim: (...a) => deps.store.claim(...a),
      recordChannelSent: (...a) => deps.store.recordChannelSent(...a),
      recordFailure: (...a) => deps.store.recordFailure(...a),
      deadLetter: (...a) => deps.store.deadLetter(...a),
      markSent: async (...a) => {
        if (!crashed) {
          crashed = true;
          throw new Error("crash");
        }
        return deps.store.markSent(...a);
      },
    };
    await deliverDue({ ...deps, store: crashing });
    const first = readFileSync(join(dir, `${ids[0]}.eml`), "utf8");
    h.clock.t += 10 * 60_000;
    expect(await deliverDue({ ...deps, store: crashing })).toMatchObject({ sent: 1 });
    expect(readdirSync(dir)).toEqual([`${ids[0]}.eml`]);
    expect(readFileSync(join(dir, `${ids[0]}.eml`), "utf8")).toBe(first);
    const mail = parseMime(first);
    expect(mail.subject).toContain('Contoso & "Partners" — Ünïcødé 株式会社');
    expect(mail.parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["eml"] });
  });
});

describe("email and webhook together", () => {
  it("retries only the channel that failed: the email is not sent again for a webhook hiccup", async () => {
    const statuses = [500, 200];
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(statuses.shift() ?? 200);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const port = (server.address() as AddressInfo).port;
      const deps = h.deps({
        env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, ALERT_WEBHOOK_FORMAT: "teams" },
        backoff: { baseMs: 1_000, maxMs: 1_000 },
      });
      expect(deps.channels.map((c) => c.name)).toEqual(["acs", "webhook"]);
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(postsFor(ids[0]!)).toHaveLength(1);
      expect(bodies).toHaveLength(2);
      expect(JSON.parse(bodies[1]!)).toMatchObject({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }] });
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 2, sentChannels: ["acs", "webhook"] });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("throttling (an Azure-managed sender domain: about 5 emails a minute)", () => {
  it(
    "a burst of 150 alerts (a first import) through the queue trigger and the sweep: none dead-lettered, each sent once, no 429 counted as an " + "attempt",
    async () => {
      const h = harness();
      const rows: Array<{ tenantId: string; id: string }> = [];
      for (let t = 0; t < 30; t++) {
        const kinds = ["drift-detected", "resolved", "reminder", "monitoring-degraded", "security-notice"] as const;
        const { tenantId, ids } = await h.write(...kinds.map((k, i) => alertOf(`burst${i}`, SAMPLES[k]!.transitions)));
        rows.push(...ids.map((id) => ({ tenantId, id })));
      }
      fake.limit({ perWindow: 5, windowMs: 60_000, now: () => h.clock.t, retryAfter: "alternate" });
      try {
        const deps = h.deps();
        // The alerts queue trigger: 48 messages at once (24 per instance, two instances).
        const wave = await Promise.all(rows.slice(0, 48).map((r) => deliverAlert(deps, r.tenantId, r.id)));
        expect(wave.filter((o) => o.status === "dead-lettered")).toEqual([]);
        expect(wave.filter((o) => o.status === "sent")).toHaveLength(5);
        // A message arriving now is left for the sweep: the sender is in backoff.
        const late = await deliverAlert(deps, rows[149]!.tenantId, rows[149]!.id);
        expect(late).toMatchObject({ status: "skipped", reason: expect.stringMatching(/throttled/) });

        // The sweep every 5 minutes until everything is out.
        let sweeps = 0;
        for (; sweeps < 30; sweeps++) {
          const pending = (await h.outbox.listUndelivered()).filter((r) => rows.some((x) => x.tenantId === r.tenantId));
          if (pending.length === 0) break;
          h.clock.t += 5 * 60_000;
          const summary = await deliverDue(deps);
          expect(summary.deadLettered).toBe(0);
          expect(summary.errors).toBe(0);
        }
        expect(sweeps).toBeLessThan(30);
        for (const r of rows) {
          const row = await h.outbox.get(r.tenantId, r.id);
          expect(row).toMatchObject({ delivery: "sent", attempts: 1 });
          expect(acceptedFor(r.id)).toHaveLength(1);
        }
        const throttled = await Promise.all(rows.map((r) => h.outbox.get(r.tenantId, r.id)));
        expect(throttled.some((r) => (r?.throttled ?? 0) > 0)).toBe(true);
      } finally {
        fake.limit(undefined);
      }
    },
  );

  it("a 429 without Retry-After pushes the row back a minute and records the sender's backoff, counting no attempt", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!, SAMPLES.resolved!);
    fake.script({ status: 429 });
    const deps = h.deps();
    const outcome = await deliverAlert(deps, tenantId, ids[0]!);
    expect(outcome).toMatchObject({ status: "retrying", attempts: 0, nextAttemptAt: new Date(START + 60_000).toISOString() });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "pending", attempts: 0, throttled: 1, lastError: expect.stringContaining("429") });
    expect(await h.outbox.markers.throttledUntil("acs")).toEqual(new Date(START + 60_000));
    // The other row's message: left alone while the sender is in backoff (no POST at all).
    expect(await deliverAlert(deps, tenantId, ids[1]!)).toMatchObject({ status: "skipped" });
    expect(postsFor(ids[1]!)).toHaveLength(0);
    // The sweep waits out the backoff (a minute: slept inline) and sends the other row; the next sends the first.
    expect(await deliverDue(deps)).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(h.sleeps).toEqual([60_000]);
    expect(await deliverDue(deps)).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1, throttled: 1 });
  });

  it("the sweep stops at its time budget and leaves the rest for the next one", async () => {
    const h = harness();
    const { ids } = await h.write(...["a", "b", "c", "d"].map((n) => alertOf(n, SAMPLES.resolved!.transitions)));
    fake.limit({ perWindow: 1, windowMs: 50_000, now: () => h.clock.t, retryAfter: "always" });
    try {
      // a at 0 s; b throttled, sent at 50 s; c throttled, sent at 100 s; d: past the 90 s budget.
      const summary = await deliverDue(h.deps({ sweepBudgetMs: 90_000 }));
      expect(summary).toMatchObject({ sent: 3, deadLettered: 0, stoppedEarly: expect.stringMatching(/time budget/) });
      expect(ids.map((id) => acceptedFor(id).length)).toEqual([1, 1, 1, 0]);
    } finally {
      fake.limit(undefined);
    }
  });
});

describe("requeue", () => {
  it("sends a requeued alert that ACS accepted and then failed under a new operation id", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
    fake.failOperations(1);
    expect(await deliverDue(h.deps())).toMatchObject({ deadLettered: 1 });
    const [dead] = await h.outbox.listDeadLettered({ tenantId });
    expect(dead).toMatchObject({ generation: 0, lastError: expect.stringMatching(/failed/) });
    const requeued = await h.outbox.requeue(dead!);
    expect(requeued).toMatchObject({ delivery: "pending", attempts: 0, generation: 1 });
    expect(await deliverDue(h.deps())).toMatchObject({ sent: 1, deadLettered: 0 });
    const ops = fake.accepted.filter((a) => a.headers["X-Drift-Monitor-Alert"] === ids[0]).map((a) => a.operationId);
    expect(ops).toEqual([operationIdFor(ids[0]!), operationIdFor(ids[0]!, 1)]);
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", generation: 1, attempts: 1 });
  });
});

describe("a sender that dies after delivering", () => {
  it("marks sent, not dead-lettered, a row whose every channel was recorded when markSent failed on the last attempt", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.reminder!);
    const deps = h.deps({ env: { ALERT_MAX_ATTEMPTS: "1" } });
    const store = crashingOnce(deps.store);
    expect(await deliverDue({ ...deps, store })).toMatchObject({ errors: 1 });
    // The channel was recorded the moment it succeeded, before markSent.
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "pending", attempts: 1, sentChannels: ["acs"] });
    h.clock.t += 5 * 60_000 + 1;
    expect(await deliverDue({ ...deps, store })).toMatchObject({ sent: 1, deadLettered: 0 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", attempts: 1 });
    expect(postsFor(ids[0]!)).toHaveLength(1);
  });

  it("records a channel before anything else runs, even a logger that throws", async () => {
    const h = harness();
    const { tenantId, ids } = await h.write(SAMPLES.resolved!);
    const deps = h.deps({
      log: (e) => {
        if (e.kind === "sent") throw new Error("logger broke");
      },
    });
    expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
    expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["acs"] });
  });

  it("does not post the webhook again when the sender dies after the POST", async () => {
    const hook = await startHook();
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const deps = h.deps({ env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "slack" } });
      const store = crashingOnce(deps.store);
      expect(await deliverDue({ ...deps, store })).toMatchObject({ errors: 1 });
      h.clock.t += 5 * 60_000 + 1;
      expect(await deliverDue({ ...deps, store })).toMatchObject({ sent: 1 });
      expect(hook.bodies).toHaveLength(1);
      expect(await h.outbox.get(tenantId, ids[0]!)).toMatchObject({ delivery: "sent", sentChannels: ["acs", "webhook"] });
    } finally {
      await hook.stop();
    }
  });
});

describe("digest", () => {
  function digestDeps(h: Harness, dir: string, hookUrl: string) {
    const settings = loadAlertSettings({ OUTBOX_DIR: dir, ALERT_TO: "noc@msp.example", ALERT_WEBHOOK_URL: hookUrl, ALERT_WEBHOOK_FORMAT: "teams" });
    return {
      sources: {
        listStates: () => h.store.monitor.listStates(),
        listTenants: () => h.store.tenants.list(),
        listDeadLettered: () => h.outbox.listDeadLettered(),
      },
      channels: createChannels(settings),
      settings,
      ledger: h.outbox.markers,
      now: () => new Date(h.clock.t),
      sleep: async () => undefined,
      random: () => 0.5,
    };
  }

  it("a timer firing twice (or two at once) the same day posts the webhook once; the next day posts again", async () => {
    const hook = await startHook();
    const dir = mkdtempSync(join(tmpdir(), "digest-"));
    temps.push(dir);
    try {
      const h = harness();
      const deps = digestDeps(h, dir, hook.url);
      const [a, b] = await Promise.all([sendDigest(deps), sendDigest(deps)]);
      expect(hook.bodies).toHaveLength(1);
      expect([...a.channels, ...b.channels].filter((c) => c.name === "webhook" && c.outcome.ok && !c.alreadySent)).toHaveLength(1);
      h.clock.t += 3 * 60 * 60_000;
      const again = await sendDigest(deps);
      expect(again.channels.map((c) => [c.name, c.alreadySent])).toEqual([
        ["eml", true],
        ["webhook", true],
      ]);
      expect(hook.bodies).toHaveLength(1);
      h.clock.t += 24 * 60 * 60_000;
      const tomorrow = await sendDigest(deps);
      expect(tomorrow.channels.every((c) => c.outcome.ok && !c.alreadySent)).toBe(true);
      expect(hook.bodies).toHaveLength(2);
    } finally {
      await hook.stop();
    }
  });

  it("a channel that failed is tried again by a later run the same day, the others are not", async () => {
    const hook = await startHook([500, 500, 500]);
    const dir = mkdtempSync(join(tmpdir(), "digest-"));
    temps.push(dir);
    try {
      const h = harness();
      const deps = digestDeps(h, dir, hook.url);
      const first = await sendDigest(deps);
      expect(first.channels.map((c) => [c.name, c.outcome.ok])).toEqual([
        ["eml", true],
        ["webhook", false],
      ]);
      const second = await sendDigest(deps);
      expect(second.channels.map((c) => [c.name, c.outcome.ok, c.alreadySent ?? false])).toEqual([
        ["eml", true, true],
        ["webhook", true, false],
      ]);
      expect(hook.bodies).toHaveLength(4);
      await sendDigest(deps);
      expect(hook.bodies).toHaveLength(4);
    } finally {
      await hook.stop();
    }
  });
});
