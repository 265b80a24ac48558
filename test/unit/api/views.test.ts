import { describe, expect, it } from "vitest";
import { tenantDetail, tenantSummary as summaryOf, type AccountData } from "../../../lib/status/views.js";
import type { TenantState, TrackedFinding } from "../../../lib/model/state.js";
import { registeredTenantSchema, type RegisteredTenant } from "../../../lib/model/tenant.js";
import { minimalState } from "../../support/state.js";

const tenant: RegisteredTenant = registeredTenantSchema.parse({
  tenantId: "11111111-2222-4333-8444-555555555555",
  displayName: "<b>Contoso</b>",
  account: "svc@contoso.com",
  accountObjectId: null,
  recipients: ["ops@contoso.com"],
  profile: "strict",
  enabled: true,
});

const [first] = tenant.accounts;
if (!first) throw new Error("a tenant has an account");

/** The one-account form every test below was written for: the tenant's first account. */
const tenantSummary = (t: RegisteredTenant, state: TenantState | undefined, inFlight: string | null = null, extras: Omit<AccountData, "account"> = {}) =>
  summaryOf(t, [{ account: first, state, ...extras }], inFlight);

const finding = (status: "open" | "resolved", subject: string): TrackedFinding => ({
  key: `conditional-access|${subject}`,
  checkId: "conditional-access",
  subject,
  subjectName: "Require MFA",
  status,
  since: "2026-01-01T00:00:00.000Z",
  lastFailedAt: "2026-01-01T00:00:00.000Z",
  lastAlertedAt: "2026-01-01T00:00:00.000Z",
  lastHeard: "failing",
  resolvedAt: null,
  flaps: 0,
  summary: "1 policy blocks the account",
});

const base = minimalState(tenant.tenantId, { version: 4, at: "2026-01-02T00:00:00.000Z" });
const state: TenantState = { ...base, lastReport: { ...base.lastReport, warnings: 2 }, findings: [finding("open", "p1"), finding("resolved", "p2")] };

describe("tenant views", () => {
  it("a tenant never checked is not-checked, with nothing open", () => {
    expect(tenantSummary(tenant, undefined)).toMatchObject({
      status: "not-checked",
      checkedAt: null,
      warnings: 0,
      openFindings: [],
      checkInFlightUntil: null,
      displayName: "<b>Contoso</b>",
    });
  });

  it("shows the status, warnings and only the open findings", () => {
    const v = tenantSummary(tenant, state, "2026-01-02T00:45:00.000Z");
    expect(v).toMatchObject({ status: "drifted", warnings: 2, checkedAt: "2026-01-02T00:00:00.000Z", checkInFlightUntil: "2026-01-02T00:45:00.000Z" });
    expect(v.openFindings).toEqual([
      {
        checkId: "conditional-access",
        severity: "now",
        subject: "p1",
        subjectName: "Require MFA",
        summary: "1 policy blocks the account",
        since: "2026-01-01T00:00:00.000Z",
        state: "open",
        standing: null,
        standingText: null,
        accountKey: "",
        account: "svc@contoso.com",
      },
    ]);
    expect(v.exceptedFindings).toEqual([]);
  });

  it("lists open findings most severe first, then by rank; a retired check's finding has the fallback severity and comes last", () => {
    const of = (checkId: string, since: string) => ({ ...finding("open", ""), key: `${checkId}|`, checkId, subjectName: null, since });
    const findings = [
      of("a-retired-check", "2025-01-01T00:00:00.000Z"),
      of("what-if", "2025-06-01T00:00:00.000Z"),
      of("admin-role", "2026-01-01T00:00:00.000Z"),
      of("account", "2026-01-01T00:00:00.000Z"),
    ];
    const v = tenantSummary(tenant, { ...state, findings });
    expect(v.openFindings.map((f) => [f.checkId, f.severity])).toEqual([
      ["account", "now"],
      ["admin-role", "now"],
      ["a-retired-check", "now"],
      ["what-if", "soon"],
    ]);
    expect(v.exceptedFindings).toEqual([]);
  });

  it("the detail adds the report, the monitoring counters and the snapshots", () => {
    const snapshots = [{ id: "1", takenAt: "2026-01-02T00:00:00.000Z", status: "drifted", factsDigest: "abc" }];
    expect(tenantDetail(tenant, [{ account: first, state }], new Map([["", snapshots]]), null)).toMatchObject({
      report: state.lastReport,
      monitoring: { consecutiveUnknown: 0 },
      snapshots,
    });
    expect(tenantDetail(tenant, [{ account: first }], new Map(), null)).toMatchObject({ report: null, monitoring: null, snapshots: [] });
  });

  it("counts and lists the dead-lettered alerts oldest first, and says when the state is unreadable", () => {
    const dead = (id: string, createdAt: string) => ({
      tenantId: tenant.tenantId,
      alert: { id, createdAt, transitions: [{ kind: "drift-detected" }, { kind: "drift-detected" }, { kind: "reminder" }] } as never,
      attempts: 5,
      lastError: "ACS answered 500",
      deadLetteredAt: "2026-01-03T00:00:00.000Z",
    });
    const v = tenantSummary(tenant, state, null, { deadLettered: [dead("b", "2026-01-02T00:00:00.000Z"), dead("a", "2026-01-01T00:00:00.000Z")] });
    expect(v).toMatchObject({ status: "drifted", unreadable: null, deadLetteredAlerts: 2 });
    expect(v.deadLettered).toEqual([
      {
        alertId: "a",
        createdAt: "2026-01-01T00:00:00.000Z",
        deadLetteredAt: "2026-01-03T00:00:00.000Z",
        attempts: 5,
        lastError: "ACS answered 500",
        kinds: ["drift-detected", "reminder"],
      },
      expect.objectContaining({ alertId: "b" }),
    ]);
    expect(tenantSummary(tenant, undefined)).toMatchObject({ deadLetteredAlerts: 0, deadLettered: [], unreadable: null });
    expect(tenantDetail(tenant, [{ account: first, unreadableState: "not a stored value" }], new Map(), null)).toMatchObject({
      status: "unreadable",
      unreadable: "not a stored value",
      report: null,
    });
  });

  it("a one-account tenant keeps the one-account fields; each account has its kind, status and findings", () => {
    const v = tenantDetail(tenant, [{ account: first, state }], new Map(), null);
    expect(v).toMatchObject({ account: "svc@contoso.com", profile: "strict", accountObjectId: null, accountCount: 1 });
    expect(v.accounts).toEqual([
      expect.objectContaining({
        key: "",
        ref: "svc@contoso.com",
        kind: "connection",
        kindLabel: "connection account",
        status: "drifted",
        report: state.lastReport,
      }),
    ]);
  });
});

describe("a tenant with several accounts", () => {
  const two: RegisteredTenant = registeredTenantSchema.parse({
    tenantId: tenant.tenantId,
    displayName: "Contoso",
    accounts: [
      { ref: "svc@contoso.com", kind: "connection" },
      { ref: "bg1@contoso.com", kind: "emergency-access" },
    ],
  });
  const [svc, breakGlass] = two.accounts;
  if (!svc || !breakGlass) throw new Error("two accounts");
  const compliant: TenantState = { ...base, lastReport: { ...base.lastReport, status: "compliant", checkedAt: "2026-01-03T00:00:00.000Z" } };
  const signIn = { ...finding("open", "sign-in-1"), key: "emergency-sign-in|sign-in-1", checkId: "emergency-sign-in", subjectName: null, summary: "signed in" };
  const drifted: TenantState = { ...state, findings: [signIn] };

  // One row per case: the accounts' states, and the tenant's status and oldest check.
  const cases: [string, AccountData[], string, string | null][] = [
    [
      "every account compliant",
      [
        { account: svc, state: compliant },
        { account: breakGlass, state: compliant },
      ],
      "compliant",
      "2026-01-03T00:00:00.000Z",
    ],
    [
      "one account drifted",
      [
        { account: svc, state: compliant },
        { account: breakGlass, state: drifted },
      ],
      "drifted",
      "2026-01-02T00:00:00.000Z",
    ],
    ["one account not checked yet", [{ account: svc, state: compliant }, { account: breakGlass }], "not-checked", null],
    [
      "one account unreadable",
      [
        { account: svc, state: compliant },
        { account: breakGlass, unreadableState: "bad row" },
      ],
      "unreadable",
      null,
    ],
  ];
  it.each(cases)("%s: the tenant's status is the worst account's", (_name, accounts, status, checkedAt) => {
    const v = summaryOf(two, accounts);
    expect(v).toMatchObject({ status, checkedAt, accountCount: 2 });
    expect(v).not.toHaveProperty("account");
    expect(v).not.toHaveProperty("profile");
  });

  it("names each finding's account, and shows each account's kind and profile", () => {
    const v = tenantDetail(
      two,
      [
        { account: svc, state: compliant },
        { account: breakGlass, state: drifted },
      ],
      new Map([[breakGlass.key, [{ id: "9", takenAt: "2026-01-02T00:00:00.000Z", status: "drifted", factsDigest: "x" }]]]),
      null,
    );
    expect(v.openFindings.map((f) => [f.account, f.accountKey, f.checkId])).toEqual([["bg1@contoso.com", breakGlass.key, "emergency-sign-in"]]);
    expect(v.accounts.map((a) => [a.ref, a.kindLabel, a.profile, a.status, a.openFindings.length, a.snapshots.length])).toEqual([
      ["svc@contoso.com", "connection account", "strict", "compliant", 0, 0],
      ["bg1@contoso.com", "emergency-access account", "emergency-access", "drifted", 1, 1],
    ]);
    expect(v).not.toHaveProperty("report");
    expect(v).not.toHaveProperty("snapshots");
  });
});
