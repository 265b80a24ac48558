/**
 * The tenants API's read routes for a tenant with two accounts (a connection and an
 * emergency-access one), against Azurite and the simulator: each account with its kind, status
 * and report, the tenant rolled up from them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpResponse } from "@azure/functions";
import { setApp } from "../../functions/app/index.js";
import { api, apiRequest, checkTenant } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, quietContext, testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  setApp(undefined);
  await sim.stop();
});

async function get(path = ""): Promise<Record<string, unknown>> {
  const response = new HttpResponse(await api(apiRequest("GET", path), quietContext()));
  expect(response.status).toBe(200);
  return JSON.parse(await response.text()) as Record<string, unknown>;
}

const fabrikam = sampleTenant("Fabrikam");

describe("tenants API, a tenant with two accounts", () => {
  it("shows each account with its kind, status and report; the tenant's status is the worst account's", async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.setClock(clock.now);
    const app = testApp(sim, clock);
    setApp(app);
    const accounts = [
      { ref: fabrikam.account, kind: "connection" },
      { ref: "breakglass@fabrikam.onmicrosoft.com", kind: "emergency-access" },
    ];
    const stored = await app.store.tenants.put({ tenantId: fabrikam.tenantId, displayName: fabrikam.displayName, accounts });
    const second = stored.accounts[1]?.key;
    expect(second).toMatch(/^[0-9a-f]{12}$/);
    await checkTenant({ tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));

    const one = await get(fabrikam.tenantId);
    expect(one).toMatchObject({ status: "drifted", accountCount: 2 });
    // The one-account answer's fields are per account only when there are several.
    expect(one).not.toHaveProperty("report");
    expect(one).not.toHaveProperty("account");
    const shown = one.accounts as { key: string; kind: string; kindLabel: string; report: { status: string } | null }[];
    expect(shown.map((a) => [a.key, a.kind, a.kindLabel])).toEqual([
      ["", "connection", "connection account"],
      [second, "emergency-access", "emergency-access account"],
    ]);
    expect(shown[0]?.report?.status).toBe("drifted");
    const findings = one.openFindings as { accountKey: string; account: string }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.accountKey === "").map((f) => f.account)).toEqual(findings.filter((f) => f.accountKey === "").map(() => fabrikam.account));

    const list = await get();
    expect((list.tenants as Record<string, unknown>[]).find((t) => t.tenantId === fabrikam.tenantId)).toMatchObject({ accountCount: 2, status: "drifted" });
  });
});
