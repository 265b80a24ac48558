/**
 * The tenant page's decisions through `HttpRequest` and the exported dashboard handler, against
 * Azurite and the simulator (a real check first, so there is a drift to decide on): acknowledge,
 * withdraw, approve and remove an exception as the signed-in operator — the actor is the verified
 * person, never a form field — refused without the role, the same origin or the CSRF token;
 * invalid forms and lost races answered with the page and the reason, escaped.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TableClient } from "@azure/data-tables";
import { setApp, type App } from "../../functions/app/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./functions-helpers.js";
import { call, ORIGIN, signedIn, signedInFabrikam } from "./functions-dashboard-helpers.js";

const fabrikam = sampleTenant("Fabrikam");
const t = fabrikam.tenantId;
const page = `tenants/${t}`;

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
afterEach(() => setApp(app));

async function session(): Promise<{ cookie: string; csrf: string }> {
  const r = await call("GET", page, OPERATOR);
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? "";
  return { cookie: `dm_csrf=${csrf}`, csrf };
}

async function post(route: string, fields: Record<string, string>, headers: Record<string, string> = OPERATOR) {
  const s = await session();
  const body = new URLSearchParams({ csrf: s.csrf, ...fields }).toString();
  return call("POST", `${page}/${route}`, { origin: ORIGIN, ...headers, cookie: s.cookie }, body);
}

const audit = () => app.store.standings.listAudit(t);
const ACK = { checkId: "security-defaults", subject: "", reason: "on it", days: "7" };

describe("the tenant page's decisions", () => {
  it("offers the acknowledge and except forms on an open finding, each with the CSRF token", async () => {
    const r = await call("GET", page, OPERATOR);
    expect(r.text).toContain(`action="/api/dashboard/tenants/${t}/acks"`);
    expect(r.text).toContain(`action="/api/dashboard/tenants/${t}/exceptions"`);
    expect(r.text).toMatch(/name="days" type="number" min="1" max="30" value="7"/);
  });

  it.each([
    ["without the role", () => signedIn(sim, { roles: ["Reader"] }), {}, 403],
    ["not signed in", () => ({}), {}, 401],
    ["from another origin", () => OPERATOR, { origin: "https://evil.example" }, 403],
  ] as const)("is refused %s, and nothing is written", async (_, who, extra, status) => {
    const s = await session();
    const body = new URLSearchParams({ csrf: s.csrf, ...ACK }).toString();
    const r = await call("POST", `${page}/acks`, { origin: ORIGIN, ...who(), ...extra, cookie: s.cookie }, body);
    expect(r.status).toBe(status);
    expect(await audit()).toEqual([]);
  });

  it("is refused with a token not the cookie's", async () => {
    const s = await session();
    const body = new URLSearchParams({ ...ACK, csrf: "A".repeat(32) }).toString();
    const r = await call("POST", `${page}/acks`, { ...OPERATOR, origin: ORIGIN, cookie: s.cookie }, body);
    expect(r.status).toBe(403);
    expect(r.text).toContain("CSRF");
    expect(await audit()).toEqual([]);
  });

  it("answers an invalid form with the page and every reason, escaped, and writes nothing", async () => {
    const r = await post("acks", { ...ACK, reason: " ", days: "40" });
    expect(r.status).toBe(400);
    expect(r.text).toContain("reason is required");
    expect(r.text).toContain("days must be at most 30");
    expect(r.text).not.toContain("days: ");
    const hostile = await post("acks", { ...ACK, checkId: "<img src=x onerror=alert(1)>" });
    expect(hostile.status).toBe(404);
    expect(hostile.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(hostile.text).not.toContain("<img src=x");
    const noExpiry = await post("exceptions", { checkId: "security-defaults", what: "check", reason: "r", owner: "o", reference: "CHG-1" });
    expect(noExpiry.status).toBe(400);
    expect(noExpiry.text).toContain("expires is required");
    const far = await post("exceptions", { checkId: "security-defaults", what: "check", reason: "r", owner: "o", reference: "CHG-1", expiresAt: "2028-01-01" });
    expect(far.text).toContain("within 366 days");
    expect(await audit()).toEqual([]);
  });

  it("acknowledges as the signed-in person (a `by` field is ignored), shows it at once, and withdraws it", async () => {
    const r = await post("acks", { ...ACK, by: "Mallory" });
    expect(r.status).toBe(303);
    expect(r.h.get("location")).toBe(`/api/dashboard/${page}?checked=acknowledged#decisions`);
    const shown = await call("GET", page, OPERATOR, undefined, "checked=acknowledged");
    expect(shown.text).toContain("acknowledged by Ada Operator until");
    expect(shown.text).toContain(`action="/api/dashboard/tenants/${t}/acks/withdraw"`);
    expect(shown.text).not.toContain("Mallory");
    expect((await audit()).map((a) => [a.action, a.by])).toEqual([["ack", "Ada Operator"]]);

    clock.advanceMinutes(5);
    expect((await post("acks/withdraw", { checkId: "security-defaults", subject: "" })).status).toBe(303);
    const after = await call("GET", page, OPERATOR);
    expect(after.text).not.toContain(`<p class="standing">acknowledged by`);
    expect(after.text).toContain("withdrew the acknowledgement");
    expect((await audit()).map((a) => a.action).sort()).toEqual(["ack", "ack-withdrawn"]);
  });

  it("shows a lost race as changed by someone else meanwhile, to reload", async () => {
    clock.advanceMinutes(5);
    const s = await session();
    const body = new URLSearchParams({ csrf: s.csrf, ...ACK }).toString();
    const racing = await Promise.all([1, 2].map(() => call("POST", `${page}/acks`, { ...OPERATOR, origin: ORIGIN, cookie: s.cookie }, body)));
    expect(racing.map((r) => r.status).sort()).toEqual([303, 409]);
    const lost = racing.find((r) => r.status === 409)?.text ?? "";
    expect(lost).toMatch(/changed by someone else meanwhile/);
    expect(lost).toContain("Reload the page");
    clock.advanceMinutes(1);
    expect((await post("acks/withdraw", { checkId: "security-defaults", subject: "" })).status).toBe(303);
  });

  it("approves an exception with an expiry (shown as excepted, in the exceptions and the audit trail), and removes it", async () => {
    clock.advanceMinutes(5);
    const fields = { checkId: "security-defaults", what: "check", reason: "accepted", owner: "Jo Owner", reference: "CHG-42", expiresAt: "2026-06-01" };
    const r = await post("exceptions", fields);
    expect(r.status).toBe(303);
    const shown = await call("GET", page, OPERATOR);
    expect(shown.text).toContain("excepted until 2026-06-01, accepted, owner Jo Owner (CHG-42)");
    expect(shown.text).toContain("approved an exception");
    expect(shown.text).toContain(`action="/api/dashboard/tenants/${t}/exceptions/remove"`);
    const [approved] = await app.store.standings.listExceptions(t);
    expect(approved).toMatchObject({ by: "Ada Operator", owner: "Jo Owner", expiresAt: "2026-06-01T00:00:00.000Z" });

    clock.advanceMinutes(5);
    expect((await post("exceptions/remove", { id: approved?.id ?? "" })).status).toBe(303);
    const after = await call("GET", page, OPERATOR);
    expect(after.text).not.toContain(`<p class="standing">excepted`);
    expect(after.text).toContain("removed by Ada Operator");
    expect((await audit())[0]).toMatchObject({ action: "exception-removed", by: "Ada Operator" });
  });

  it("approves a policy that may apply to the account (its controls as last seen), and refuses that for a check's finding", async () => {
    clock.advanceMinutes(5);
    const ca = (await app.store.monitor.readState(t))?.state.findings.find((f) => f.checkId === "conditional-access" && f.subject !== "");
    if (!ca) throw new Error("Fabrikam has no per-policy Conditional Access finding");
    const fields = { what: "policy", reason: "location lock approved", owner: "Jo Owner", reference: "CHG-43", expiresAt: "2026-05-01" };
    const wrong = await post("exceptions", { ...fields, checkId: "security-defaults", subject: "" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("only a Conditional Access policy");
    expect((await post("exceptions", { ...fields, checkId: ca.checkId, subject: ca.subject })).status).toBe(303);
    const shown = await call("GET", page, OPERATOR);
    expect(shown.text).toMatch(new RegExp(`data-finding="conditional-access\\|${ca.subject}">[\\s\\S]*?excepted until 2026-05-01, location lock approved`));
    expect((await app.store.standings.listExceptions(t)).find((e) => e.id === `policy:${ca.subject}`)?.target).toMatchObject({ kind: "policy-may-apply" });
  });

  it("says how many acknowledgement/exception rows do not parse, by key, and nothing once they are gone", async () => {
    const table = TableClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "", app.store.monitor["table"].name, { allowInsecureConnection: true });
    await table.createEntity({ partitionKey: t, rowKey: "ack|no-such-check%7C", Body: "{not json" });
    const shown = await call("GET", page, OPERATOR);
    expect(shown.text).toContain('data-unreadable-standings="1"');
    expect(shown.text).toContain(`1 unreadable acknowledgement/exception row: every check leaves it out`);
    expect(shown.text).toContain(`${t}/ack|no-such-check%7C`);
    await table.deleteEntity(t, "ack|no-such-check%7C");
    expect((await call("GET", page, OPERATOR)).text).not.toContain("data-unreadable-standings");
  });
});
