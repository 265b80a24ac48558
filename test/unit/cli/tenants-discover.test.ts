/** The pure parts of `tenants discover`: what roles allow, which account is proposed, the CSV and its round trip through import. */
import { describe, expect, it } from "vitest";
import { assessRoles, grantedRoleIds, type Relationship } from "../../../cli/tenants-discover/roles.js";
import { parseAccountPattern, type AccountPattern } from "../../../cli/tenants-discover/account-pattern.js";
import { chooseAccount, type DirectoryUser } from "../../../cli/tenants-discover/candidates.js";
import { toDiscoveryCsv, type DiscoveredTenant } from "../../../cli/tenants-discover/csv-rows.js";
import { discoverySummary } from "../../../cli/tenants-discover/summary.js";
import { parseTenantsCsv } from "../../../cli/tenants-csv.js";

const GA = "62e90394-69f5-4237-9190-012177145e10";
const PRA = "e8611ab8-c189-46e8-94e1-60213ab1f814";
const CAA = "158c047a-c907-4556-b7ef-446551a6b5f7";
const GR = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const DR = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const T1 = "a0000000-0000-4000-8000-000000000001";
const T2 = "a0000000-0000-4000-8000-000000000002";

describe("assessRoles", () => {
  it.each([
    { ids: [GA], roles: ["Global Administrator"], canConsent: true, canRead: true },
    { ids: [PRA], roles: ["Privileged Role Administrator"], canConsent: true, canRead: true },
    { ids: [CAA], roles: ["Cloud Application Administrator"], canConsent: false, canRead: false },
    { ids: [DR, CAA], roles: ["Cloud Application Administrator", "Directory Readers"], canConsent: false, canRead: true },
    { ids: [GR], roles: ["Global Reader"], canConsent: false, canRead: true },
    { ids: [HELPDESK], roles: ["Helpdesk Administrator"], canConsent: false, canRead: false },
    { ids: [GA.toUpperCase()], roles: ["Global Administrator"], canConsent: true, canRead: true },
    { ids: [], roles: [], canConsent: false, canRead: false },
    { ids: ["00000000-0000-4000-8000-0000000000ff"], roles: ["00000000-0000-4000-8000-0000000000ff"], canConsent: false, canRead: false },
  ])("$ids → consent $canConsent, read $canRead", ({ ids, roles, canConsent, canRead }) => {
    expect(assessRoles(ids)).toEqual({ roles, canConsent, canRead });
  });
});

describe("grantedRoleIds", () => {
  const rel = (customerTenantId: string, status: string, roleDefinitionIds: string[]): Relationship => ({ customerTenantId, status, roleDefinitionIds });
  it.each([
    { name: "active counts", rels: [rel(T1, "active", [GA])], want: [GA] },
    { name: "expiring does not: it is past its end date", rels: [rel(T1, "expiring", [GR])], want: [] },
    {
      name: "expired, terminated, pending do not",
      rels: [rel(T1, "expired", [GA]), rel(T1, "terminated", [PRA]), rel(T1, "approvalPending", [CAA])],
      want: [],
    },
    { name: "another customer's do not", rels: [rel(T2, "active", [GA])], want: [] },
    { name: "several relationships add up, once each", rels: [rel(T1, "active", [DR, GR]), rel(T1.toUpperCase(), "active", [GR, CAA])], want: [DR, GR, CAA] },
  ])("$name", ({ rels, want }) => {
    expect(grantedRoleIds(rels, T1)).toEqual(want);
  });
});

function pattern(raw: string): AccountPattern {
  const p = parseAccountPattern(raw);
  if ("error" in p) throw new Error(p.error);
  return p;
}

describe("parseAccountPattern", () => {
  it.each([
    {
      raw: "svc-connect@*",
      prefix: "svc-connect@",
      yes: ["svc-connect@contoso.com", "SVC-Connect@Contoso.onmicrosoft.com"],
      no: ["svc-connect2@contoso.com", "x-svc-connect@c.com"],
    },
    { raw: "svc-*@*.onmicrosoft.com", prefix: "svc-", yes: ["svc-drift@contoso.onmicrosoft.com"], no: ["svc-drift@contoso.com"] },
    { raw: "svc.connect@contoso.com", prefix: "svc.connect@contoso.com", yes: ["svc.connect@contoso.com"], no: ["svcxconnect@contoso.com"] },
  ])("$raw", ({ raw, prefix, yes, no }) => {
    const p = pattern(raw);
    expect(p.prefix).toBe(prefix);
    for (const upn of yes) expect(p.matches(upn), upn).toBe(true);
    for (const upn of no) expect(p.matches(upn), upn).toBe(false);
  });

  it.each(["*@contoso.com", "", "  ", "svc connect@*", "o'neil@*"])("refuses %j", (raw) => {
    expect(parseAccountPattern(raw)).toHaveProperty("error");
  });
});

describe("chooseAccount", () => {
  const u = (upn: string, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
    userPrincipalName: upn,
    onPremisesSyncEnabled: null,
    accountEnabled: true,
    isGlobalAdministrator: true,
    ...extra,
  });
  const p = pattern("svc-connect@*");
  it.each([
    { name: "one cloud-only Global Administrator", users: [u("svc-connect@a.com"), u("alex@a.com")], want: { kind: "chosen", account: "svc-connect@a.com" } },
    {
      name: "sync flag false is cloud-only",
      users: [u("svc-connect@a.com", { onPremisesSyncEnabled: false })],
      want: { kind: "chosen", account: "svc-connect@a.com" },
    },
    {
      name: "the one that fits among unfit ones",
      users: [u("svc-connect@a.com", { onPremisesSyncEnabled: true }), u("svc-connect@a.onmicrosoft.com")],
      want: { kind: "chosen", account: "svc-connect@a.onmicrosoft.com" },
    },
    {
      name: "two that fit: a person decides",
      users: [u("svc-connect@b.com"), u("svc-connect@a.com")],
      want: { kind: "several", candidates: ["svc-connect@a.com", "svc-connect@b.com"], reason: expect.stringContaining("several candidates") },
    },
    { name: "nobody matches", users: [u("admin@a.com")], want: { kind: "none", reason: expect.stringContaining("no user matches svc-connect@*") } },
    {
      name: "matches, none fits: says why for each",
      users: [
        u("svc-connect@a.com", { onPremisesSyncEnabled: true }),
        u("svc-connect@b.com", { isGlobalAdministrator: false }),
        u("svc-connect@c.com", { accountEnabled: false }),
      ],
      want: {
        kind: "none",
        reason:
          "no candidate (svc-connect@a.com is synced from on-premises; svc-connect@b.com does not hold Global Administrator; " +
          "svc-connect@c.com is disabled): put the connection account in account",
      },
    },
  ])("$name", ({ users, want }) => {
    expect(chooseAccount(users, p)).toEqual(want);
  });
});

const ROLES_GA = assessRoles([GA]);
const ROLES_GR = assessRoles([GR, DR]);
const DISCOVERED: DiscoveredTenant[] = [
  { tenantId: T1, displayName: 'Contoso, "Ltd"', roles: ROLES_GA, account: "svc-connect@contoso.com" },
  { tenantId: T2, displayName: "Fabrikam", roles: ROLES_GR, decide: "several candidates (svc-connect@a.com, svc-connect@b.com): put one in account" },
];

describe("the discovery CSV", () => {
  it("writes the registry columns and the discovery ones, quoted where needed", () => {
    expect(toDiscoveryCsv(DISCOVERED).split("\r\n")).toEqual([
      "tenantId,displayName,account,gdapRoles,canConsent,decide",
      `${T1},"Contoso, ""Ltd""",svc-connect@contoso.com,Global Administrator,yes,`,
      `${T2},Fabrikam,,Directory Readers;Global Reader,no: needs Global Administrator or Privileged Role Administrator,` +
        `"several candidates (svc-connect@a.com, svc-connect@b.com): put one in account"`,
      "",
    ]);
  });

  it("round-trips through import: the settled row imports, the undecided one is skipped and named", () => {
    const r = parseTenantsCsv(toDiscoveryCsv(DISCOVERED), { defaultProfile: "strict", profiles: ["strict"] });
    expect(r).toEqual({
      ok: true,
      tenants: [
        {
          line: 2,
          tenantId: T1,
          displayName: 'Contoso, "Ltd"',
          accounts: [{ key: "", ref: "svc-connect@contoso.com", kind: "connection", profile: "strict", objectId: null }],
          recipients: [],
          enabled: true,
        },
      ],
      undecided: [{ line: 3, tenantId: T2, displayName: "Fabrikam", decide: expect.stringContaining("several candidates") }],
    });
  });

  it("imports a row once a person filled in the account, whatever the decide note says", () => {
    const edited = toDiscoveryCsv(DISCOVERED).replace(`${T2},Fabrikam,,`, `${T2},Fabrikam,svc-connect@b.com,`);
    const r = parseTenantsCsv(edited, { defaultProfile: "strict", profiles: ["strict"] });
    expect(r.ok && r.tenants.map((t) => t.accounts[0]?.ref)).toEqual(["svc-connect@contoso.com", "svc-connect@b.com"]);
    expect(r.ok && r.undecided).toBeUndefined();
  });

  it("sums up and names every tenant a person must look at", () => {
    const text = discoverySummary(DISCOVERED, "estate.csv");
    expect(text).toContain("discovered 2 customer(s): wrote estate.csv");
    expect(text).toContain("1 with a connection account, 1 for a person to decide");
    expect(text).toContain(`to decide (1):\n  Fabrikam (${T2}): several candidates`);
    expect(text).toContain(`cannot consent (1):\n  Fabrikam (${T2}): has Directory Readers, Global Reader; no: needs Global Administrator`);
  });
});
