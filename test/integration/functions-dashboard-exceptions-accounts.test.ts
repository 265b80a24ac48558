/**
 * The tenant page's exception form for a tenant with two accounts, through `HttpRequest` and the
 * exported dashboard handler (Azurite, the simulator, a real check): a policy that blocks the second
 * account alone is excepted for that account (`cover=account`, its own id) or for every account
 * (`cover=tenant`: the policy's controls read from the second account's report, where the operator
 * saw it); a form without the choice covers every account, as before; each is withdrawn by its id.
 * An acknowledgement of the second account's finding is that account's, recorded under the tenant.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setApp, type App } from "../../functions/app/index.js";
import { checkTenant } from "../../functions/handlers/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { queueContext, testApp, TestClock } from "./functions-helpers.js";
import { call, ORIGIN, signedIn, SIGNED_IN_APP_ENV } from "./functions-dashboard-helpers.js";
import { blockingCaPolicy } from "./runner-helpers.js";
import { addSecondAccount, SECOND_ID, secondKey, secondUpn, twoAccountInput } from "./accounts-helpers.js";

const NAME = "Fabrikam";
const t = sampleTenant(NAME).tenantId;
const page = `tenants/${t}`;
const POLICY = "5ec0d000-0000-4000-8000-0000000000d4";
const SECOND = secondKey(NAME);

let sim: RunningSimulator;
let app: App;
let OPERATOR: Record<string, string>;
let clock: TestClock;

beforeAll(async () => {
  sim = await startTestSimulator();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock, SIGNED_IN_APP_ENV);
  setApp(app);
  addSecondAccount(sim, NAME);
  await app.store.tenants.put(twoAccountInput(NAME));
  const policy = blockingCaPolicy(POLICY, { displayName: "Block the second", includeUsers: [SECOND_ID], controls: ["block"] });
  sim.state.tenant(t).conditionalAccessPolicies.push(policy);
  await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
  OPERATOR = signedIn(sim);
});
afterAll(async () => {
  setApp(undefined);
  await sim.stop();
});
afterEach(() => setApp(app));

async function post(route: string, fields: Record<string, string>) {
  const r = await call("GET", page, OPERATOR);
  const csrf = /name="csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? "";
  return call("POST", `${page}/${route}`, { origin: ORIGIN, ...OPERATOR, cookie: `dm_csrf=${csrf}` }, new URLSearchParams({ csrf, ...fields }).toString());
}

const policyForm = { checkId: "conditional-access", subject: POLICY, account: SECOND, what: "policy", reason: "appliance", owner: "Jo", reference: "CHG-5" };

describe("the tenant page's exception form, two accounts", () => {
  it.each([
    ["this account (the form's default)", { cover: "account" }, `policy:${POLICY}@${SECOND}`, SECOND],
    ["every account", { cover: "tenant" }, `policy:${POLICY}`, undefined],
    ["every account, a form without the choice", {}, `policy:${POLICY}`, undefined],
  ])("approves for %s and withdraws it by its id", async (_name, cover, id, accountKey) => {
    // Audit entries are keyed by their instant: each test's decisions at their own.
    clock.advanceMinutes(5);
    const r = await post("exceptions", { ...policyForm, ...cover, expiresAt: "2026-06-01" });
    expect(r.status).toBe(303);
    const [approved] = (await app.store.standings.listExceptions(t)).filter((e) => e.id === id && !e.withdrawn);
    expect(approved).toMatchObject({ id, target: { kind: "policy-may-apply", policy: POLICY, controls: "block" }, by: "Ada Operator" });
    expect(approved?.accountKey).toBe(accountKey);
    const shown = (await call("GET", page, OPERATOR)).text;
    expect(shown).toContain(accountKey === undefined ? "<td>every account of this tenant</td>" : `<td>only ${secondUpn(NAME)}</td>`);
    expect(shown).toContain(`<input type="hidden" name="id" value="${id}" />`);
    expect((await post("exceptions/remove", { id })).status).toBe(303);
    expect((await app.store.standings.getException(t, id))?.value.withdrawn).toMatchObject({ by: "Ada Operator" });
  });

  it("acknowledges the second account's finding for that account: stored in its partition under the tenant's id, audited in the tenant's scope", async () => {
    clock.advanceMinutes(5);
    const finding = { checkId: "conditional-access", subject: POLICY, account: SECOND };
    expect((await post("acks", { ...finding, reason: "on it", days: "7" })).status).toBe(303);
    const key = `conditional-access|${POLICY}`;
    const ack = await app.store.standings.getAck(`${t}|${SECOND}`, key);
    expect(ack?.value).toMatchObject({ tenantId: t, accountKey: SECOND, findingKey: key, by: "Ada Operator" });
    expect(await app.store.standings.getAck(t, key)).toBeUndefined();
    expect((await app.store.standings.listAudit(t)).filter((e) => e.subject === key).map((e) => [e.scope, e.action])).toEqual([[t, "ack"]]);

    expect((await post("acks/withdraw", finding)).status).toBe(303);
    expect((await app.store.standings.getAck(`${t}|${SECOND}`, key))?.value.withdrawn).toMatchObject({ by: "Ada Operator" });
    const trail = (await app.store.standings.listAudit(t)).filter((e) => e.subject === key).map((e) => [e.scope, e.action]);
    expect(trail.sort()).toEqual([
      [t, "ack"],
      [t, "ack-withdrawn"],
    ]);
  });

  it("refuses an account that was never checked, and says why", async () => {
    const r = await post("exceptions", { ...policyForm, what: "check", account: "abcdefabcdef", cover: "account", expiresAt: "2026-06-01" });
    expect(r.status).toBe(404);
    expect(r.text).toContain("has no checked account with key &quot;abcdefabcdef&quot;");
  });
});
