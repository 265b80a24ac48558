/** A tenant with several accounts on the estate page and the tenant page: rolled up, grouped, each account's kind shown, values escaped. Pure. */
import { describe, expect, it } from "vitest";
import { estateRows, estatePage, estateQuerySchema } from "../../../lib/status/estate-query.js";
import { worstStatus, accountOfRow, type AccountStatus } from "../../../lib/status/accounts.js";
import type { EstateRead } from "../../../lib/status/read-model.js";
import { estateHtml } from "../../../lib/dashboard/estate-page.js";
import { tenantHtml, type AccountView, type TenantView } from "../../../lib/dashboard/tenant-page.js";
import { registeredTenantSchema, type RegisteredTenant } from "../../../lib/model/tenant.js";
import type { TenantState } from "../../../lib/model/state.js";
import { minimalState, openFinding } from "../../support/state.js";

const T = "00000000-0000-4000-8000-0000000000aa";
const HOSTILE_UPN = `"><script>x</script>\u202Ebg@contoso.com`;
const tenant: RegisteredTenant = registeredTenantSchema.parse({
  tenantId: T,
  displayName: "Contoso",
  accounts: [
    { ref: "svc@contoso.com", kind: "connection" },
    { ref: "bg1@contoso.com", kind: "emergency-access" },
    { ref: "svc2@fabrikam.example", kind: "connection", profile: "relaxed" },
  ],
});
const [svc, bg1, svc2] = tenant.accounts;
if (!svc || !bg1 || !svc2) throw new Error("three accounts");
const single: RegisteredTenant = registeredTenantSchema.parse({
  tenantId: "00000000-0000-4000-8000-0000000000bb",
  displayName: "Single",
  account: "a@b.example",
});

const at = (iso: string, status: "compliant" | "drifted", findings: TenantState["findings"] = []): TenantState => {
  const s = minimalState(T, { at: iso });
  return { ...s, lastReport: { ...s.lastReport, status }, findings };
};

function read(states: Record<string, TenantState>, unreadable: Record<string, string> = {}): EstateRead {
  return {
    tenants: [tenant, single],
    stateOf: new Map(Object.entries(states)),
    unreadableStateOf: new Map(Object.entries(unreadable)),
    deadLetteredOf: new Map(),
    deadLetteredCount: 0,
    unreadable: [],
  };
}

describe("accounts.ts", () => {
  const cases: [AccountStatus[], AccountStatus][] = [
    [[], "compliant"],
    [["compliant", "compliant"], "compliant"],
    [["compliant", "not-checked"], "not-checked"],
    [["unknown", "not-checked"], "unknown"],
    [["unknown", "unreadable"], "unreadable"],
    [["unreadable", "drifted", "compliant"], "drifted"],
  ];
  it.each(cases)("the worst of %j is %s", (statuses, worst) => expect(worstStatus(statuses)).toBe(worst));

  it.each([
    [{ tenantId: T }, { tenantId: T, key: "" }],
    [
      { tenantId: T, accountKey: "abcdef012345" },
      { tenantId: T, key: "abcdef012345" },
    ],
    [{ tenantId: `${T}|abcdef012345` }, { tenantId: T, key: "abcdef012345" }],
  ])("a row %j is of the account %j", (row, account) => expect(accountOfRow(row)).toEqual(account));
});

describe("the estate with a three-account tenant", () => {
  const states = {
    [T]: at("2026-03-02T08:00:00.000Z", "compliant"),
    [`${T}|${bg1.key}`]: at("2026-03-01T08:00:00.000Z", "drifted", [openFinding("emergency-sign-in", "signed in", "2026-02-28T00:00:00.000Z")]),
    [`${T}|${svc2.key}`]: at("2026-03-02T09:00:00.000Z", "compliant"),
  };

  it("rolls the accounts up into the tenant's row: the worst status, every finding, the oldest check, every domain and profile", () => {
    const [row] = estateRows(read(states));
    expect(row).toMatchObject({
      status: "drifted",
      openFindings: 1,
      since: "2026-02-28T00:00:00.000Z",
      lastChecked: "2026-03-01T08:00:00.000Z",
      domain: "contoso.com fabrikam.example",
      profiles: ["strict", "emergency-access", "relaxed"],
    });
    expect(row?.accounts.map((a) => [a.kind, a.status])).toEqual([
      ["connection", "compliant"],
      ["emergency-access", "drifted"],
      ["connection", "compliant"],
    ]);
  });

  it("an account not checked yet leaves the tenant's last check unknown; an unreadable one makes it unreadable", () => {
    const { [`${T}|${svc2.key}`]: _gone, ...two } = states;
    expect(estateRows(read(two))[0]).toMatchObject({ status: "drifted", lastChecked: null });
    const compliant = { [T]: states[T] as TenantState };
    expect(estateRows(read(compliant, { [`${T}|${bg1.key}`]: "bad row" }))[0]).toMatchObject({ status: "unreadable" });
  });

  it("counts accounts as well as tenants, filters by any account's profile and searches any account's domain", () => {
    const rows = estateRows(read(states));
    const page = estatePage(rows, estateQuerySchema.parse({}));
    expect(page.counts).toMatchObject({ total: 2, drifted: 1, "not-checked": 1 });
    expect(page.counts.accounts).toEqual({
      total: 4,
      byKind: { connection: 3, "emergency-access": 1 },
      byStatus: { compliant: 2, drifted: 1, unknown: 0, "not-checked": 1, unreadable: 0 },
    });
    expect(estatePage(rows, estateQuerySchema.parse({ profile: "relaxed" })).rows.map((r) => r.displayName)).toEqual(["Contoso"]);
    expect(estatePage(rows, estateQuerySchema.parse({ q: "fabrikam.example" })).rows.map((r) => r.displayName)).toEqual(["Contoso"]);
    const html = estateHtml({
      base: "/d",
      query: estateQuerySchema.parse({}),
      page,
      readAt: "2026-03-02T10:00:00.000Z",
      chart: [],
      nextRun: null,
      deadLettered: 0,
      unreadableRows: 0,
    });
    expect(html).toContain("4 monitored accounts in 2 tenants: 3 connection accounts, 1 emergency-access account;");
    expect(html).toContain("3 accounts (1 emergency-access), 1 drifted");
  });
});

describe("the tenant page of a tenant with several accounts", () => {
  const account = (a: AccountView["account"], state?: TenantState): AccountView => ({
    account: a,
    state,
    unreadableState: null,
    snapshots: [],
    diff: null,
    timeline: [],
    pending: [],
    deadLettered: [
      { alertId: `dead-${a.key || "first"}`, createdAt: "2026-03-01T00:00:00.000Z", deadLetteredAt: null, attempts: 8, lastError: null, kinds: [] },
    ],
  });
  const view: TenantView = {
    base: "/d",
    tenantId: T,
    tenant,
    accounts: [
      account(svc, at("2026-03-02T08:00:00.000Z", "compliant")),
      account({ ...bg1, ref: HOSTILE_UPN }, at("2026-03-01T08:00:00.000Z", "drifted", [openFinding("emergency-sign-in", "signed in")])),
      account(svc2),
    ],
    checkInFlightUntil: null,
    csrfToken: "tok",
    flash: null,
  };
  const page = tenantHtml(view);
  const section = (i: number): string =>
    new RegExp(`<section class="account" id="account-${i}"[\\s\\S]*?</section>\\s*(?=<section class="account"|<h2>Exceptions)`).exec(page)?.[0] ?? "";

  it("lists each account with its kind and status, then a section per account in the registration's order", () => {
    expect([...page.matchAll(/<section class="account" id="(account-\d)"[^>]*data-kind="([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ["account-1", "connection"],
      ["account-2", "emergency-access"],
      ["account-3", "connection"],
    ]);
    expect(page).toContain('<h2 id="account-1-title">connection account: svc@contoso.com</h2>');
    expect(page).toMatch(/<table class="accounts" id="decisions">[\s\S]*emergency-access account[\s\S]*<\/table>/);
    expect(section(2)).toContain("signed in");
    expect(section(1)).toContain("No open findings.");
    expect(section(3)).toContain("Not checked yet.");
  });

  it("escapes an account's reference wherever it is shown", () => {
    expect(page).not.toContain("<script>x</script>");
    expect(page).toContain("&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
  });

  it("names the account in every decision and requeue form but the first account's, and keeps ids unique", () => {
    expect(section(2)).toContain(`<input type="hidden" name="account" value="${bg1.key}" />`);
    expect(section(1)).not.toContain('name="account"');
    const ids = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
