/**
 * The exceptions API for one monitored account, through the exported handlers (Azurite, the
 * simulator, a real check): `accountKey` approves for that account alone (its own id, its UPN in the
 * answers), an unknown key or an estate-wide template with an account is refused, and the id as
 * listed removes it.
 */
import { describe, expect, it } from "vitest";
import { HttpResponse, type HttpResponseInit } from "@azure/functions";
import { monitorPartition } from "../../lib/model/account.js";
import { api, apiRequest, checkTenant, estateApi } from "../../functions/handlers/index.js";
import { queueContext, quietContext } from "./functions-helpers.js";
import { app, clock, fresh, simulator, useSimulator, woodgrove } from "./functions-checks-helpers.js";
import { addSecondAccount, secondKey, secondUpn, twoAccountInput } from "./accounts-helpers.js";

useSimulator();

async function answer(init: HttpResponseInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = new HttpResponse(init);
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}
const call = async (method: string, path: string, body?: unknown) =>
  answer(await api(apiRequest(method, path, body === undefined ? {} : { body }), quietContext()));
const callEstate = async (method: string, path: string, body?: unknown) =>
  answer(await estateApi(apiRequest(method, path, { api: "estate", ...(body === undefined ? {} : { body }) }), quietContext()));

const t = woodgrove.tenantId;
const SECOND = secondKey("Woodgrove");
const SD = "security-defaults|";
const waiver = { checkId: "security-defaults", reason: "appliance", owner: "Bob", reference: "CHG-3", expiresAt: "2026-05-01", by: "ann" };
const check = () => checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
const stateOf = async (key: string) => (await app.store.monitor.readState(monitorPartition(t, key)))?.state.findings.find((f) => f.key === SD)?.state;

describe("tenants API: an exception for one account", () => {
  it("approves with accountKey for that account alone, names it in the answers, refuses an unknown account, and removes it by its id", async () => {
    fresh();
    addSecondAccount(simulator(), "Woodgrove");
    await app.store.tenants.put(twoAccountInput("Woodgrove"));
    simulator().state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    await check();
    expect([await stateOf(""), await stateOf(SECOND)]).toEqual(["open", "open"]);

    const unknown = await call("POST", `${t}/exceptions`, { ...waiver, accountKey: "abcdefabcdef" });
    expect(unknown).toMatchObject({ status: 404, body: { error: expect.stringContaining(`"${SECOND}" (${secondUpn("Woodgrove")})`) } });
    expect((await call("POST", `${t}/exceptions`, { ...waiver, accountKey: "Second" })).status).toBe(400);
    const estate = await callEstate("POST", "exceptions", { ...waiver, accountKey: SECOND });
    expect(estate).toMatchObject({ status: 400, body: { error: expect.stringContaining("takes no account") } });

    const approved = await call("POST", `${t}/exceptions`, { ...waiver, accountKey: SECOND });
    const id = `check:security-defaults@${SECOND}`;
    expect(approved).toMatchObject({ status: 201, body: { exception: { id, accountKey: SECOND, accountRef: secondUpn("Woodgrove") } } });
    expect((await call("GET", `${t}/exceptions`)).body.exceptions).toEqual([expect.objectContaining({ id, accountRef: secondUpn("Woodgrove") })]);

    clock.advanceMinutes(60);
    await check();
    expect([await stateOf(""), await stateOf(SECOND)]).toEqual(["open", "excepted"]);

    expect((await call("POST", `${t}/exceptions/remove`, { id: "check:security-defaults", by: "bob" })).status).toBe(404);
    expect((await call("POST", `${t}/exceptions/remove`, { id, by: "bob" })).status).toBe(200);
    const audit = (await call("GET", `${t}/audit`)).body.audit as { action: string; subject: string }[];
    expect(audit.map((a) => [a.action, a.subject])).toEqual([
      ["exception-removed", id],
      ["exception-approved", id],
    ]);
    clock.advanceMinutes(60);
    await check();
    expect(await stateOf(SECOND)).toBe("open");
  });
});
