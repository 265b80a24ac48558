/**
 * The dashboard function through `HttpRequest` and the exported handler, against Azurite and the
 * simulator, signed in as the operator (who may open it: functions-dashboard-sign-in.test.ts):
 * the notices, the estate's read, the CSP and other headers of every answer, and check now and
 * requeue refused without the same origin and the CSRF token, done with them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setApp, type App } from "../../functions/app/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, sampleInput, takeAll, testApp, TestClock } from "./functions-helpers.js";
import { call, ORIGIN, SIGNED_IN_APP_ENV, signedIn } from "./functions-dashboard-helpers.js";
import { checkTenant } from "../../functions/handlers/index.js";

const fabrikam = sampleTenant("Fabrikam");

let sim: RunningSimulator;
let app: App;
/** The operator, signed in by App Service (principal and ID token). */
let OPERATOR: Record<string, string>;

beforeAll(async () => {
  sim = await startTestSimulator();
  const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock, SIGNED_IN_APP_ENV);
  setApp(app);
  OPERATOR = signedIn(sim);
  await app.store.tenants.put(sampleInput("Fabrikam"));
  await checkTenant({ tenantId: fabrikam.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
});
afterAll(async () => {
  setApp(undefined);
  await sim.stop();
});
afterEach(() => setApp(app));

describe("the notice after check now", () => {
  it("shows only the notices it knows: ?checked= naming an Object.prototype member shows none", async () => {
    for (const checked of ["constructor", "toString", "__proto__"]) {
      const r = await call("GET", `tenants/${fabrikam.tenantId}`, OPERATOR, undefined, `checked=${checked}`);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('role="status"');
    }
    const queued = await call("GET", `tenants/${fabrikam.tenantId}`, OPERATOR, undefined, "checked=queued");
    expect(queued.text).toContain("A check was queued");
  });
});

describe("the estate's read", () => {
  it("comes from storage at most every 30 s (10,000 tenants are every registration and state, each time), saying when it was read", async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    const own = testApp(sim, clock, SIGNED_IN_APP_ENV);
    setApp(own);
    const contoso = sampleTenant("Contoso");
    await own.store.tenants.put(sampleInput("Fabrikam"));
    const first = await call("GET", "", OPERATOR);
    expect(first.text).toContain(fabrikam.displayName);
    expect(first.text).toContain('As of <time datetime="2026-03-02T08:00:00.000Z">');
    await own.store.tenants.put(sampleInput("Contoso"));
    clock.advanceMinutes(0.4);
    // Another page, filter or search within the 30 s: the same read.
    const again = await call("GET", "", OPERATOR, undefined, "q=o");
    expect(again.text).toContain(fabrikam.displayName);
    expect(again.text).not.toContain(contoso.displayName);
    clock.advanceMinutes(0.2);
    const later = await call("GET", "", OPERATOR, undefined, "q=o");
    expect(later.text).toContain(contoso.displayName);
    expect(later.text).toContain('As of <time datetime="2026-03-02T08:00:36.000Z">');
  });
});

describe("headers", () => {
  it("every page and asset carries a strict CSP without inline script or style, and no-store", async () => {
    for (const rest of ["", `tenants/${fabrikam.tenantId}`, "assets/dashboard.css", "assets/dashboard.js", "nope"]) {
      const r = await call("GET", rest, OPERATOR);
      const csp = r.h.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(r.h.get("x-content-type-options")).toBe("nosniff");
      if (r.status === 200 && rest.startsWith("tenants")) {
        expect(r.text).not.toMatch(/<script>|<style>|\sstyle="|\son[a-z]+="/i);
        expect(r.h.get("set-cookie")).toMatch(/^dm_csrf=[A-Za-z0-9_-]{32}; Path=\/api\/dashboard; HttpOnly; SameSite=Strict; Secure$/);
      }
    }
  });
});

describe("check now", () => {
  async function token(): Promise<{ cookie: string; csrf: string }> {
    const r = await call("GET", `tenants/${fabrikam.tenantId}`, OPERATOR);
    const cookie = (r.h.get("set-cookie") ?? "").split(";")[0] ?? "";
    const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? "";
    expect(cookie).toBe(`dm_csrf=${csrf}`);
    return { cookie, csrf };
  }

  it.each([
    ["from another origin", (t: { cookie: string; csrf: string }) => ({ origin: "https://evil.example", cookie: t.cookie, body: `csrf=${t.csrf}` })],
    ["with Origin: null", (t: { cookie: string; csrf: string }) => ({ origin: "null", cookie: t.cookie, body: `csrf=${t.csrf}` })],
    ["without the token", (t: { cookie: string; csrf: string }) => ({ origin: ORIGIN, cookie: t.cookie, body: "" })],
    ["with a token not the cookie's", (t: { cookie: string; csrf: string }) => ({ origin: ORIGIN, cookie: t.cookie, body: `csrf=${"A".repeat(32)}` })],
    ["without the cookie", (t: { cookie: string; csrf: string }) => ({ origin: ORIGIN, cookie: "", body: `csrf=${t.csrf}` })],
  ])("is refused %s, and nothing is queued", async (_, make) => {
    await takeAll(app.queues.tenantChecks.client);
    const t = make(await token());
    const r = await call("POST", `tenants/${fabrikam.tenantId}/check`, { ...OPERATOR, origin: t.origin, cookie: t.cookie }, t.body);
    expect(r.status).toBe(403);
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);
  });

  it("is refused without the role even with a good token", async () => {
    const t = await token();
    const viewer = signedIn(sim, { roles: ["Reader"] });
    const r = await call("POST", `tenants/${fabrikam.tenantId}/check`, { ...viewer, origin: ORIGIN, cookie: t.cookie }, `csrf=${t.csrf}`);
    expect(r.status).toBe(403);
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);
  });

  it("is refused when only X-Forwarded-Host names the other origin (a caller sets that header, not the browser's Host)", async () => {
    await takeAll(app.queues.tenantChecks.client);
    const t = await token();
    const headers = { ...OPERATOR, origin: "https://evil.example", "x-forwarded-host": "evil.example", cookie: t.cookie };
    const r = await call("POST", `tenants/${fabrikam.tenantId}/check`, headers, `csrf=${t.csrf}`);
    expect(r.status).toBe(403);
    expect(r.text).toContain("cross-origin");
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);
  });

  it("queues one check (the API's path: lease and queue) and redirects back to the tenant", async () => {
    await app.leases.clear(fabrikam.tenantId);
    await takeAll(app.queues.tenantChecks.client);
    const t = await token();
    const r = await call("POST", `tenants/${fabrikam.tenantId}/check`, { ...OPERATOR, origin: ORIGIN, cookie: t.cookie }, `csrf=${t.csrf}`);
    expect(r.status).toBe(303);
    expect(r.h.get("location")).toBe(`/api/dashboard/tenants/${fabrikam.tenantId}?checked=queued`);
    const queued = (await takeAll(app.queues.tenantChecks.client)).map((m) => JSON.parse(m) as { tenantId: string; reason: string });
    expect(queued).toEqual([expect.objectContaining({ tenantId: fabrikam.tenantId, reason: "manual" })]);
  });

  it("requeue puts a dead-lettered alert back in line, only with the token; the page lists it with its button until then", async () => {
    const [row] = await app.store.outbox.listUndelivered({ tenantId: fabrikam.tenantId });
    if (!row) throw new Error("the check wrote no alert for Fabrikam");
    await app.store.outbox.deadLetter(row, new Date(), "ACS said no");
    const t = await token();
    const page = await call("GET", `tenants/${fabrikam.tenantId}`, { ...OPERATOR, cookie: t.cookie });
    expect(page.text).toContain(`/tenants/${fabrikam.tenantId}/alerts/${row.alert.id}/requeue`);
    expect(page.text).toContain("ACS said no");
    const route = `tenants/${fabrikam.tenantId}/alerts/${row.alert.id}/requeue`;
    const refused = await call("POST", route, { ...OPERATOR, origin: "https://evil.example", cookie: t.cookie }, `csrf=${t.csrf}`);
    expect(refused.status).toBe(403);
    expect(await app.store.outbox.listDeadLettered({ tenantId: fabrikam.tenantId })).toHaveLength(1);
    const r = await call("POST", route, { ...OPERATOR, origin: ORIGIN, cookie: t.cookie }, `csrf=${t.csrf}`);
    expect(r.status).toBe(303);
    expect(r.h.get("location")).toBe(`/api/dashboard/tenants/${fabrikam.tenantId}?checked=requeued`);
    expect(await app.store.outbox.listDeadLettered({ tenantId: fabrikam.tenantId })).toEqual([]);
    expect((await app.store.outbox.get(fabrikam.tenantId, row.alert.id))?.delivery).toBe("pending");
  });

  it("answers 405 to a GET of the check route and 404 to an unknown tenant", async () => {
    expect((await call("GET", `tenants/${fabrikam.tenantId}/check`, OPERATOR)).status).toBe(405);
    expect((await call("GET", "tenants/00000000-0000-4000-8000-0000000000ff", OPERATOR)).status).toBe(404);
    expect((await call("GET", "tenants/not-a-guid", OPERATOR)).status).toBe(400);
    expect((await call("GET", "tenants/%E0%A4%A", OPERATOR)).status).toBe(400);
    expect((await call("GET", "", OPERATOR)).status).toBe(200);
  });
});
