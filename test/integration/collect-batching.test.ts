/**
 * The collector against the Graph simulator over HTTPS, with the real Graph client: batching, paging,
 * throttled sub-requests, 403/404/licence handling, round trips (as the sim counted them) and the apostrophe UPN.
 */
import { describe, expect, it } from "vitest";
import {
  BELLOWS,
  CONTOSO,
  FACT_KEYS,
  LITWARE,
  LUCERNE,
  RELECLOUD,
  TREY,
  WOODGROVE,
  collect,
  failed,
  idOf,
  sim,
  simRoundTrips,
  sleeps,
  useSimulator,
} from "./collect-helpers.js";

useSimulator();

describe("collectFacts against the simulator", () => {
  it("object id unknown: GET /users/{upn}, then one v1.0 and one beta batch (+1 for the second CA page)", async () => {
    const { facts, roundTrips } = await collect(WOODGROVE);
    expect(failed(facts)).toEqual([]);
    expect(facts.account.ok && facts.account.value?.id).toBe(idOf(WOODGROVE));
    expect(facts.conditionalAccessPolicies.ok && facts.conditionalAccessPolicies.value).toHaveLength(35);
    expect(roundTrips).toBe(4);
    expect(simRoundTrips(WOODGROVE)).toBe(roundTrips);
    expect(sim.state.counters.batchRequests).toBe(3);
  });

  it("object id known: at most 3 round trips (2 batches + the CA next page), exactly what the sim counted", async () => {
    const { facts, roundTrips } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) });
    expect(failed(facts)).toEqual([]);
    expect(roundTrips).toBeLessThanOrEqual(3);
    expect(roundTrips).toBe(3);
    expect(simRoundTrips(WOODGROVE)).toBe(3);
    const c = sim.state.counters;
    expect(c.batchRequests).toBe(3);
    // 13 v1.0 (10, plus the domains, sign-in activity, user risk: no extra round trip)
    // + 2 beta (per-user MFA; the sign-ins, one request for both event types) + the CA page 2.
    expect(c.subRequests).toBe(16);
    expect(c.byEndpoint.signIns).toBe(1);
    expect(c.byEndpoint.caPolicies).toBe(2);
    // The account, and its signInActivity (a request of its own: it needs P1 and AuditLog.Read.All).
    expect(c.byEndpoint.user).toBe(2);
    expect(c.byEndpoint.domains).toBe(1);
    expect(c.byEndpoint.riskyUsers).toBe(1);
  });

  it("2 round trips when nothing pages or throttles", async () => {
    const { facts, roundTrips } = await collect(LUCERNE, { accountObjectId: idOf(LUCERNE) });
    expect(facts.conditionalAccessPolicies.ok).toBe(true);
    expect(sim.state.tenant(LUCERNE).conditionalAccessPolicies.length).toBeLessThanOrEqual(25);
    expect(roundTrips).toBe(2);
    expect(simRoundTrips(LUCERNE)).toBe(2);
    expect(sim.state.counters.batchRequests).toBe(2);
  });

  it("pages through ~300 CA policies, every page accounted for", async () => {
    const { facts, roundTrips } = await collect(RELECLOUD, { accountObjectId: idOf(RELECLOUD) });
    expect(failed(facts)).toEqual([]);
    const policies = facts.conditionalAccessPolicies.ok ? facts.conditionalAccessPolicies.value : [];
    expect(policies.length).toBe(sim.state.tenant(RELECLOUD).conditionalAccessPolicies.length);
    expect(new Set(policies.map((p) => p.id)).size).toBe(policies.length);
    const pages = sim.state.counters.byEndpoint.caPolicies ?? 0;
    expect(pages).toBe(Math.ceil(policies.length / 25));
    expect(roundTrips).toBe(2 + pages - 1);
    expect(simRoundTrips(RELECLOUD)).toBe(roundTrips);
  });

  it("retries throttled sub-requests (429 with and without Retry-After, 503) by re-batching only them", async () => {
    const id = idOf(WOODGROVE);
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "caPolicies", kind: "429-no-retry-after", times: 1 });
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "securityDefaults", kind: "429", times: 1, retryAfterSeconds: 2 });
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "signIns", kind: "503", times: 1 });
    const { facts, roundTrips } = await collect(WOODGROVE, { accountObjectId: id });
    expect(failed(facts)).toEqual([]);
    const c = sim.state.counters;
    expect(c.throttled).toBe(2);
    // Round 1: v1.0 (13) + beta (2). Round 2: v1.0 (CA, SD), beta (the sign-ins). Round 3: CA page 2.
    expect(c.batchRequests).toBe(5);
    expect(c.subRequests).toBe(13 + 2 + 2 + 1 + 1);
    expect(roundTrips).toBe(5);
    expect(simRoundTrips(WOODGROVE)).toBe(5);
    // One wait per round and version: the v1.0 round waits for the longest Retry-After (2 s).
    expect(sleeps).toHaveLength(2);
    expect(sleeps).toContain(2000);
  });

  it("without Retry-After, backs off exponentially with the injected jitter", async () => {
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "caPolicies", kind: "429-no-retry-after", times: 2 });
    const { facts, roundTrips } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) });
    expect(failed(facts)).toEqual([]);
    // random 0.5 → factor 0.75: 1 s · 0.75, then 2 s · 0.75.
    expect(sleeps).toEqual([750, 1500]);
    expect(roundTrips).toBe(2 + 2 + 1);
    expect(simRoundTrips(WOODGROVE)).toBe(roundTrips);
  });

  it("a sub-request still throttled after the retries is `throttled`; the other facts are read", async () => {
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "caPolicies", kind: "429-no-retry-after" });
    const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) });
    expect(failed(facts)).toEqual(["conditionalAccessPolicies"]);
    expect(facts.conditionalAccessPolicies).toMatchObject({ ok: false, code: "throttled", httpStatus: 429 });
    expect(sim.state.counters.byEndpoint.caPolicies).toBe(4);
    expect(sleeps.length).toBe(3);
  });

  it("403 names the permission; one fact's failure hides no other", async () => {
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "caPolicies", kind: "403" });
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "authMethods", kind: "403" });
    const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) });
    expect(failed(facts)).toEqual(["conditionalAccessPolicies", "authMethods"]);
    expect(facts.conditionalAccessPolicies).toMatchObject({ code: "forbidden", permission: "Policy.Read.All", httpStatus: 403 });
    expect(facts.authMethods).toMatchObject({ code: "forbidden", permission: "UserAuthenticationMethod.Read.All" });
    expect(facts.conditionalAccessPolicies.ok ? "" : facts.conditionalAccessPolicies.reason).toContain("Policy.Read.All");
  });

  it("no Entra ID P1 (so no P2): reports, sign-ins and PIM's eligibility and schedules are `unlicensed`, the rest is read", async () => {
    for (const tenant of [LUCERNE, LITWARE]) {
      const { facts } = await collect(tenant, { accountObjectId: idOf(tenant) });
      expect(failed(facts), tenant).toEqual(["roleEligibility", "roleAssignmentInstances", "registrationDetails", "signIns"]);
      expect(facts.roleEligibility).toMatchObject({ code: "unlicensed" });
      expect(facts.roleAssignmentInstances).toMatchObject({ code: "unlicensed" });
      expect(facts.registrationDetails).toMatchObject({ code: "unlicensed" });
      expect(facts.signIns).toMatchObject({ code: "unlicensed" });
    }
  });

  it("a licence fault on one endpoint is `unlicensed` there only", async () => {
    sim.state.addFault({ tenantId: WOODGROVE, endpoint: "signIns", kind: "unlicensed" });
    const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) });
    expect(failed(facts)).toEqual(["signIns"]);
    expect(facts.signIns).toMatchObject({ code: "unlicensed" });
  });

  it("404 on the account: an answer (value null), per-account facts not requested", async () => {
    const { facts, roundTrips } = await collect(BELLOWS);
    expect(facts.account).toEqual({ ok: true, value: null });
    const perAccount = [
      "membership",
      "roleAssignments",
      "roleEligibility",
      "roleAssignmentInstances",
      "perUserMfa",
      "authMethods",
      "registrationDetails",
      "signIns",
    ];
    for (const k of perAccount as readonly (keyof typeof facts)[]) {
      expect(facts[k], k).toMatchObject({ ok: false, code: "dependency" });
    }
    expect(facts.securityDefaults.ok).toBe(true);
    // GET /users, then the tenant-wide facts in one v1.0 batch (+ CA pages).
    expect(roundTrips).toBe(simRoundTrips(BELLOWS));
    expect(sim.state.counters.byEndpoint.signIns ?? 0).toBe(0);
  });

  it("consent revoked: every fact `forbidden`, naming its permission", async () => {
    const { facts } = await collect(TREY, { accountObjectId: "d7f10c00-0000-4000-8000-000000000001" });
    for (const k of FACT_KEYS) expect(facts[k], k).toMatchObject({ ok: false, code: "forbidden" });
    expect(facts.conditionalAccessPolicies).toMatchObject({ permission: "Policy.Read.All" });
  });

  it("the apostrophe UPN works: looked up by UPN, then through every request", async () => {
    const first = await collect(CONTOSO);
    expect(failed(first.facts)).toEqual([]);
    expect(first.facts.account.ok && first.facts.account.value?.userPrincipalName).toBe("o'neil@contoso.com");
    expect(first.facts.accountRef).toBe("o'neil@contoso.com");
    // The UPN in place of the object id puts the quote in every path and every $filter; the
    // sim answers 400 to a filter or path it cannot parse, so every fact reading is the proof.
    sim.state.resetCounters();
    const second = await collect(CONTOSO, { accountObjectId: "o'neil@contoso.com" });
    expect(failed(second.facts)).toEqual([]);
    // Every endpoint of the design's table was asked with the quoted UPN, and none refused it.
    expect(Object.keys(sim.state.counters.byEndpoint).sort()).toEqual([
      "authMethods",
      "authMethodsPolicy",
      "caPolicies",
      "domains",
      "perUserMfa",
      "registrationDetails",
      "riskyUsers",
      "roleAssignmentInstances",
      "roleAssignments",
      "roleEligibility",
      "securityDefaults",
      "signIns",
      "transitiveMemberOf",
      "user",
    ]);
    expect(second.roundTrips).toBe(simRoundTrips(CONTOSO));
  });
});
