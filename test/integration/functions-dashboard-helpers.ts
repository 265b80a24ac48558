/**
 * The dashboard function's tests: its requests through `HttpRequest` and the exported handler,
 * and the headers App Service passes after a person signs in — the principal and the ID token,
 * signed by the simulator's key (sim/sign-in.ts), which the handler verifies as Entra's.
 */
import { randomUUID } from "node:crypto";
import functions, { type HttpResponseInit } from "@azure/functions";
import { checkTenant, dashboard } from "../../functions/handlers/index.js";
import { setApp, type App } from "../../functions/app/index.js";
import { DASHBOARD_ROLE } from "../../lib/dashboard/access.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";
import type { IdTokenClaims } from "../../sim/sign-in.js";
import { queueContext, quietContext, sampleInput, testApp, TestClock } from "./functions-helpers.js";

export const OPERATOR_TENANT = "0b5e3f4a-1111-4222-8333-944455556666";
/** The dashboard's app registration (the ID tokens' audience). */
export const DASHBOARD_APP = "3c1f2e4d-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
export const ORIGIN = "https://drift.example.net";

/** What the template and App Service give a deployed app whose sign-in is on. */
export const SIGNED_IN_APP_ENV = { DASHBOARD_TENANT_ID: OPERATOR_TENANT, DASHBOARD_CLIENT_ID: DASHBOARD_APP, WEBSITE_AUTH_ENABLED: "True" };

const OID_TYPE = "http://schemas.microsoft.com/identity/claims/objectidentifier";

/** `X-MS-CLIENT-PRINCIPAL` as App Service writes it: base64 JSON of the mapped claims. */
export function principal(claims: Record<string, string | string[]>): string {
  const list = Object.entries(claims).flatMap(([typ, v]) => (Array.isArray(v) ? v : [v]).map((val) => ({ typ, val })));
  return Buffer.from(JSON.stringify({ auth_typ: "aad", name_typ: "name", role_typ: "roles", claims: list })).toString("base64");
}

type Person = Partial<IdTokenClaims> & { readonly principalOid?: string };

/** The headers of a request from a person App Service signed in: by default the operator's, with the role. */
export function signedIn(sim: RunningSimulator, person: Person = {}): Record<string, string> {
  const oid = person.oid ?? randomUUID();
  const tenantId = person.tenantId ?? OPERATOR_TENANT;
  const roles = person.roles ?? [DASHBOARD_ROLE];
  const token = sim.mintIdToken({ audience: DASHBOARD_APP, name: "Ada Operator", ...person, tenantId, oid, roles });
  return {
    "x-ms-client-principal": principal({ tid: tenantId, [OID_TYPE]: person.principalOid ?? oid, name: "Ada Operator", roles: [...roles] }),
    "x-ms-token-aad-id-token": token,
  };
}

export async function call(
  method: string,
  rest: string,
  headers: Record<string, string> = {},
  body?: string,
  search = "",
): Promise<HttpResponseInit & { text: string; h: Headers }> {
  const request = new functions.HttpRequest({
    method,
    url: `${ORIGIN}/api/dashboard/${rest}${search ? `?${search}` : ""}`,
    params: rest ? { rest } : {},
    headers: { "x-forwarded-proto": "https", host: "drift.example.net", ...headers },
    ...(body === undefined ? {} : { body: { string: body } }),
  });
  const r = await dashboard(request, quietContext());
  return { ...r, text: typeof r.body === "string" ? r.body : "", h: new Headers(r.headers as Record<string, string>) };
}

/**
 * The app with the dashboard's sign-in on a test clock, set as the host's, and Fabrikam registered
 * and checked with its Security Defaults on: a drift to decide on.
 */
export async function signedInFabrikam(sim: RunningSimulator): Promise<{ app: App; clock: TestClock; operator: Record<string, string> }> {
  const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  const app = testApp(sim, clock, SIGNED_IN_APP_ENV);
  setApp(app);
  await app.store.tenants.put(sampleInput("Fabrikam"));
  const t = sampleTenant("Fabrikam").tenantId;
  sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
  await checkTenant({ tenantId: t, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1));
  return { app, clock, operator: signedIn(sim) };
}
