/**
 * The collector against the Graph simulator over HTTPS, with the real Graph client: batching,
 * paging, throttled sub-requests, 403/404/licence handling, round trips (as the sim counted
 * them), the apostrophe UPN, and a client-secret credential against the sim's token endpoint.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearCredentialCache, collectFacts, createGraphClient, TOKEN_EXCHANGE_SCOPE, type CollectTarget, type CredentialDeps } from "../../lib/graph/index.js";
import { generate } from "selfsigned";
import type { Settings } from "../../lib/config/settings.js";
import type { TenantFacts } from "../../lib/model/facts.js";
import { SAMPLE_TENANTS, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";

// Sample estate tenants (sim/estate/tenants).
const WOODGROVE = "d7f00000-0000-4000-8000-000000000001"; // compliant, 36 baseline policies (2 pages of 25)
const LITWARE = "d7f00000-0000-4000-8000-000000000006"; // no Entra ID P1
const TREY = "d7f00000-0000-4000-8000-000000000012"; // consent revoked
const CONTOSO = "d7f00000-0000-4000-8000-000000000013"; // o'neil@contoso.com
const RELECLOUD = "d7f00000-0000-4000-8000-000000000014"; // ~300 policies
const LUCERNE = "d7f00000-0000-4000-8000-000000000015"; // no P1, otherwise compliant
const BELLOWS = "d7f00000-0000-4000-8000-000000000016"; // account does not exist

const FACT_KEYS = [
  "account",
  "membership",
  "roleAssignments",
  "roleEligibility",
  "conditionalAccessPolicies",
  "securityDefaults",
  "perUserMfa",
  "authMethods",
  "registrationDetails",
  "registrationCampaign",
  "signIns",
] as const;
const failed = (facts: TenantFacts) => FACT_KEYS.filter((k) => !facts[k].ok);

let sim: RunningSimulator;
const sleeps: number[] = [];

function tokenSettings(tenantId: string): Pick<Settings, "graphEndpoint" | "graphAuth"> {
  return { graphEndpoint: sim.url, graphAuth: { mode: "token", accessToken: sim.mintToken(tenantId), authorityHost: sim.url } };
}

function upnOf(tenantId: string): string {
  const t = SAMPLE_TENANTS.find((s) => s.tenantId === tenantId);
  if (!t) throw new Error(`no sample tenant ${tenantId}`);
  return t.account;
}

function idOf(tenantId: string): string {
  const upn = upnOf(tenantId).toLowerCase();
  const user = sim.state.tenant(tenantId).users.find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) throw new Error(`account of ${tenantId} not in the estate`);
  return user.id;
}

async function collect(tenantId: string, target: Partial<CollectTarget> = {}, settings = tokenSettings(tenantId), credentialDeps?: CredentialDeps) {
  const client = createGraphClient({ tenantId, settings, credentialDeps });
  return collectFacts(
    client,
    { tenantId, accountRef: upnOf(tenantId), ...target },
    {
      now: sim.state.now(),
      signInLookbackHours: 24,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      graphEndpoint: sim.url,
    },
  );
}

const simRoundTrips = (tenantId: string) => sim.state.counters.httpByTenant[tenantId.toLowerCase()] ?? 0;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => {
  sim.state.clearFaults();
  sim.state.resetCounters();
  sleeps.length = 0;
});

describe("collectFacts against the simulator", () => {
  it("object id unknown: GET /users/{upn}, then one v1.0 and one beta batch (+1 for the second CA page)", async () => {
    const { facts, roundTrips } = await collect(WOODGROVE);
    expect(failed(facts)).toEqual([]);
    expect(facts.account.ok && facts.account.value?.id).toBe(idOf(WOODGROVE));
    expect(facts.conditionalAccessPolicies.ok && facts.conditionalAccessPolicies.value).toHaveLength(36);
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
    // 9 v1.0 + 2 beta (per-user MFA; the sign-ins, one request for both event types) + the CA page 2.
    expect(c.subRequests).toBe(12);
    expect(c.byEndpoint.signIns).toBe(1);
    expect(c.byEndpoint.caPolicies).toBe(2);
    expect(c.byEndpoint.user).toBe(1);
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
    // Round 1: v1.0 (9) + beta (2). Round 2: v1.0 (CA, SD), beta (the sign-ins). Round 3: CA page 2.
    expect(c.batchRequests).toBe(5);
    expect(c.subRequests).toBe(9 + 2 + 2 + 1 + 1);
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

  it("no Entra ID P1: reports and sign-ins are `unlicensed`, the rest is read", async () => {
    for (const tenant of [LUCERNE, LITWARE]) {
      const { facts } = await collect(tenant, { accountObjectId: idOf(tenant) });
      expect(failed(facts), tenant).toEqual(["registrationDetails", "signIns"]);
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
    for (const k of ["membership", "roleAssignments", "roleEligibility", "perUserMfa", "authMethods", "registrationDetails", "signIns"] as const) {
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
      "perUserMfa",
      "registrationDetails",
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

describe("sign-ins: interactive and non-interactive", () => {
  const FOURTH_COFFEE = "d7f00000-0000-4000-8000-000000000011";

  it("reads a background account's failures, every one of them non-interactive, in the one sign-in request", async () => {
    const { facts, roundTrips } = await collect(FOURTH_COFFEE, { accountObjectId: idOf(FOURTH_COFFEE) });
    expect(failed(facts)).toEqual([]);
    const signIns = facts.signIns.ok ? facts.signIns.value : [];
    // Graph's beta list answers interactive sign-ins only unless asked for the others: these are
    // the account's token refreshes, all non-interactive (sim/estate/tenants/11-fourth-coffee.json).
    expect(signIns.map((s) => [s.errorCode, s.isInteractive])).toEqual([
      [50076, false],
      [53003, false],
    ]);
    expect(roundTrips).toBe(2);
    // Both event types in one request: one slot of the report budget (was two lists, two slots).
    expect(sim.state.counters.byEndpoint.signIns).toBe(1);
  });

  it("only the failures the check reads come back: a busy account's successful refreshes are never paged", async () => {
    const id = idOf(WOODGROVE);
    const tenant = sim.state.tenant(WOODGROVE);
    const saved = tenant.signIns;
    try {
      // 5,000 successful non-interactive sign-ins in the window (5 pages of 1,000 unfiltered), one failure.
      tenant.signIns = Array.from({ length: 5000 }, (_, i) => ({
        id: `ok-${i}`,
        userId: id,
        minutesAgo: 1 + (i % 600),
        isInteractive: false,
        signInEventTypes: ["nonInteractiveUser"],
        status: { errorCode: 0 },
      }));
      tenant.signIns.push({
        id: "bad",
        userId: id,
        minutesAgo: 5,
        isInteractive: false,
        signInEventTypes: ["nonInteractiveUser"],
        status: { errorCode: 53003, failureReason: "Blocked by Conditional Access" },
      });
      const { facts } = await collect(WOODGROVE, { accountObjectId: id });
      expect(facts.signIns.ok && facts.signIns.value.map((s) => s.id)).toEqual(["bad"]);
      expect(sim.state.counters.byEndpoint.signIns).toBe(1);
    } finally {
      tenant.signIns = saved;
    }
  });
});

describe("the account's UPN in key syntax", () => {
  const DOLLAR = "$svc@contoso.com";
  beforeAll(() => {
    // A UPN that starts with `$`: Graph refuses `/users/$svc@…` (a system segment), not `/users('$svc@…')`.
    const t = sim.state.tenant(CONTOSO);
    const account = t.users.find((u) => u.userPrincipalName === "o'neil@contoso.com");
    if (!account) throw new Error("no o'neil");
    const id = "d7f11300-0000-4000-8000-0000000000d0";
    t.users.push({ ...account, id, userPrincipalName: DOLLAR, displayName: "Dollar service" });
    for (const members of Object.values(t.groupMembers)) if (members.includes(account.id)) members.push(id);
    for (const a of [...t.roleAssignments]) if (a.principalId === account.id) t.roleAssignments.push({ ...a, id: `${String(a.id)}-dollar`, principalId: id });
  });

  it.each([DOLLAR, "o'neil@contoso.com"])("%s: looked up by UPN, then through every request with the UPN in place of the id", async (upn) => {
    const first = await collect(CONTOSO, { accountRef: upn });
    expect(failed(first.facts)).toEqual([]);
    expect(first.facts.account.ok && first.facts.account.value?.userPrincipalName).toBe(upn);
    expect(first.roundTrips).toBe(3);
    sim.state.resetCounters();
    const second = await collect(CONTOSO, { accountRef: upn, accountObjectId: upn });
    expect(failed(second.facts)).toEqual([]);
    expect(second.facts.account.ok && second.facts.account.value?.userPrincipalName).toBe(upn);
  });
});

describe("a stale cached object id", () => {
  it("the account re-created under the same UPN: found by UPN in the same run, per-account facts read with the new id", async () => {
    const stale = "d7f1dead-0000-4000-8000-000000000001";
    const { facts, roundTrips } = await collect(WOODGROVE, { accountObjectId: stale });
    expect(failed(facts)).toEqual([]);
    expect(facts.account.ok && facts.account.value?.id).toBe(idOf(WOODGROVE));
    // 2 batches (+ the CA page) with the stale id, GET /users('{upn}'), 2 per-account batches.
    expect(roundTrips).toBe(3 + 1 + 2);
    expect(simRoundTrips(WOODGROVE)).toBe(roundTrips);
  });

  it("the account really gone: the UPN answers 404 too, and the account does not exist", async () => {
    const { facts, roundTrips } = await collect(BELLOWS, { accountObjectId: "d7f1dead-0000-4000-8000-000000000002" });
    expect(facts.account).toEqual({ ok: true, value: null });
    expect(facts.authMethods).toMatchObject({ code: "dependency" });
    expect(roundTrips).toBe(simRoundTrips(BELLOWS));
  });
});

describe("round trips per sample tenant, object id known", () => {
  // Every tenant of the sample estate whose account exists and whose consent stands. Relecloud's
  // ~300 policies page (25 a page in the sim): 2 batches + one batch per further CA page.
  const tenants = SAMPLE_TENANTS.filter((t) => t.tenantId !== TREY && t.tenantId !== BELLOWS);
  it.each(tenants.map((t) => [t.displayName, t.tenantId] as const))("%s", async (_name, tenantId) => {
    const { facts, roundTrips } = await collect(tenantId, { accountObjectId: idOf(tenantId) });
    expect(facts.account.ok).toBe(true);
    expect(roundTrips).toBe(simRoundTrips(tenantId));
    const caPages = Math.max(1, Math.ceil(sim.state.tenant(tenantId).conditionalAccessPolicies.length / 25));
    expect(roundTrips).toBe(2 + caPages - 1);
    if (tenantId !== RELECLOUD) expect(roundTrips).toBeLessThanOrEqual(3);
  });
});

describe("credentials against the simulator's token endpoint", () => {
  const secretSettings = (): Pick<Settings, "graphEndpoint" | "graphAuth"> => ({
    graphEndpoint: sim.url,
    graphAuth: { mode: "secret", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", clientSecret: "test-secret", authorityHost: sim.url },
  });

  beforeEach(() => clearCredentialCache());

  it("ClientSecretCredential gets a token from the sim and reuses it across runs", async () => {
    const first = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, secretSettings());
    expect(failed(first.facts)).toEqual([]);
    const second = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, secretSettings());
    expect(failed(second.facts)).toEqual([]);
    // One token for both runs: the credential (and its token cache) is kept per tenant.
    expect(sim.state.counters.byEndpoint.token).toBe(1);
  });

  it("consent revoked: the token is refused (AADSTS65001) and every fact is `forbidden`", async () => {
    const { facts } = await collect(TREY, { accountObjectId: "d7f10c00-0000-4000-8000-000000000001" }, secretSettings());
    for (const k of FACT_KEYS) expect(facts[k], k).toMatchObject({ ok: false, code: "forbidden" });
    expect(facts.signIns.ok ? "" : facts.signIns.reason).toContain("AADSTS65001");
  });

  it("ClientCertificateCredential (PEM with the private key) signs an assertion the sim accepts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-graph-cert-"));
    try {
      // An app registration's certificate: RSA, as Entra (and MSAL's RS256/PS256 assertion) wants.
      const pems = await generate([{ name: "commonName", value: "drift-monitor test app" }], { keyType: "rsa", keySize: 2048, algorithm: "sha256" });
      const path = join(dir, "app.pem");
      writeFileSync(path, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
      const settings: Pick<Settings, "graphEndpoint" | "graphAuth"> = {
        graphEndpoint: sim.url,
        graphAuth: { mode: "certificate", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", certificatePath: path, authorityHost: sim.url },
      };
      const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, settings);
      expect(failed(facts)).toEqual([]);
      expect(sim.state.counters.byEndpoint.token).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("federated: the managed identity's token for api://AzureADTokenExchange is the client assertion", async () => {
    const asked: string[] = [];
    const deps: CredentialDeps = {
      managedIdentity: (clientId) => ({
        getToken: async (scopes) => {
          asked.push(`${clientId} ${String(scopes)}`);
          return { token: "managed-identity-jwt", expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      }),
    };
    const settings: Pick<Settings, "graphEndpoint" | "graphAuth"> = {
      graphEndpoint: sim.url,
      graphAuth: { mode: "federated", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", managedIdentityClientId: "mi-client-id", authorityHost: sim.url },
    };
    const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, settings, deps);
    expect(failed(facts)).toEqual([]);
    // MSAL may ask for the assertion more than once per token; it must always be this scope.
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([`mi-client-id ${TOKEN_EXCHANGE_SCOPE}`]));
    expect(sim.state.counters.byEndpoint.token).toBe(1);
  });
});
