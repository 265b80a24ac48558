/**
 * The simulator's writes, over HTTPS: the four requests remediation sends, with Graph's
 * validation errors, the 403 a token without the write permission gets (the monitoring app's
 * read-only token), If-Match ignored where Graph documents no ETag, a Microsoft-managed policy
 * taking only exclusions and state, and eventual consistency (reads show the old value for a while).
 */
import { afterEach, describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import { sim, useSimulator, type Obj } from "./sim-graph-helpers.js";

useSimulator();
afterEach(() => {
  sim.state.reset();
  sim.state.writeVisibilityMs = 0;
});

const WRITER = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.AuthenticationMethod", "User.ReadWrite.All"];

async function send(tenantId: string, method: string, path: string, body: unknown, options: { roles?: string[]; headers?: Record<string, string> } = {}) {
  const token = options.roles ? sim.mintToken(tenantId, { roles: options.roles }) : sim.mintToken(tenantId);
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...options.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Obj };
}

const fabrikam = sampleTenant("Fabrikam");
const FABRIKAM_ACCOUNT = "d7f10200-0000-4000-8000-000000000001";
const CA02 = "d7f30200-0000-4000-8000-000000000002";
const policyPath = `/v1.0/identity/conditionalAccess/policies/${CA02}`;
const excludeBody = (ids: string[]) => ({ conditions: { users: { excludeUsers: ids } } });
const usersOf = async (tenantId: string, path: string) => ((await getJson(sim, tenantId, path)).body.conditions as { users: Obj }).users;

describe("simulator: PATCH a Conditional Access policy", () => {
  it("adds the exclusion (204), keeps the rest of the conditions and stamps modifiedDateTime", async () => {
    const res = await send(fabrikam.tenantId, "PATCH", policyPath, excludeBody([FABRIKAM_ACCOUNT]), { roles: WRITER });
    expect(res.status).toBe(204);
    const policy = (await getJson(sim, fabrikam.tenantId, policyPath)).body;
    expect((policy.conditions as { users: Obj }).users).toMatchObject({ includeUsers: ["All"], excludeUsers: [FABRIKAM_ACCOUNT] });
    expect((policy.conditions as Obj).applications).toBeTruthy();
    expect(policy.modifiedDateTime).toBe("2026-03-10T12:00:00.000Z");
  });

  it("the monitoring app's read-only token is refused with 403 and nothing changes; so is a token with only one of the two permissions", async () => {
    for (const roles of [undefined, ["Policy.ReadWrite.ConditionalAccess"]]) {
      const res = await send(fabrikam.tenantId, "PATCH", policyPath, excludeBody([FABRIKAM_ACCOUNT]), roles ? { roles } : {});
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "Authorization_RequestDenied" } });
    }
    expect((await usersOf(fabrikam.tenantId, policyPath)).excludeUsers).toEqual([]);
  });

  it.each([
    ["a read-only property", { id: "x" }, "Invalid property 'id'"],
    ["an unknown state", { state: "on" }, "Invalid value 'on' for property 'state'"],
    ["excludeUsers not a collection", excludeBody("abc" as unknown as string[]), "must be a collection of strings"],
    ["a user id that is no object id", excludeBody(["svc-connect@fabrikam.onmicrosoft.com"]), "is not a valid user object id"],
    ["a body that is no object", "[1]", "must be a JSON object"],
  ])("400 with Graph's error body for %s", async (_name, body, message) => {
    const res = await send(fabrikam.tenantId, "PATCH", policyPath, body, { roles: WRITER });
    expect(res.status).toBe(400);
    const error = (res.body as { error: { code: string; message: string; innerError: Obj } }).error;
    expect(error.message).toContain(message);
    expect(error.innerError["request-id"]).toBeTypeOf("string");
    expect((await usersOf(fabrikam.tenantId, policyPath)).excludeUsers).toEqual([]);
  });

  it("404 for a policy that does not exist", async () => {
    const res = await send(fabrikam.tenantId, "PATCH", "/v1.0/identity/conditionalAccess/policies/00000000-0000-4000-8000-000000000000", excludeBody([]), {
      roles: WRITER,
    });
    expect(res.status).toBe(404);
  });

  it("ignores a stale If-Match (Graph documents no ETag on the policy): the write overwrites, so the client must compare first", async () => {
    const res = await send(fabrikam.tenantId, "PATCH", policyPath, excludeBody([FABRIKAM_ACCOUNT]), { roles: WRITER, headers: { "If-Match": 'W/"stale"' } });
    expect(res.status).toBe(204);
    expect((await usersOf(fabrikam.tenantId, policyPath)).excludeUsers).toEqual([FABRIKAM_ACCOUNT]);
  });

  it("a Microsoft-managed policy takes an exclusion and a state change, and refuses any other change with a 400", async () => {
    const t = sampleTenant("First Up Consultants");
    const managed = "/v1.0/identity/conditionalAccess/policies/d7f32200-0000-4000-8000-000000000008";
    const account = "d7f12200-0000-4000-8000-000000000001";
    expect((await send(t.tenantId, "PATCH", managed, excludeBody([account]), { roles: WRITER })).status).toBe(204);
    expect((await send(t.tenantId, "PATCH", managed, { state: "disabled" }, { roles: WRITER })).status).toBe(204);
    const renamed = await send(t.tenantId, "PATCH", managed, { displayName: "Mine now" }, { roles: WRITER });
    expect(renamed.status).toBe(400);
    expect(JSON.stringify(renamed.body)).toContain("Microsoft-managed");
    const included = await send(t.tenantId, "PATCH", managed, { conditions: { users: { includeUsers: ["All"] } } }, { roles: WRITER });
    expect(included.status).toBe(400);
    expect(await usersOf(t.tenantId, managed)).toMatchObject({ includeUsers: [account], excludeUsers: [account] });
  });
});

describe("simulator: per-user MFA, the registration campaign and passwordPolicies", () => {
  const proseware = sampleTenant("Proseware");
  const account = "d7f10700-0000-4000-8000-000000000001";
  const requirements = `/beta/users/${account}/authentication/requirements`;

  it("per-user MFA: 204, then reads disabled; beta only; the value is validated; the read-only token is refused", async () => {
    expect((await send(proseware.tenantId, "PATCH", requirements, { perUserMfaState: "disabled" })).status).toBe(403);
    expect((await send(proseware.tenantId, "PATCH", requirements, { perUserMfaState: "off" }, { roles: WRITER })).status).toBe(400);
    expect((await send(proseware.tenantId, "PATCH", requirements.replace("/beta", "/v1.0"), { perUserMfaState: "disabled" }, { roles: WRITER })).status).toBe(
      400,
    );
    expect((await getJson(sim, proseware.tenantId, requirements)).body.perUserMfaState).toBe("enforced");
    expect((await send(proseware.tenantId, "PATCH", requirements, { perUserMfaState: "disabled" }, { roles: WRITER })).status).toBe(204);
    expect((await getJson(sim, proseware.tenantId, requirements)).body.perUserMfaState).toBe("disabled");
  });

  it("per-user MFA: enabled on a user with a registered MFA method becomes enforced, as Graph documents", async () => {
    sim.state.tenant(proseware.tenantId).perUserMfa[account] = "disabled";
    expect((await send(proseware.tenantId, "PATCH", requirements, { perUserMfaState: "enabled" }, { roles: WRITER })).status).toBe(204);
    expect((await getJson(sim, proseware.tenantId, requirements)).body.perUserMfaState).toBe("enforced");
  });

  it("registration campaign: excludeTargets replaced whole, the rest kept; 200 with the policy; bad targets and snooze refused", async () => {
    const path = "/v1.0/policies/authenticationMethodsPolicy";
    const body = { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets: [{ id: account, targetType: "user" }] } } };
    expect((await send(proseware.tenantId, "PATCH", path, body)).status).toBe(403);
    const bad = { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets: [{ id: account, targetType: "person" }] } } };
    expect((await send(proseware.tenantId, "PATCH", path, bad, { roles: WRITER })).status).toBe(400);
    const snooze = { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 15 } } };
    expect((await send(proseware.tenantId, "PATCH", path, snooze, { roles: WRITER })).status).toBe(400);
    const res = await send(proseware.tenantId, "PATCH", path, body, { roles: WRITER });
    expect(res.status).toBe(200);
    const campaign = ((await getJson(sim, proseware.tenantId, path)).body.registrationEnforcement as Obj).authenticationMethodsRegistrationCampaign;
    expect(campaign).toMatchObject({ state: "default", excludeTargets: [{ id: account, targetType: "user" }], includeTargets: [{ id: "all_users" }] });
    expect((res.body.registrationEnforcement as Obj).authenticationMethodsRegistrationCampaign).toEqual(campaign);
  });

  it("passwordPolicies: 204 and read back; an unknown policy name and an unknown property are 400; the read-only token 403", async () => {
    const path = `/v1.0/users/${account}`;
    expect((await send(proseware.tenantId, "PATCH", path, { passwordPolicies: "DisablePasswordExpiration" })).status).toBe(403);
    expect((await send(proseware.tenantId, "PATCH", path, { passwordPolicies: "NeverExpire" }, { roles: WRITER })).status).toBe(400);
    expect((await send(proseware.tenantId, "PATCH", path, { mobilePhone: "+1 555" }, { roles: WRITER })).status).toBe(400);
    const ok = await send(proseware.tenantId, "PATCH", path, { passwordPolicies: "DisablePasswordExpiration, DisableStrongPassword" }, { roles: WRITER });
    expect(ok.status).toBe(204);
    expect((await getJson(sim, proseware.tenantId, `${path}?$select=passwordPolicies`)).body.passwordPolicies).toBe(
      "DisablePasswordExpiration, DisableStrongPassword",
    );
  });
});

describe("simulator: eventual consistency", () => {
  it("with writeVisibilityMs set, reads answer the old value until the delay has passed, then the new one", async () => {
    sim.state.writeVisibilityMs = 300;
    expect((await send(fabrikam.tenantId, "PATCH", policyPath, excludeBody([FABRIKAM_ACCOUNT]), { roles: WRITER })).status).toBe(204);
    expect((await usersOf(fabrikam.tenantId, policyPath)).excludeUsers).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    expect((await usersOf(fabrikam.tenantId, policyPath)).excludeUsers).toEqual([FABRIKAM_ACCOUNT]);
  });

  it("the control API sets the delay", async () => {
    const res = await fetch(`${sim.url}/_sim/consistency`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ms: 250 }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(sim.state.writeVisibilityMs).toBe(250);
  });
});

describe("simulator: a second app's token", () => {
  it("the token endpoint gives an app listed in appGrants its own roles, and the monitoring app the tenant's read-only grants", async () => {
    const writerId = "0a1b2c3d-0000-4000-8000-00000000beef";
    sim.state.tenant(fabrikam.tenantId).appGrants = { [writerId]: WRITER };
    const token = async (clientId: string) => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: "s3cret-value",
        scope: "https://graph.microsoft.com/.default",
      });
      const res = await fetch(`${sim.url}/${fabrikam.tenantId}/oauth2/v2.0/token`, { method: "POST", body: form });
      const jwt = ((await res.json()) as { access_token: string }).access_token;
      return (JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { roles: string[] }).roles;
    };
    expect(await token(writerId)).toEqual(WRITER);
    expect(await token("5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11")).not.toContain("Policy.ReadWrite.ConditionalAccess");
  });
});
