/**
 * Who may open the dashboard function, through `HttpRequest` and the exported handler: only while
 * App Service authentication is on (WEBSITE_AUTH_ENABLED), and only a principal whose ID token
 * the handler verifies against the signing keys the tenant's OpenID configuration names (here the
 * simulator's, sim/sign-in.ts): the operator's tenant, the dashboard's app registration, a time
 * within its life, the same person as the principal header, the app role. A forged principal
 * header, with or without a token, is 401.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setApp, type App } from "../../functions/app/index.js";
import { DASHBOARD_ROLE } from "../../lib/dashboard/access.js";
import { CLOCK_SKEW_SECONDS } from "../../lib/dashboard/id-token.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { sampleInput, takeAll, testApp, TestClock } from "./functions-helpers.js";
import { call, DASHBOARD_APP, OPERATOR_TENANT, ORIGIN, principal, SIGNED_IN_APP_ENV, signedIn } from "./functions-dashboard-helpers.js";

const NOW = new Date(Date.UTC(2026, 2, 2, 8, 0, 0));
const ADA = "7d0c4b1e-aaaa-4bbb-8ccc-dddddddddddd";
const OID_TYPE = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const fabrikam = sampleTenant("Fabrikam");

let sim: RunningSimulator;
let app: App;

beforeAll(async () => {
  sim = await startTestSimulator();
  sim.state.setClock(NOW);
  sim.state.signIn.addDirectory(OPERATOR_TENANT);
  app = testApp(sim, new TestClock(NOW), SIGNED_IN_APP_ENV);
  setApp(app);
  await app.store.tenants.put(sampleInput("Fabrikam"));
});
afterAll(async () => {
  setApp(undefined);
  await sim.stop();
});
afterEach(() => setApp(app));

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string): [string, string, string] => token.split(".") as [string, string, string];
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(parts(token)[1], "base64url").toString("utf8")) as Record<string, unknown>;

/** The operator's principal header, as anyone could write it by hand. */
const forgedPrincipal = (): string => principal({ tid: OPERATOR_TENANT, [OID_TYPE]: ADA, name: "Ada Operator", roles: [DASHBOARD_ROLE] });

/** A genuine token's claims, changed, re-signed with a key of the attacker's own under the sim's key id. */
function resigned(token: string, change: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const [header] = parts(token);
  const body = `${header}.${b64url({ ...claimsOf(token), ...change })}`;
  return `${body}.${sign("sha256", Buffer.from(body), privateKey).toString("base64url")}`;
}

/** A genuine token's claims, changed, its signature kept. */
function tampered(token: string, change: Record<string, unknown>): string {
  const [header, , signature] = parts(token);
  return `${header}.${b64url({ ...claimsOf(token), ...change })}.${signature}`;
}

describe("who may open the dashboard", () => {
  type Case = [string, 200 | 401 | 403, () => Record<string, string>, string];
  const withToken =
    (token: (genuine: string) => string, person: Parameters<typeof signedIn>[1] = {}) =>
    (): Record<string, string> => {
      const h = signedIn(sim, { oid: ADA, ...person });
      return { ...h, "x-ms-token-aad-id-token": token(h["x-ms-token-aad-id-token"] ?? "") };
    };
  it.each<Case>([
    ["not signed in (no principal, no token)", 401, () => ({}), "sign in first"],
    ["a forged principal of the operator, with the role, and no token", 401, () => ({ "x-ms-client-principal": forgedPrincipal() }), "ID token"],
    ["a principal that is not base64 JSON", 401, () => ({ "x-ms-client-principal": "not-a-principal" }), "could not be read"],
    [
      "a forged principal with a token that is not a JWT",
      401,
      () => ({ "x-ms-client-principal": forgedPrincipal(), "x-ms-token-aad-id-token": "x" }),
      "refused",
    ],
    ["a forged principal with another person's genuine token", 401, () => signedIn(sim, { principalOid: ADA }), "not the person"],
    ["a genuine token of another tenant's person, with the role", 401, () => signedIn(sim, { tenantId: fabrikam.tenantId }), "issued by"],
    ["a genuine token issued to another application", 401, () => signedIn(sim, { audience: "00000003-0000-0000-c000-000000000000" }), "another application"],
    [
      "a genuine token that expired beyond the clock skew",
      401,
      () => signedIn(sim, { issuedAt: new Date(NOW.getTime() - (3600 + CLOCK_SKEW_SECONDS + 60) * 1000) }),
      "refused",
    ],
    ["a genuine token whose claims were edited (the role added)", 401, withToken((t) => tampered(t, { roles: [DASHBOARD_ROLE] }), { roles: [] }), "refused"],
    ["a token signed with another key under Entra's key id", 401, withToken((t) => resigned(t, {})), "refused"],
    ["an unsigned token (alg none)", 401, withToken((t) => `${b64url({ alg: "none", typ: "JWT" })}.${parts(t)[1]}.`), "refused"],
    ["a token claiming HS256 (key confusion)", 401, withToken((t) => `${b64url({ alg: "HS256", kid: sim.state.signIn.kid })}.${parts(t)[1]}.AAAA`), "refused"],
    ["the operator's person without the role", 403, () => signedIn(sim, { roles: ["Reader"] }), DASHBOARD_ROLE],
    ["the operator's person with the role", 200, () => signedIn(sim), "Drift Monitor"],
  ])("%s → %i", async (_, status, headers, text) => {
    const r = await call("GET", "", headers());
    expect(r.status).toBe(status);
    expect(r.text).toContain(text);
    expect(r.h.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("offers App Service's sign-in again on a 401 (an expired token), the estate on a 403", async () => {
    const expired = signedIn(sim, { issuedAt: new Date(NOW.getTime() - 2 * 3600_000) });
    expect((await call("GET", "", expired)).text).toContain('href="/.auth/login/aad?post_login_redirect_uri=/api/dashboard/"');
    expect((await call("GET", "", signedIn(sim, { roles: ["Reader"] }))).text).toContain('href="/api/dashboard/"');
  });

  it("takes the roles from the verified token, never from the principal header", async () => {
    const withRole = signedIn(sim);
    const oid = String(claimsOf(withRole["x-ms-token-aad-id-token"] ?? "").oid);
    const bare = principal({ tid: OPERATOR_TENANT, [OID_TYPE]: oid });
    expect((await call("GET", "", { ...withRole, "x-ms-client-principal": bare })).status).toBe(200);
    const withoutRole = signedIn(sim, { roles: [] });
    const boasting = principal({ tid: OPERATOR_TENANT, [OID_TYPE]: String(claimsOf(withoutRole["x-ms-token-aad-id-token"] ?? "").oid), roles: DASHBOARD_ROLE });
    expect((await call("GET", "", { ...withoutRole, "x-ms-client-principal": boasting })).status).toBe(403);
  });

  it("refuses a forged principal's check now (401) and queues nothing", async () => {
    await takeAll(app.queues.tenantChecks.client);
    const r = await call("POST", `tenants/${fabrikam.tenantId}/check`, { "x-ms-client-principal": forgedPrincipal(), origin: ORIGIN }, "csrf=x");
    expect(r.status).toBe(401);
    expect(await takeAll(app.queues.tenantChecks.client)).toEqual([]);
  });
});

describe("when the sign-in cannot be trusted or checked", () => {
  it("is off (403) with App Service authentication off: the headers are ignored, even a genuine sign-in's", async () => {
    setApp(testApp(sim, new TestClock(NOW), { ...SIGNED_IN_APP_ENV, WEBSITE_AUTH_ENABLED: "" }));
    const r = await call("GET", "", signedIn(sim));
    expect(r.status).toBe(403);
    expect(r.text).toContain("WEBSITE_AUTH_ENABLED");
  });

  it("is off (403, saying how to set it up) when DASHBOARD_TENANT_ID or DASHBOARD_CLIENT_ID is not set", async () => {
    for (const unset of ["DASHBOARD_TENANT_ID", "DASHBOARD_CLIENT_ID"]) {
      setApp(testApp(sim, new TestClock(NOW), { ...SIGNED_IN_APP_ENV, [unset]: "" }));
      const r = await call("GET", "", signedIn(sim));
      expect(r.status, unset).toBe(403);
      expect(r.text).toContain("dashboardClientId");
    }
  });

  it("answers 503, not 200 and not 401, when Entra's keys cannot be read (nothing listens at the authority)", async () => {
    setApp(testApp(sim, new TestClock(NOW), { ...SIGNED_IN_APP_ENV, AZURE_AUTHORITY_HOST: "https://127.0.0.1:9" }));
    const started = Date.now();
    const r = await call("GET", "", signedIn(sim));
    expect(r.status).toBe(503);
    expect(r.text).toContain("signing keys could not be read");
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("reads the tenant's OpenID configuration and key set once, not per request", async () => {
    const own = testApp(sim, new TestClock(NOW), SIGNED_IN_APP_ENV);
    setApp(own);
    sim.state.resetCounters();
    for (let i = 0; i < 3; i++) expect((await call("GET", "", signedIn(sim))).status).toBe(200);
    expect(sim.state.counters.httpRequests).toBe(2);
  });
});

// The audience the tests' tokens name must be the setting's, or every "genuine" case above would be refused for it.
it("signs the tests' operator in to the dashboard's own app registration", () => {
  expect(claimsOf(signedIn(sim)["x-ms-token-aad-id-token"] ?? "").aud).toBe(DASHBOARD_APP);
});
