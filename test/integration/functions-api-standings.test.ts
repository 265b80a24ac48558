/**
 * The tenants API's acknowledgement, exception and audit routes through the exported handler,
 * against Azurite and the simulator (a real check first, so there is a finding to acknowledge).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpResponse, type HttpResponseInit } from "@azure/functions";
import { setApp, type App } from "../../functions/app/index.js";
import { api, apiRequest, checkTenant } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, quietContext, testApp, TestClock } from "./functions-helpers.js";

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

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const init: HttpResponseInit = await api(apiRequest(method, path, body === undefined ? {} : { body }), quietContext());
  const response = new HttpResponse(init);
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

const woodgrove = sampleTenant("Woodgrove");
const t = woodgrove.tenantId;

describe("tenants API: acknowledgements, exceptions, audit", () => {
  it("acknowledges an open finding (one of two racing wins), shows it, approves an exception, and lists the audit trail", async () => {
    sim.state.reset();
    clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.setClock(clock.now);
    app = testApp(sim, clock);
    setApp(app);
    expect((await call("PUT", t, { displayName: woodgrove.displayName, account: woodgrove.account, recipients: ["ops@example.com"] })).status).toBe(201);
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));

    const bad = await call("POST", `${t}/acks`, { checkId: "security-defaults", reason: " ", by: "ann", for: "40d" });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(["for", "reason"]);
    expect((await call("POST", `${t}/acks`, { checkId: "mfa", reason: "r", by: "ann" })).status).toBe(404);
    expect((await call("POST", `${sampleTenant("Contoso").tenantId}/acks`, { checkId: "mfa", reason: "r", by: "ann" })).status).toBe(404);

    clock.advanceMinutes(60);
    const racing = await Promise.all(["ann", "bob"].map((by) => call("POST", `${t}/acks`, { checkId: "security-defaults", reason: `on it (${by})`, by })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(racing.find((r) => r.status === 409)?.body.error).toMatch(/changed by someone else meanwhile/);

    clock.advanceMinutes(60);
    await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    const detail = await call("GET", t);
    const open = (detail.body as { openFindings: { checkId: string; state: string; standingText: string }[] }).openFindings;
    expect(open.find((f) => f.checkId === "security-defaults")).toMatchObject({
      state: "acknowledged",
      standingText: expect.stringMatching(/^acknowledged by (ann|bob) until/),
    });

    const far = await call("POST", `${t}/exceptions`, {
      checkId: "security-defaults",
      reason: "r",
      owner: "o",
      reference: "CHG-1",
      expiresAt: "2028-01-01",
      by: "ann",
    });
    expect(far).toMatchObject({ status: 400, body: { error: expect.stringContaining("within 366 days") } });
    const approved = await call("POST", `${t}/exceptions`, {
      checkId: "security-defaults",
      reason: "r",
      owner: "o",
      reference: "CHG-1",
      expiresAt: "2026-06-01",
      by: "ann",
    });
    expect(approved).toMatchObject({ status: 201, body: { exception: { id: "check:security-defaults", expiresAt: "2026-06-01T00:00:00.000Z" } } });
    expect((await call("GET", `${t}/exceptions`)).body.exceptions).toMatchObject([{ id: "check:security-defaults", owner: "o" }]);

    const audit = (await call("GET", `${t}/audit`)).body.audit as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(["exception-approved", "ack"]);
    const removed = await call("POST", `${t}/exceptions/remove`, { id: "check:security-defaults", by: "bob" });
    expect(removed).toMatchObject({ status: 200, body: { exception: { withdrawn: { by: "bob" } } } });
    expect((await call("POST", `${t}/exceptions/remove`, { id: "check:security-defaults", by: "bob" })).status).toBe(404);
    expect((await call("POST", `${t}/acks/withdraw`, { checkId: "security-defaults", by: "ann" })).status).toBe(200);
    expect((await call("POST", `${t}/acks/withdraw`, { checkId: "security-defaults", by: "ann" })).status).toBe(404);
  });
});
