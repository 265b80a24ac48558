/**
 * The estate page's exception templates through `HttpRequest` and the exported dashboard handler,
 * against Azurite and the simulator: approve one for every tenant as the signed-in operator (the
 * actor is the verified person, never a form field), shown on the estate page and in a tenant's
 * check at once, and remove it; refused without the role, the same origin or the CSRF token;
 * invalid forms answered with the estate page and the reason, escaped. Each change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setApp, type App } from "../../functions/app/index.js";
import { checkTenant } from "../../functions/handlers/index.js";
import { ESTATE_SCOPE } from "../../lib/model/standing.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, type TestClock } from "./functions-helpers.js";
import { call, ORIGIN, signedIn, signedInFabrikam } from "./functions-dashboard-helpers.js";

const fabrikam = sampleTenant("Fabrikam");
const t = fabrikam.tenantId;

let sim: RunningSimulator;
let app: App;
let clock: TestClock;
let OPERATOR: Record<string, string>;

beforeAll(async () => {
  sim = await startTestSimulator();
  ({ app, clock, operator: OPERATOR } = await signedInFabrikam(sim));
});
afterAll(async () => {
  setApp(undefined);
  await sim.stop();
});

async function session(): Promise<{ cookie: string; csrf: string }> {
  const r = await call("GET", "", OPERATOR);
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? "";
  return { cookie: `dm_csrf=${csrf}`, csrf };
}

async function post(route: string, fields: Record<string, string>, headers: Record<string, string> = OPERATOR) {
  const s = await session();
  const body = new URLSearchParams({ csrf: s.csrf, ...fields }).toString();
  return call("POST", `estate/${route}`, { origin: ORIGIN, ...headers, cookie: s.cookie }, body);
}

const audit = () => app.store.standings.listAudit(ESTATE_SCOPE);
const WAIVE = { what: "check", checkId: "security-defaults", reason: "estate standard", owner: "MSP", reference: "POL-1", expiresAt: "2026-09-01" };
const checkNow = () => checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
const stateOf = async () => (await app.store.monitor.readState(t))?.state.findings.find((f) => f.key === "security-defaults|");

describe("the estate page's exceptions for every tenant", () => {
  it("offers the approve form with the CSRF token", async () => {
    const r = await call("GET", "", OPERATOR);
    expect(r.status).toBe(200);
    expect(r.text).toContain('action="/api/dashboard/estate/exceptions"');
    expect(r.text).toMatch(
      /<form class="decide estate-approve" method="post" action="\/api\/dashboard\/estate\/exceptions">[\s\S]*?name="csrf" value="[\w-]{32}"/,
    );
  });

  it.each([
    ["without the role", () => signedIn(sim, { roles: ["Reader"] }), {}, 403],
    ["not signed in", () => ({}), {}, 401],
    ["from another origin", () => OPERATOR, { origin: "https://evil.example" }, 403],
  ] as const)("is refused %s, and nothing is written", async (_, who, extra, status) => {
    const s = await session();
    const body = new URLSearchParams({ csrf: s.csrf, ...WAIVE }).toString();
    const r = await call("POST", "estate/exceptions", { origin: ORIGIN, ...who(), ...extra, cookie: s.cookie }, body);
    expect(r.status).toBe(status);
    expect(await audit()).toEqual([]);
  });

  it("is refused with a token not the cookie's, and GET is not a way in", async () => {
    const s = await session();
    const body = new URLSearchParams({ ...WAIVE, csrf: "A".repeat(32) }).toString();
    const r = await call("POST", "estate/exceptions", { ...OPERATOR, origin: ORIGIN, cookie: s.cookie }, body);
    expect(r.status).toBe(403);
    expect(r.text).toContain("CSRF");
    expect((await call("GET", "estate/exceptions", OPERATOR)).status).toBe(405);
    expect((await call("POST", "estate/elsewhere", OPERATOR)).status).toBe(404);
    expect(await audit()).toEqual([]);
  });

  it("answers an invalid form with the estate page and the reason, escaped, and writes nothing", async () => {
    const noControls = await post("exceptions", { ...WAIVE, what: "policy", policy: "CA07 - Office only" });
    expect(noControls.status).toBe(400);
    expect(noControls.text).toContain("needs its display name and the grant controls");
    const far = await post("exceptions", { ...WAIVE, expiresAt: "2028-01-01" });
    expect(far.status).toBe(400);
    expect(far.text).toContain("within 366 days");
    const hostile = await post("exceptions", { ...WAIVE, reason: " ", owner: "<img src=x onerror=alert(1)>" });
    expect(hostile.status).toBe(400);
    expect(hostile.text).toContain("reason is required");
    expect(hostile.text).toContain("<h1>Estate</h1>");
    const gone = await post("exceptions/remove", { id: "check:<b>nothing</b>" });
    expect(gone.status).toBe(404);
    expect(gone.text).toContain("check:&lt;b&gt;nothing&lt;/b&gt;");
    expect(gone.text).not.toContain("<b>nothing");
    expect(await audit()).toEqual([]);
  });

  it("approves a waiver for every tenant as the signed-in person, applied by the next check; removed, the next check has the drift again", async () => {
    expect((await stateOf())?.state).not.toBe("excepted");
    const r = await post("exceptions", { ...WAIVE, by: "Mallory" });
    expect(r.status).toBe(303);
    expect(r.h.get("location")).toBe("/api/dashboard/?checked=estate-excepted#estate-exceptions");
    const shown = await call("GET", "", OPERATOR, undefined, "checked=estate-excepted");
    expect(shown.text).toContain("The exception was approved for every tenant");
    expect(shown.text).toMatch(/<tr data-exception="check:security-defaults">[\s\S]*?check security-defaults waived[\s\S]*?by Ada Operator/);
    expect(shown.text).toContain('action="/api/dashboard/estate/exceptions/remove"');
    expect(shown.text).not.toContain("Mallory");
    expect((await audit()).map((a) => [a.action, a.by])).toEqual([["exception-approved", "Ada Operator"]]);

    clock.advanceMinutes(30);
    await checkNow();
    expect(await stateOf()).toMatchObject({ state: "excepted", standing: { scope: ESTATE_SCOPE, owner: "MSP" } });
    const tenantPage = await call("GET", `tenants/${t}`, OPERATOR);
    expect(tenantPage.text).toContain("every tenant");

    clock.advanceMinutes(5);
    const removed = await post("exceptions/remove", { id: "check:security-defaults" });
    expect(removed.status).toBe(303);
    expect(removed.h.get("location")).toBe("/api/dashboard/?checked=estate-exception-removed#estate-exceptions");
    const after = await call("GET", "", OPERATOR);
    expect(after.text).toContain("removed by Ada Operator");
    expect(after.text).not.toContain('action="/api/dashboard/estate/exceptions/remove"');
    expect((await audit()).map((a) => a.action)).toEqual(["exception-removed", "exception-approved"]);
    clock.advanceMinutes(30);
    await checkNow();
    expect((await stateOf())?.state).not.toBe("excepted");
  });
});
