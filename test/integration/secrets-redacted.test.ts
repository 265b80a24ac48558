/**
 * Secrets echoed by upstream errors never reach what is stored, shown or logged. The simulator's
 * "echo-secret" fault quotes the credential it was sent: the token endpoint the client secret,
 * Graph the bearer token. After a check, the state, snapshots, alert rows (their rendered email
 * included), the API's answer and the captured logs are searched for them.
 */
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TableClient } from "@azure/data-tables";
import { setApp } from "../../functions/app/index.js";
import { api, apiRequest, checkTenant } from "../../functions/handlers/index.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { testApp, TestClock } from "./functions-helpers.js";

const CLIENT_SECRET = "leak-test-client-secret-7Q9~zz";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => setApp(undefined));

/** Every Monitor row as text, gzip parts unpacked. */
async function monitorRowsText(table: string, tenantId: string): Promise<string> {
  const client = TableClient.fromConnectionString(process.env.AzureWebJobsStorage!, table, { allowInsecureConnection: true });
  const out: string[] = [];
  for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) {
    for (const [k, v] of Object.entries(row)) {
      if (v instanceof Uint8Array) {
        try {
          out.push(gunzipSync(v).toString("utf8"));
        } catch {
          out.push(Buffer.from(v).toString("utf8"));
        }
      } else out.push(`${k}=${String(v)}`);
    }
  }
  return out.join("\n");
}

async function checkWithFault(endpoint: "token" | "user"): Promise<string> {
  sim.state.reset();
  const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  const suffix = Math.random().toString(16).slice(2, 10);
  const table = `FnLeakM${suffix}`;
  const app = testApp(sim, clock, { AZURE_CLIENT_SECRET: CLIENT_SECRET }, { storeOptions: { tenantsTable: `FnLeakT${suffix}`, monitorTable: table } });
  setApp(app);
  const t = sampleTenant("Fabrikam");
  const logged: string[] = [];
  const context = invocationContext({
    triggerMetadata: { dequeueCount: 1, id: "m" },
    logHandler: (_l, ...args) => void logged.push(args.map(String).join(" ")),
  });
  await api(apiRequest("PUT", t.tenantId, { body: { displayName: t.displayName, account: t.account, recipients: ["ops@example.com"] } }), context);
  sim.state.addFault({ tenantId: t.tenantId, endpoint, kind: "echo-secret" });
  for (let i = 0; i < 2; i++) {
    await checkTenant({ tenantId: t.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, context).catch((e: unknown) => logged.push(String(e)));
    clock.advanceMinutes(60);
  }
  const state = await app.store.monitor.readState(t.tenantId);
  const snapshots = await app.store.monitor.readSnapshots(t.tenantId, { limit: 10 });
  const alerts = await app.store.monitor.listAlerts(t.tenantId);
  const answer = await api(apiRequest("GET", t.tenantId, { query: { snapshots: "10" } }), context);
  const rows = await monitorRowsText(table, t.tenantId);
  const all = [JSON.stringify(state), JSON.stringify(snapshots), JSON.stringify(alerts), JSON.stringify(answer.jsonBody), logged.join("\n"), rows].join("\n");
  // The failure was recorded (the test would pass vacuously otherwise).
  expect(JSON.stringify(state)).toMatch(endpoint === "token" ? /AADSTS7000215/ : /InvalidAuthenticationToken/);
  return all;
}

describe("secrets in upstream errors", () => {
  it("the token endpoint echoing the client secret: the reason keeps AADSTS7000215, not the secret", async () => {
    const all = await checkWithFault("token");
    expect(all).not.toContain(CLIENT_SECRET);
    expect(all).not.toContain(encodeURIComponent(CLIENT_SECRET));
  });

  it("Graph echoing the bearer token: the reason keeps the Graph code, not the token", async () => {
    const all = await checkWithFault("user");
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./);
    expect(all).toContain("InvalidAuthenticationToken");
  });
});
