/**
 * The simulator's List signIns for a tenant with several monitored accounts: one `$filter` names them
 * all with `userId eq … or userId eq …` (signIn documents `eq` only on userId), grouped in parentheses
 * and combined with the window, the event types and the failure codes; forms Graph refuses (`in`, `ne`,
 * `not`) answer Graph's 400. The emergency-access fixture's sign-ins carry where and how they happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInsFilter } from "../../lib/graph/facts/sign-ins.js";
import { withEmergencyAccess } from "../../sim/estate/emergency-access.js";
import { toTenantData, type TenantFile } from "../../sim/estate/load.js";
import { loadSampleEstate, SAMPLE_EXTRA_ACCOUNTS } from "../../sim/estate/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { getJson } from "./sim-helpers.js";

type Obj = Record<string, unknown>;
const now = new Date("2026-03-10T12:00:00Z");
const TENANT = "e7a00000-0000-4000-8000-0000000000e1";
const CONNECTION = "e7a10000-0000-4000-8000-000000000001";
const BACKUP = "e7a10000-0000-4000-8000-000000000002";
const EA1 = "e7a10000-0000-4000-8000-0000000000a1";
const EA2 = "e7a10000-0000-4000-8000-0000000000a2";
const SINCE = "2026-03-09T12:00:00Z";
const BOTH = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";
const CODES = "(status/errorCode eq 50076 or status/errorCode eq 53003)";

const user = (id: string, upn: string) => ({ id, userPrincipalName: upn, displayName: upn, accountEnabled: true, onPremisesSyncEnabled: null });

/** Two connection accounts (routine sign-ins, one failure) and two emergency-access accounts, one used twice. */
const file: TenantFile = withEmergencyAccess(
  {
    tenantId: TENANT,
    displayName: "Several accounts",
    scenario: "test",
    expected: "compliant",
    account: "svc-connect@several.example",
    monitoredAccounts: [{ ref: "svc-backup@several.example", kind: "connection" }],
    users: [user(CONNECTION, "svc-connect@several.example"), user(BACKUP, "svc-backup@several.example")],
    signIns: [
      {
        id: "conn-mfa",
        userId: CONNECTION,
        minutesAgo: 90,
        isInteractive: false,
        signInEventTypes: ["nonInteractiveUser"],
        status: { errorCode: 50076, failureReason: "MFA required" },
      },
    ],
  },
  [
    {
      id: EA1,
      userPrincipalName: "breakglass1@several.example",
      signIns: [
        { minutesAgo: 600, ipAddress: "84.241.192.17", city: "Utrecht", countryOrRegion: "NL" },
        {
          minutesAgo: 30,
          errorCode: 50126,
          ipAddress: "185.220.101.4",
          city: "Frankfurt am Main",
          state: "Hessen",
          countryOrRegion: "DE",
          clientAppUsed: "Mobile Apps and Desktop clients",
        },
      ],
    },
    { id: EA2, userPrincipalName: "breakglass2@several.example", methods: [] },
  ],
);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ now: () => now, estate: { tenants: [toTenantData(file), loadSampleEstate().tenants[0]!] } });
});
afterAll(() => sim.stop());

async function list(filter: string): Promise<{ status: number; body: Obj; ids: string[] }> {
  const res = await getJson(sim, TENANT, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
  const value = (res.body.value as Obj[] | undefined) ?? [];
  return { status: res.status, body: res.body, ids: value.map((s) => String(s.userId)) };
}

describe("one sign-in read naming several accounts", () => {
  it("`userId eq … or userId eq …` in parentheses, with the window and both event types: every named account's sign-ins, newest first", async () => {
    const r = await list(`(userId eq '${EA1}' or userId eq '${EA2}' or userId eq '${BACKUP}') and createdDateTime ge ${SINCE} and ${BOTH}`);
    expect(r.status).toBe(200);
    expect(new Set(r.ids)).toEqual(new Set([EA1, BACKUP]));
    expect(r.ids.filter((id) => id === EA1)).toHaveLength(2);
    expect(r.ids.filter((id) => id === BACKUP)).toHaveLength(24);
    expect(r.ids).not.toContain(CONNECTION);
  });

  it("failures only for connection accounts, every sign-in for emergency-access ones, in one filter", async () => {
    const connections = `(userId eq '${CONNECTION}' or userId eq '${BACKUP}')`;
    const filter = `createdDateTime ge ${SINCE} and ${BOTH} and ((${connections} and ${CODES}) or userId eq '${EA1}' or userId eq '${EA2}')`;
    const res = await getJson(sim, TENANT, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(200);
    const value = res.body.value as Obj[];
    expect(value.map((s) => [s.userId, (s.status as Obj).errorCode])).toEqual([
      [EA1, 50126],
      [CONNECTION, 50076],
      [EA1, 0],
    ]);
    expect(value[0]).toMatchObject({
      userPrincipalName: "breakglass1@several.example",
      ipAddress: "185.220.101.4",
      location: { city: "Frankfurt am Main", countryOrRegion: "DE" },
      appDisplayName: "Azure Portal",
      clientAppUsed: "Mobile Apps and Desktop clients",
      isInteractive: true,
      status: { failureReason: expect.stringContaining("invalid username or password") },
    });
    expect(value[2]).toMatchObject({ ipAddress: "84.241.192.17", location: { city: "Utrecht", countryOrRegion: "NL" }, clientAppUsed: "Browser" });
  });

  it("the product's current one-account filter is still answered", async () => {
    const r = await list(signInsFilter(CONNECTION, SINCE));
    expect(r).toMatchObject({ status: 200, ids: [CONNECTION] });
  });

  it("filters on where a sign-in came from (documented `eq` on location and client)", async () => {
    expect((await list(`location/countryOrRegion eq 'DE' and ${BOTH}`)).ids).toEqual([EA1]);
    expect((await list(`clientAppUsed eq 'Browser' and userId eq '${EA1}'`)).ids).toEqual([EA1]);
  });

  it.each([
    ["`in` on userId (signIn documents only `eq`)", `userId in ('${EA1}', '${EA2}')`],
    ["`ne` on userId", `userId ne '${EA1}'`],
    ["`not`", `not(userId eq '${EA1}')`],
    ["an unquoted user id", `userId eq ${EA1} or userId eq '${EA2}'`],
    ["an `or` missing its right side", `(userId eq '${EA1}' or ) and ${BOTH}`],
  ])("refuses %s with Graph's body", async (_label, filter) => {
    const r = await list(filter);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "BadRequest", message: "Invalid filter clause" });
  });
});

describe("the emergency-access fixture", () => {
  it("is a cloud-only, permanently active Global Administrator with phishing-resistant methods, or only a password", async () => {
    const one = await getJson(sim, TENANT, `/v1.0/users/${EA1}?$select=id,onPremisesSyncEnabled,passwordPolicies,signInActivity`);
    expect(one.body).toMatchObject({
      onPremisesSyncEnabled: null,
      passwordPolicies: "DisablePasswordExpiration",
      signInActivity: { lastSuccessfulSignInDateTime: "2026-03-10T02:00:00Z" },
    });
    const never = await getJson(sim, TENANT, `/beta/users/${EA2}?$select=signInActivity`);
    expect(never.body.signInActivity).toMatchObject({ lastSignInDateTime: null, lastSuccessfulSignInDateTime: null });
    const roles = await getJson(sim, TENANT, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${EA1}'`)}`);
    expect(roles.body.value).toEqual([expect.objectContaining({ roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/" })]);
    const types = async (id: string) =>
      ((await getJson(sim, TENANT, `/v1.0/users/${id}/authentication/methods`)).body.value as Obj[]).map((m) => m["@odata.type"]);
    expect(await types(EA1)).toEqual([
      "#microsoft.graph.passwordAuthenticationMethod",
      "#microsoft.graph.fido2AuthenticationMethod",
      "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    ]);
    expect(await types(EA2)).toEqual(["#microsoft.graph.passwordAuthenticationMethod"]);
  });

  it("the demo's Woodgrove Bank lists four monitored accounts: two connection, two emergency-access", () => {
    expect(sampleTenant("Woodgrove").monitoredAccounts.map((a) => [a.ref, a.kind, a.objectId])).toEqual([
      ["svc-connect@woodgrovebank.onmicrosoft.com", "connection", "d7f10100-0000-4000-8000-000000000001"],
      ["svc-backup@woodgrovebank.onmicrosoft.com", "connection", "d7f10100-0000-4000-8000-000000000004"],
      ["breakglass@woodgrovebank.onmicrosoft.com", "emergency-access", "d7f10100-0000-4000-8000-000000000002"],
      ["breakglass2@woodgrovebank.onmicrosoft.com", "emergency-access", "d7f10100-0000-4000-8000-000000000005"],
    ]);
    // The only sample tenant with more than one: every other keeps its one connection account.
    expect(loadSampleEstate().tenants[0]?.displayName).toBe("Woodgrove Bank");
    expect(SAMPLE_EXTRA_ACCOUNTS.map((t) => [t.tenantId, t.accounts.length])).toEqual([[sampleTenant("Woodgrove").tenantId, 3]]);
  });

  it("Woodgrove Bank's one sign-in read over the last day: the emergency-access sign-in of 21 hours ago, and nothing of the other", async () => {
    const woodgrove = sampleTenant("Woodgrove");
    const [, backup, used, unused] = woodgrove.monitoredAccounts.map((a) => a.objectId!);
    const filter = `createdDateTime ge ${SINCE} and ${BOTH} and (userId eq '${used}' or userId eq '${unused}')`;
    const res = await getJson(sim, woodgrove.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([
      expect.objectContaining({
        userId: used,
        createdDateTime: "2026-03-09T14:47:00Z",
        isInteractive: true,
        ipAddress: "84.241.192.17",
        location: expect.objectContaining({ city: "Utrecht", countryOrRegion: "NL" }),
        status: expect.objectContaining({ errorCode: 0 }),
      }),
    ]);
    const methods = await getJson(sim, woodgrove.tenantId, `/v1.0/users/${unused}/authentication/methods`);
    expect((methods.body.value as Obj[]).map((m) => m["@odata.type"])).toEqual(["#microsoft.graph.passwordAuthenticationMethod"]);
    // The second connection account signs in routinely, like the first.
    const routine = await getJson(sim, woodgrove.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${backup}' and ${BOTH}`)}`);
    expect((routine.body.value as Obj[]).length).toBe(48);
  });
});
