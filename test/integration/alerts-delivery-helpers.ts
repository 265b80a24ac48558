/**
 * Set-up shared by the alerts-delivery-*.test.ts files. Delivery end to end: outbox rows written by the real store
 * (commitRun, Azurite), sent through the real @azure/communication-email SDK to the local fake ACS server, bookkeeping read back.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { type DeliveryDeps, type DeliveryStore } from "../../lib/alerts/deliver.js";
import { operationIdFor } from "../../lib/alerts/ids.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { sendBudgets } from "../../lib/alerts/quota.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { OutboxAlert } from "../../lib/model/state.js";
import { createOutboxDelivery, createStore, type OutboxDeliveryRepository, type Store } from "../../lib/store/index.js";
import { startAcsFake, type AcsFake } from "../support/acs-fake.js";
import { minimalState } from "../support/state.js";

export const START = new Date("2026-03-04T07:00:00.000Z").getTime();

export interface Harness {
  store: Store;
  /** The test's Monitor table (to write rows as an older version or a broken clock would). */
  monitorTable: string;
  outbox: OutboxDeliveryRepository;
  clock: { t: number };
  sleeps: number[];
  deps(extra?: Partial<DeliveryDeps> & { env?: Record<string, string> }): DeliveryDeps;
  /** Writes alerts as one run of a fresh tenant, through the real commitRun. */
  write(...alerts: Array<Omit<OutboxAlert, "tenantId">>): Promise<{ tenantId: string; ids: string[] }>;
}

export let fake: AcsFake;

export const temps: string[] = [];

export function harness(): Harness {
  const target = loadStoreSettings(process.env).storage;
  const monitorTable = `AlertsMonitor${randomBytes(4).toString("hex")}`;
  const store = createStore(target, { tenantsTable: `AlertsTenants${randomBytes(4).toString("hex")}`, monitorTable });
  const outbox = createOutboxDelivery(target, { monitorTable });
  const clock = { t: START };
  const sleeps: number[] = [];
  return {
    store,
    monitorTable,
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
      const state = minimalState(tenantId, { at: new Date(START).toISOString() });
      await store.monitor.commitRun({ partition: tenantId, expectedEtag: null, state, alerts: full });
      return { tenantId, ids: full.map((a) => a.id) };
    },
  };
}

/** The store with markSent failing once (a sender killed after the send, before recording it). */
export function crashingOnce(store: DeliveryStore, error = "process killed after the send"): DeliveryStore {
  let crashed = false;
  return {
    listDue: (...a) => store.listDue(...a),
    get: (...a) => store.get(...a),
    claim: (...a) => store.claim(...a),
    recordChannelSent: (...a) => store.recordChannelSent(...a),
    recordChannelDead: (...a) => store.recordChannelDead(...a),
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
export async function startHook(statuses: number[] = []): Promise<{ url: string; bodies: string[]; headers: IncomingHttpHeaders[]; stop(): Promise<void> }> {
  const bodies: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
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
    headers,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const postsFor = (id: string) => fake.requests.filter((r) => r.method === "POST" && r.operationId === operationIdFor(id));
export const acceptedFor = (id: string) => fake.accepted.filter((a) => a.operationId === operationIdFor(id));

/** Registers the set-up and tear-down every test file of this group shares. */
export function useAcsFake(): void {
  beforeAll(async () => {
    fake = await startAcsFake({ rejectRecipients: ["bounce@example.com"] });
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  });
}

const MANAGED_FROM = "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net";

/** Delivery as the app wires it: the shared send budgets (ledger rows in the test's table) and the global roll-up. */
export function rollupDeps(h: Harness, env: Record<string, string>, extra: Partial<DeliveryDeps> = {}): DeliveryDeps {
  const full = { ACS_CONNECTION_STRING: fake.connectionString, ALERT_FROM: MANAGED_FROM, ...env };
  const settings = loadAlertSettings(full);
  return h.deps({
    env: full,
    budgets: sendBudgets(settings, (limits) => h.outbox.sendBudget(limits, { random: () => 0.5, sleep: async () => undefined })),
    rollup: { store: h.outbox.rollups },
    ...extra,
  });
}
