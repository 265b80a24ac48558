/**
 * The tenants API's acknowledgement, exception and audit routes through the exported handler,
 * against Azurite and the simulator (a real check first, so there is a finding to acknowledge).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpResponse, type HttpResponseInit } from "@azure/functions";
import { setApp, type App } from "../../functions/app/index.js";
import { api, apiRequest, checkTenant, estateApi } from "../../functions/handlers/index.js";
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

/** A fresh app on a fresh clock with Woodgrove registered and its Security Defaults turned on (a drift at its next check). */
async function woodgroveDrifting(): Promise<void> {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock);
  setApp(app);
  expect((await call("PUT", t, { displayName: woodgrove.displayName, account: woodgrove.account, recipients: ["ops@example.com"] })).status).toBe(201);
  sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
}

describe("tenants API: acknowledgements, exceptions, audit", () => {
  it("acknowledges an open finding (one of two racing wins), shows it, approves an exception, and lists the audit trail", async () => {
    await woodgroveDrifting();
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

async function callEstate(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const init: HttpResponseInit = await estateApi(apiRequest(method, path, { api: "estate", ...(body === undefined ? {} : { body }) }), quietContext());
  const response = new HttpResponse(init);
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

describe("estate API: the estate-wide exceptions and their audit trail", () => {
  it("approves a template every tenant inherits, refuses what a template may not be, removes it, and audits each change", async () => {
    await woodgroveDrifting();

    const template = { checkId: "security-defaults", reason: "estate standard", owner: "MSP", reference: "POL-1", expiresAt: "2026-09-01", by: "ann" };
    // A policy template names its allowed controls: no tenant's report says what they are.
    const noControls = await callEstate("POST", "exceptions", { ...template, checkId: undefined, policy: "CA07 - Office only" });
    expect(noControls.status).toBe(400);
    expect((await callEstate("POST", "exceptions", { ...template, by: undefined })).status).toBe(400);
    expect((await callEstate("POST", "exceptions", "{not json")).status).toBe(400);
    expect((await callEstate("DELETE", "exceptions")).status).toBe(405);
    expect((await callEstate("GET", "nothing")).status).toBe(404);

    const approved = await callEstate("POST", "exceptions", template);
    expect(approved).toMatchObject({ status: 201, body: { exception: { id: "check:security-defaults", scope: "~estate", by: "ann" } } });
    expect((await callEstate("GET", "exceptions")).body).toMatchObject({ scope: "estate", exceptions: [{ id: "check:security-defaults", owner: "MSP" }] });
    // Every tenant inherits it: the check records the drift as excepted, and the tenant's own lists show it.
    await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    type Detail = { openFindings: { checkId: string }[]; exceptedFindings: { checkId: string; state: string }[] };
    const excepted = ((await call("GET", t)).body as Detail).exceptedFindings;
    expect(excepted.find((f) => f.checkId === "security-defaults")).toMatchObject({ state: "excepted" });
    expect((await call("GET", `${t}/exceptions`)).body.exceptions).toMatchObject([{ scope: "~estate" }]);

    clock.advanceMinutes(60);
    expect((await callEstate("POST", "exceptions/remove", { id: "check:security-defaults", by: "bob" })).status).toBe(200);
    expect((await callEstate("POST", "exceptions/remove", { id: "check:security-defaults", by: "bob" })).status).toBe(404);
    const audit = (await callEstate("GET", "audit")).body.audit as { action: string; by: string; scope: string }[];
    expect(audit).toMatchObject([
      { action: "exception-removed", by: "bob", scope: "~estate" },
      { action: "exception-approved", by: "ann", scope: "~estate" },
    ]);
    // The removal is this process's own write: the next check has the drift again.
    await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
    const after = (await call("GET", t)).body as Detail;
    expect(after.exceptedFindings).toEqual([]);
    expect(after.openFindings.map((f) => f.checkId)).toContain("security-defaults");
  });
});
