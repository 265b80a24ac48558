/**
 * collectAccounts against the Graph simulator over HTTPS, with the real Graph client: several
 * monitored accounts of one tenant. The simulator's recording says what was asked: the shared
 * facts once, each account's own facts once per account, ONE sign-in request naming every account,
 * batches of at most 20 (and 5 report requests); each account gets its own sign-ins (an emergency-access account every one
 * of them, a connection account its failures); an account that does not exist fails only its own facts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectAccounts, type CollectAccount } from "../../lib/graph/collect-accounts.js";
import { createGraphClient } from "../../lib/graph/index.js";
import type { PreviousRun, ReadPeriods } from "../../lib/graph/facts/due.js";
import type { TenantFacts } from "../../lib/model/facts.js";
import type { RecordedExchange } from "../../sim/record.js";
import type { GraphUser } from "../../sim/types.js";
import { SAMPLE_TENANTS, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { WOODGROVE, steadyPrevious } from "./collect-helpers.js";

let sim: RunningSimulator;
const recorded: RecordedExchange[] = [];

beforeAll(async () => {
  sim = await startTestSimulator({ record: (exchange) => void recorded.push(exchange) });
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => {
  sim.state.reset();
  sim.state.resetCounters();
  recorded.length = 0;
});

/** A batch's sub-requests each on its own, as `/{version}/{path}?query`. */
function subRequests(e: RecordedExchange): string[] {
  const requests = (e.body as { requests?: { url: string }[] } | undefined)?.requests ?? [];
  const version = e.url.split("/")[1] ?? "";
  return requests.map((r) => `/${version}${r.url.startsWith("/") ? "" : "/"}${r.url}`);
}
/** Every GET the tenant's collection sent, a batch's sub-requests each on its own. */
const gets = (): string[] => recorded.flatMap((e) => (e.method === "GET" ? [e.url] : subRequests(e)));
const count = (pattern: RegExp): number => gets().filter((url) => pattern.test(decodeURIComponent(url))).length;
const REPORTS = /^\/(v1\.0|beta)\/(auditLogs\/signIns|auditLogs\/directoryAudits|reports\/)/;
/** Each batch's sub-requests that draw on the tenant's report budget. */
const batchReports = (): number[] => recorded.filter((e) => e.url.endsWith("/$batch")).map((e) => subRequests(e).filter((u) => REPORTS.test(u)).length);
const batchSizes = (): number[] => recorded.filter((e) => e.url.endsWith("/$batch")).map((e) => (e.body as { requests: unknown[] }).requests.length);

function mainAccount(): GraphUser {
  const upn = SAMPLE_TENANTS.find((t) => t.tenantId === WOODGROVE)?.account.toLowerCase();
  const user = sim.state.tenant(WOODGROVE).users.find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) throw new Error("the sample tenant's account is not in the estate");
  return user;
}

/** Another user of the tenant, a copy of its account under a new id and UPN. */
function addUser(n: number): GraphUser {
  const id = `e0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const user: GraphUser = { ...mainAccount(), id, userPrincipalName: `extra${n}@woodgrove.example`, displayName: `Extra ${n}` };
  sim.state.tenant(WOODGROVE).users.push(user);
  return user;
}

function signIn(id: string, userId: string, errorCode: number, minutesAgo = 60): void {
  sim.state.tenant(WOODGROVE).signIns.push({
    id,
    userId,
    minutesAgo,
    appDisplayName: "Azure Portal",
    appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    ipAddress: "203.0.113.7",
    isInteractive: true,
    status: { errorCode, failureReason: errorCode === 0 ? null : "failed" },
  });
}

/** A steady-state run's previous: the contexts and named locations read just now, so neither is due. */
const steady = (): PreviousRun => steadyPrevious(WOODGROVE, sim.state);

async function collect(accounts: readonly CollectAccount[], periods?: ReadPeriods) {
  const settings = { graphEndpoint: sim.url, graphAuth: { mode: "token" as const, accessToken: sim.mintToken(WOODGROVE), authorityHost: sim.url } };
  const client = createGraphClient({ tenantId: WOODGROVE, settings });
  return collectAccounts(
    client,
    { tenantId: WOODGROVE, accounts },
    {
      now: sim.state.now(),
      signInLookbackHours: 24,
      sleep: async () => undefined,
      random: () => 0.5,
      graphEndpoint: sim.url,
      appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      ...(periods ? { periods } : {}),
    },
  );
}

const of = (byAccount: ReadonlyMap<string, TenantFacts>, key: string): TenantFacts => {
  const facts = byAccount.get(key);
  if (!facts) throw new Error(`no facts for account ${JSON.stringify(key)}`);
  return facts;
};
const ids = (facts: TenantFacts): string[] => (facts.signIns.ok ? facts.signIns.value.map((s) => s.id) : []);
const failedKeys = (facts: TenantFacts): string[] =>
  Object.entries(facts).flatMap(([k, v]) => (typeof v === "object" && v !== null && "ok" in v && v.ok === false ? [k] : []));

const SHARED = [/^\/v1\.0\/identity\/conditionalAccess\/policies/, /^\/v1\.0\/policies\/identitySecurityDefaultsEnforcementPolicy/, /^\/v1\.0\/domains/];
const SIGN_INS = /^\/beta\/auditLogs\/signIns\?/;

describe("collectAccounts: several accounts of one tenant", () => {
  it("two accounts: the shared facts once, each account's own facts, ONE sign-in request; each account its own sign-ins", async () => {
    const conn = mainAccount();
    const ea = addUser(1);
    signIn("conn-ok", conn.id, 0);
    signIn("conn-mfa", conn.id, 50076, 30);
    signIn("ea-ok", ea.id, 0, 20);
    signIn("ea-bad-password", ea.id, 50126, 10);
    const { byAccount, roundTrips } = await collect([
      { key: "", ref: conn.userPrincipalName, objectId: conn.id, kind: "connection", everySignIn: false, previous: steady() },
      { key: "aaaaaaaaaaaa", ref: ea.userPrincipalName, objectId: ea.id, kind: "emergency-access", everySignIn: true, previous: steady() },
    ]);
    const c = of(byAccount, "");
    const e = of(byAccount, "aaaaaaaaaaaa");
    expect(failedKeys(c)).toEqual([]);
    expect(failedKeys(e)).toEqual([]);
    expect(c.account.ok && c.account.value?.id).toBe(conn.id);
    expect(e.account.ok && e.account.value?.id).toBe(ea.id);
    expect(e.accountRef).toBe(ea.userPrincipalName);
    // Shared: one read for both (the CA policies: their two pages once), the same value in each.
    expect(count(/^\/v1\.0\/identity\/conditionalAccess\/policies/)).toBe(2);
    for (const shared of SHARED.slice(1)) expect(count(shared)).toBe(1);
    expect(count(/^\/v1\.0\/policies\/authenticationMethodsPolicy/)).toBe(1);
    expect(count(/\/appRoleAssignments/)).toBe(1);
    expect(e.conditionalAccessPolicies).toBe(c.conditionalAccessPolicies);
    // Each account's own: one each.
    for (const id of [conn.id, ea.id]) {
      expect(count(new RegExp(`/users/${id}/authentication/methods`))).toBe(1);
      expect(count(new RegExp(`/users/${id}/transitiveMemberOf`))).toBe(1);
    }
    // One sign-in request for the tenant, naming both; the connection account's failures, every sign-in of the emergency-access one.
    expect(count(SIGN_INS)).toBe(1);
    const filter = decodeURIComponent(gets().find((u) => SIGN_INS.test(u)) ?? "");
    expect(filter).toContain(`userId eq '${conn.id}'`);
    expect(filter).toContain(`userId eq '${ea.id}'`);
    expect(ids(c)).toEqual(["conn-mfa"]);
    expect(ids(e)).toEqual(["ea-bad-password", "ea-ok"]);
    // One round, nothing looked up: 23 v1.0 items (5 shared, 9 per account) in two batches sent together, one beta batch,
    // and the CA policies' second page.
    // The beta batch: each account's per-user MFA state, and the one sign-in request.
    expect(batchSizes().sort((a, b) => a - b)).toEqual([1, 3, 3, 20]);
    expect(roundTrips).toBe(4);
  });

  it("five accounts, two looked up by UPN in one batch: still one sign-in request, every account its own facts", async () => {
    const conn = mainAccount();
    const users = [1, 2, 3, 4].map(addUser);
    for (const [i, u] of [conn, ...users].entries()) signIn(`fail-${i}`, u.id, 50126, 5 + i);
    signIn("ea-success", users[3]?.id ?? "", 0);
    const accounts: CollectAccount[] = [conn, ...users].map((u, i) => ({
      key: i === 0 ? "" : `00000000000${i}`,
      ref: u.userPrincipalName,
      ...(i % 2 === 0 ? { objectId: u.id } : {}),
      kind: i >= 3 ? "emergency-access" : "connection",
      everySignIn: i >= 3,
      previous: steady(),
    }));
    const { byAccount } = await collect(accounts);
    expect(byAccount.size).toBe(5);
    for (const [i, a] of accounts.entries()) {
      const facts = of(byAccount, a.key);
      expect(failedKeys(facts)).toEqual([]);
      expect(ids(facts)).toEqual(i === 4 ? ["fail-4", "ea-success"] : [`fail-${i}`]);
    }
    expect(count(SIGN_INS)).toBe(1);
    expect(count(/^\/v1\.0\/identity\/conditionalAccess\/policies/)).toBe(2);
    expect(count(/\/authentication\/methods/)).toBe(5);
    // The two accounts without an object id: looked up together, in one batch of their own before the rest.
    const first = recorded[0];
    expect(first?.url).toMatch(/\/\$batch$/);
    expect((first?.body as { requests: { url: string }[] }).requests.map((r) => decodeURIComponent(r.url))).toEqual([
      expect.stringContaining(`users('${users[0]?.userPrincipalName}')`),
      expect.stringContaining(`users('${users[2]?.userPrincipalName}')`),
    ]);
  });

  it("beyond 20 sub-requests a version's items go in batches of 20 (Graph refuses more), at most 5 report requests in each, every fact read", async () => {
    const users = Array.from({ length: 6 }, (_, i) => addUser(i + 10));
    const accounts: CollectAccount[] = [mainAccount(), ...users].map((u, i) => ({
      key: i === 0 ? "" : `a0000000000${i}`,
      ref: u.userPrincipalName,
      objectId: u.id,
      kind: "connection",
      everySignIn: false,
      previous: steady(),
    }));
    const { byAccount } = await collect(accounts);
    for (const a of accounts) expect(failedKeys(of(byAccount, a.key))).toEqual([]);
    const sizes = batchSizes();
    expect(Math.max(...sizes)).toBe(20);
    expect(sizes.filter((n) => n === 20).length).toBeGreaterThanOrEqual(2);
    expect(count(SIGN_INS)).toBe(1);
    // Their first run reads each account's sign-in contexts too: more report requests than a tenant's
    // window lets through (5), and no batch carries more than that, or Graph would throttle part of it.
    recorded.length = 0;
    await collect(accounts.map((a) => ({ ...a, previous: null })));
    expect(count(REPORTS)).toBeGreaterThan(5);
    expect(Math.max(...batchReports())).toBeLessThanOrEqual(5);
  });

  it("an account that does not exist fails only its own facts", async () => {
    const conn = mainAccount();
    const { byAccount } = await collect([
      { key: "", ref: conn.userPrincipalName, objectId: conn.id, kind: "connection", everySignIn: false, previous: steady() },
      { key: "bbbbbbbbbbbb", ref: "nobody@woodgrove.example", kind: "emergency-access", everySignIn: true, previous: steady() },
    ]);
    const c = of(byAccount, "");
    const gone = of(byAccount, "bbbbbbbbbbbb");
    expect(failedKeys(c)).toEqual([]);
    expect(gone.account).toEqual({ ok: true, value: null });
    expect(gone.conditionalAccessPolicies.ok).toBe(true);
    expect(gone.authMethods.ok).toBe(false);
    expect(!gone.signIns.ok && gone.signIns.reason).toMatch(/does not exist/);
    // The sign-in request names only the account that exists.
    expect(count(SIGN_INS)).toBe(1);
    expect(decodeURIComponent(gets().find((u) => SIGN_INS.test(u)) ?? "")).not.toContain("nobody");
  });

  it("the facts read only when due are decided per account: a new account's first run reads its contexts, the other's are carried", async () => {
    const conn = mainAccount();
    const fresh = addUser(30);
    const { byAccount } = await collect([
      { key: "", ref: conn.userPrincipalName, objectId: conn.id, kind: "connection", everySignIn: false, previous: steady() },
      { key: "cccccccccccc", ref: fresh.userPrincipalName, objectId: fresh.id, kind: "emergency-access", everySignIn: true, previous: null },
    ]);
    const contexts = gets().filter((u) => SIGN_INS.test(u) && decodeURIComponent(u).includes("$select="));
    expect(contexts).toHaveLength(1);
    expect(decodeURIComponent(contexts[0] ?? "")).toContain(fresh.id);
    expect(of(byAccount, "").signInContexts.carried).toBeDefined();
    expect(of(byAccount, "cccccccccccc").signInContexts.carried).toBeUndefined();
    // The named locations are the tenant's: the new account's run calls for them, so they are read once, for both.
    expect(count(/^\/v1\.0\/identity\/conditionalAccess\/namedLocations/)).toBe(1);
    expect(of(byAccount, "").namedLocations.carried).toBeUndefined();
    expect(of(byAccount, "").namedLocations).toBe(of(byAccount, "cccccccccccc").namedLocations);
    // The one sign-in request is still one (the contexts are their own, read only when due).
    expect(gets().filter((u) => SIGN_INS.test(u) && !decodeURIComponent(u).includes("$select="))).toHaveLength(1);
  });

  it("a steady-state check of a tenant with a connection and an emergency-access account costs ONE report request", async () => {
    const periods: ReadPeriods = { registrationReportHours: 6, signInContextHours: 24, signInContextDays: 14 };
    const conn = mainAccount();
    const ea = addUser(40);
    const accounts = (previous: (key: string) => PreviousRun | null): CollectAccount[] => [
      { key: "", ref: conn.userPrincipalName, objectId: conn.id, kind: "connection", everySignIn: false, previous: previous("") },
      { key: "dddddddddddd", ref: ea.userPrincipalName, objectId: ea.id, kind: "emergency-access", everySignIn: true, previous: previous("dddddddddddd") },
    ];
    const reportRequests = (): number => count(REPORTS);
    // The first run reads every report: each account's registration report and contexts, and the one sign-in request.
    const first = await collect(
      accounts(() => null),
      periods,
    );
    expect(reportRequests()).toBe(5);
    // The next run, with what the first stored: only the tenant's one sign-in request.
    recorded.length = 0;
    const now = sim.state.now().toISOString();
    const stored = (key: string): PreviousRun => {
      const facts = of(first.byAccount, key);
      const base = steady();
      const report = facts.registrationDetails;
      return {
        ...base,
        methods: facts.authMethods.ok ? facts.authMethods.value.map((m) => ({ id: m.id, type: m.type })) : null,
        reads: { ...base.reads, ...(report.ok ? { registrationDetails: { fact: report, readAt: now } } : {}) },
      };
    };
    const { byAccount } = await collect(accounts(stored), periods);
    expect(reportRequests()).toBe(1);
    expect(count(SIGN_INS)).toBe(1);
    expect(of(byAccount, "dddddddddddd").registrationDetails.carried).toBeDefined();
    expect([...failedKeys(of(byAccount, "")), ...failedKeys(of(byAccount, "dddddddddddd"))]).toEqual([]);
  });

  it("a shared fact read in the batches for one account's sake is not carried for another", async () => {
    const conn = mainAccount();
    const other = addUser(50);
    // No previous (the caller keeps no state): every fact in the batches, the named locations with the policies.
    const { byAccount } = await collect([
      { key: "", ref: conn.userPrincipalName, objectId: conn.id, kind: "connection", everySignIn: false },
      { key: "eeeeeeeeeeee", ref: other.userPrincipalName, objectId: other.id, kind: "connection", everySignIn: false, previous: steady() },
    ]);
    expect(count(/^\/v1\.0\/identity\/conditionalAccess\/namedLocations/)).toBe(1);
    const steadyOne = of(byAccount, "eeeeeeeeeeee").namedLocations;
    expect(steadyOne.carried).toBeUndefined();
    expect(steadyOne).toBe(of(byAccount, "").namedLocations);
  });
});
