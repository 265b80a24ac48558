import { describe, expect, it } from "vitest";
import { collectFacts } from "../../../lib/graph/collect.js";
import { DomainCache } from "../../../lib/graph/domain-cache.js";
import type { TenantFacts } from "../../../lib/model/facts.js";
import { batchResponder, fakeClient, healthy, USER_ID, user } from "./fake-graph.js";

const TENANT = "11111111-1111-4111-8111-111111111111";
const UPN = "o'neil@contoso.com";
const now = new Date("2026-03-01T12:00:00.000Z");
const options = { now, signInLookbackHours: 24, sleep: async () => {}, random: () => 0.5, graphEndpoint: "https://graph.test" };

/** The account as normalised from `user`: the password and session properties it lacks are null (not returned). */
const unread = { passwordPolicies: null, lastPasswordChangeDateTime: null, signInSessionsValidFromDateTime: null, forceChangePasswordNextSignIn: null };
const accountOf = (u: typeof user) => ({ ...u, ...unread });

const FACT_KEYS = [
  "account",
  "membership",
  "roleAssignments",
  "roleEligibility",
  "roleAssignmentInstances",
  "conditionalAccessPolicies",
  "securityDefaults",
  "perUserMfa",
  "authMethods",
  "registrationDetails",
  "registrationCampaign",
  "domainPasswordPolicies",
  "signInActivity",
  "riskyUser",
  "signIns",
  "signInContexts",
  "namedLocations",
] as const;

function okKeys(facts: TenantFacts): string[] {
  return FACT_KEYS.filter((k) => facts[k].ok);
}

describe("collectFacts (fake Graph)", () => {
  it("object id known: one v1.0 and one beta batch, nothing else", async () => {
    const { client, seen } = fakeClient(batchResponder(healthy));
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(okKeys(facts)).toEqual([...FACT_KEYS]);
    expect(roundTrips).toBe(2);
    expect(seen.map((s) => s.url).sort()).toEqual(["https://graph.test/beta/$batch", "https://graph.test/v1.0/$batch"]);
    const sub = seen.flatMap((s) => (s.body as { requests: Array<{ url: string }> }).requests.map((r) => r.url));
    // 14 v1.0 (10, plus the domains, sign-in activity, user risk and the named locations); beta: per-user MFA,
    // ONE failure sign-in request (both event types) and the sign-in contexts (the runner carries them when not due).
    expect(sub).toHaveLength(17);
    const codes = `(${[50072, 50074, 50076, 50079, 53003, 53000, 53001, 53002, 530032, 530035, 53004, 50135, 50055, 50125, 50126, 50053, 50057, 50173, 50133]
      .map((c) => `status/errorCode eq ${c}`)
      .join(" or ")})`;
    const signIns = sub.map(decodeURIComponent).filter((u) => u.startsWith("/auditLogs/signIns") && !u.includes("$select"));
    const both = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";
    expect(signIns).toEqual([`/auditLogs/signIns?$filter=userId eq '${USER_ID}' and createdDateTime ge 2026-02-28T12:00:00.000Z and ${both} and ${codes}`]);
    expect(facts).toMatchObject({ tenantId: TENANT, accountRef: UPN, collectedAt: now.toISOString(), signInLookbackHours: 24 });
  });

  it("object id unknown: GET /users('{UPN, quote doubled, encoded}') first, then the batches", async () => {
    const { client, seen } = fakeClient(
      batchResponder(healthy, (req) => ({ status: req.url.includes("/users('o%27%27neil%40contoso.com')?") ? 200 : 404, body: user })),
    );
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN }, options);
    expect(roundTrips).toBe(3);
    expect(seen[0]?.url).toMatch(/^https:\/\/graph\.test\/v1\.0\/users\('o%27%27neil%40contoso\.com'\)\?\$select=/);
    expect(facts.account).toEqual({ ok: true, value: accountOf(user) });
    expect(okKeys(facts)).toEqual([...FACT_KEYS]);
  });

  it("404 on the account: account null, per-account facts dependency, tenant-wide facts still read", async () => {
    const { client } = fakeClient(batchResponder(healthy, () => ({ status: 404, body: { error: { code: "Request_ResourceNotFound", message: "gone" } } })));
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN }, options);
    expect(facts.account).toEqual({ ok: true, value: null });
    expect(okKeys(facts)).toEqual([
      "account",
      "conditionalAccessPolicies",
      "securityDefaults",
      "registrationCampaign",
      "domainPasswordPolicies",
      "namedLocations",
    ]);
    expect(facts.membership).toMatchObject({ ok: false, code: "dependency" });
  });

  it("one fact's failure never hides another's", async () => {
    const { client } = fakeClient(
      batchResponder((v, url, id) => {
        if (id === "conditionalAccessPolicies")
          return { status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } } };
        if (id === "signIns")
          return {
            status: 403,
            body: {
              error: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" },
            },
          };
        if (id === "securityDefaults") return { status: 200, body: { isEnabled: "yes" } };
        if (id === "perUserMfa") return { status: 500, body: { error: { code: "InternalServerError" } } };
        return healthy(v, url);
      }),
    );
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(facts.conditionalAccessPolicies).toMatchObject({ ok: false, code: "forbidden", permission: "Policy.Read.All" });
    expect(facts.signIns).toMatchObject({ ok: false, code: "unlicensed" });
    expect(facts.securityDefaults).toMatchObject({ ok: false, code: "invalid-response" });
    expect(facts.perUserMfa).toMatchObject({ ok: false, code: "unavailable", httpStatus: 500 });
    expect(okKeys(facts)).toEqual([
      "account",
      "membership",
      "roleAssignments",
      "roleEligibility",
      "roleAssignmentInstances",
      "authMethods",
      "registrationDetails",
      "registrationCampaign",
      "domainPasswordPolicies",
      "signInActivity",
      "riskyUser",
      "signInContexts",
      "namedLocations",
    ]);
  });

  it("a stale cached id that answers 404, and a UPN that answers 404 too: the account is null (one lookup more)", async () => {
    const { client, seen } = fakeClient(batchResponder(() => ({ status: 404, body: { error: { code: "Request_ResourceNotFound" } } })));
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(facts.account).toEqual({ ok: true, value: null });
    expect(facts.authMethods).toMatchObject({ code: "dependency" });
    expect(roundTrips).toBe(3);
    expect(seen[2]?.url).toMatch(/\/v1\.0\/users\('o%27%27neil%40contoso\.com'\)\?/);
  });

  it("a stale cached id (account re-created under the same UPN): looked up by UPN in the same run, per-account facts read again with the new id", async () => {
    const NEW_ID = "33333333-3333-4333-8333-333333333333";
    const recreated = { ...user, id: NEW_ID };
    const gone = { status: 404, body: { error: { code: "Request_ResourceNotFound", message: "gone" } } };
    const { client, seen } = fakeClient(
      batchResponder(
        (v, url) =>
          decodeURIComponent(url).includes(USER_ID)
            ? gone
            : decodeURIComponent(url).startsWith(`/users/${NEW_ID}?`)
              ? { status: 200, body: recreated }
              : healthy(v, url),
        (req) => (req.url.includes("/users('o%27%27neil%40contoso.com')?") ? { status: 200, body: recreated } : gone),
      ),
    );
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(facts.account).toEqual({ ok: true, value: accountOf(recreated) });
    expect(okKeys(facts)).toEqual([...FACT_KEYS]);
    // 2 batches with the stale id, the UPN lookup, then the per-account batches (v1.0, beta) with the new id.
    expect(roundTrips).toBe(5);
    const batches = seen.filter((s) => s.url.endsWith("/$batch")).map((s) => (s.body as { requests: Array<{ id: string; url: string }> }).requests);
    const last = batches.slice(2).flat();
    expect(last.map((r) => r.id).sort()).toEqual([
      "authMethods",
      "membership",
      "perUserMfa",
      "registrationDetails",
      "riskyUser",
      "roleAssignmentInstances",
      "roleAssignments",
      "roleEligibility",
      "signInActivity",
      "signInContexts",
      "signIns",
    ]);
    expect(last.every((r) => decodeURIComponent(r.url).includes(NEW_ID) && !decodeURIComponent(r.url).includes(USER_ID))).toBe(true);
  });

  it("the domains are read at most once a day per cache: a fresh list rides along instead of a sub-request", async () => {
    const cache = new DomainCache();
    const ids = async (at: Date): Promise<string[]> => {
      const { client, seen } = fakeClient(batchResponder(healthy));
      const { facts } = await collectFacts(
        client,
        { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID },
        { ...options, now: at, domainCache: cache },
      );
      expect(facts.domainPasswordPolicies).toEqual({ ok: true, value: [{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 90 }] });
      return seen.flatMap((x) => (x.body as { requests: Array<{ id: string }> }).requests.map((r) => r.id));
    };
    expect(await ids(now)).toContain("domainPasswordPolicies");
    expect(await ids(new Date(now.getTime() + 23 * 3_600_000))).not.toContain("domainPasswordPolicies");
    expect(await ids(new Date(now.getTime() + 24 * 3_600_000))).toContain("domainPasswordPolicies");
  });

  it("an account registered by object id that answers 404 is missing: no UPN to look up", async () => {
    const { client } = fakeClient(batchResponder((v, url) => (decodeURIComponent(url).includes(USER_ID) ? { status: 404, body: {} } : healthy(v, url))));
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: USER_ID, accountObjectId: USER_ID }, options);
    expect(facts.account).toEqual({ ok: true, value: null });
    expect(roundTrips).toBe(2);
  });

  it("sign-ins: one request for both event types, its pages followed, each sign-in once, newest first", async () => {
    const signIn = (id: string, at: string, code: number, isInteractive: boolean) => ({
      id,
      createdDateTime: at,
      isInteractive,
      status: { errorCode: code, failureReason: null },
    });
    const a = signIn("a", "2026-03-01T08:00:00Z", 50076, true);
    const b = signIn("b", "2026-03-01T09:00:00Z", 53003, false);
    const c = signIn("c", "2026-03-01T10:00:00Z", 50076, false);
    const next = "https://graph.test/beta/auditLogs/signIns?$skiptoken=page2";
    const { client, seen } = fakeClient(
      batchResponder((v, url, id) => {
        // Page 1 ends with `b`, page 2 repeats it (a sign-in written between the pages): read once.
        if (id === "signIns" && url.includes("$skiptoken=page2")) return { status: 200, body: { value: [b, a] } };
        if (id === "signIns") return { status: 200, body: { value: [c, b], "@odata.nextLink": next } };
        return healthy(v, url);
      }),
    );
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(facts.signIns.ok && facts.signIns.value.map((s) => s.id)).toEqual(["c", "b", "a"]);
    const signInUrls = seen
      .flatMap((s) => (s.body as { requests?: Array<{ id: string; url: string }> } | undefined)?.requests ?? [])
      .filter((r) => r.id === "signIns");
    // The first page and its next link: two pages of one request, no second list.
    expect(signInUrls.map((r) => r.url.includes("$skiptoken=page2"))).toEqual([false, true]);
  });

  it("sign-ins: the request failing fails the fact (never an empty list read as no failures)", async () => {
    const { client } = fakeClient(
      batchResponder((v, url, id) =>
        id === "signIns" ? { status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } } } : healthy(v, url),
      ),
    );
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    expect(facts.signIns).toMatchObject({ ok: false, code: "forbidden", permission: "AuditLog.Read.All" });
  });

  it("a network failure is unavailable for every fact, without throwing", async () => {
    const { client } = fakeClient(() => {
      throw new TypeError("fetch failed");
    });
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    for (const k of FACT_KEYS) expect(facts[k], k).toMatchObject({ ok: false, code: "unavailable" });
  });

  it("a refused token (consent revoked, AADSTS65001) is forbidden for every fact, naming each permission", async () => {
    const { client } = fakeClient(() => {
      const e = new Error("AADSTS65001: The user or administrator has not consented to use the application with ID 'x'.\nTrace ID: 1");
      e.name = "AuthenticationError";
      throw e;
    });
    const { facts } = await collectFacts(client, { tenantId: TENANT, accountRef: UPN, accountObjectId: USER_ID }, options);
    for (const k of FACT_KEYS) expect(facts[k], k).toMatchObject({ ok: false, code: "forbidden" });
    expect(facts.conditionalAccessPolicies).toMatchObject({ permission: "Policy.Read.All" });
    expect(facts.signIns.ok ? "" : facts.signIns.reason).toMatch(/AADSTS65001.*admin consent/);
    expect(facts.signIns.ok ? "" : facts.signIns.reason).not.toContain("Trace ID");
  });
});

describe("collectFacts with an account registered by object id", () => {
  it("needs no lookup: 2 round trips", async () => {
    const { client, seen } = fakeClient(batchResponder(healthy));
    const { facts, roundTrips } = await collectFacts(client, { tenantId: TENANT, accountRef: USER_ID.toUpperCase() }, options);
    expect(okKeys(facts)).toEqual([...FACT_KEYS]);
    expect(roundTrips).toBe(2);
    expect(seen.every((s) => s.url.endsWith("/$batch"))).toBe(true);
  });
});
