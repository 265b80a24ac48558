/**
 * Exceptions for one account of a tenant: their ids (a tenant-wide one keeps the id it always had),
 * which accounts they cover, and which exception wins when several cover a finding (the narrowest).
 */
import { describe, expect, it } from "vitest";
import { standingOf } from "../../../lib/drift/standing.js";
import { accountExceptionId, coversAccount, ESTATE_SCOPE, exceptionIdOf, type ApprovedException, type ExceptionTarget } from "../../../lib/model/standing.js";
import { exceptionOf } from "../../../lib/standings/decide.js";
import { standingText } from "../../../lib/status/standing-text.js";
import type { TenantState } from "../../../lib/model/state.js";
import { at, report, TENANT } from "../drift/diff-helpers.js";

const CHECK: ExceptionTarget = { kind: "check-waived", checkId: "security-defaults" };
const POLICY: ExceptionTarget = { kind: "policy-may-apply", policy: "5ec0d000-0000-4000-8000-0000000000c2", controls: "block" };
const KEY = "0123456789ab";

describe("an exception's id", () => {
  it.each<[string, ExceptionTarget, string | undefined, string]>([
    ["a waived check for every account: as it always was", CHECK, undefined, "check:security-defaults"],
    ["a policy for every account: as it always was", POLICY, undefined, "policy:5ec0d000-0000-4000-8000-0000000000c2"],
    ["a waived check for one account: its key after @", CHECK, KEY, `check:security-defaults@${KEY}`],
    ["a policy for one account", POLICY, KEY, "policy:5ec0d000-0000-4000-8000-0000000000c2@0123456789ab"],
    ["for the tenant's first account (key empty): @first", CHECK, "", "check:security-defaults@first"],
  ])("%s", (_name, target, accountKey, id) => {
    expect(exceptionIdOf(target, accountKey)).toBe(id);
  });
});

describe("the id of a target's exception for one account, from the target's id", () => {
  it.each<[string, string | undefined, string]>([
    ["check:mfa", undefined, "check:mfa"],
    ["check:mfa", KEY, `check:mfa@${KEY}`],
    ["policy:p1", "", "policy:p1@first"],
  ])("%s with %s: %s", (id, accountKey, want) => {
    expect(accountExceptionId(id, accountKey)).toBe(want);
  });
});

describe("which accounts an exception covers", () => {
  it.each<[string, string | undefined, string, boolean]>([
    ["every account: the first", undefined, "", true],
    ["every account: another", undefined, KEY, true],
    ["one account: that one", KEY, KEY, true],
    ["one account: not another", KEY, "ba9876543210", false],
    ["one account: not the first", KEY, "", false],
    ["the first account: it", "", "", true],
    ["the first account: not another", "", KEY, false],
  ])("%s", (_name, scoped, key, covers) => {
    expect(coversAccount(scoped === undefined ? {} : { accountKey: scoped }, key)).toBe(covers);
  });
});

const iso = (hours: number) => at(hours).toISOString();

function exception(owner: string, over: Partial<ApprovedException> = {}): ApprovedException {
  return {
    schemaVersion: 1,
    id: exceptionIdOf(CHECK),
    scope: TENANT,
    target: CHECK,
    reason: `approved by ${owner}`,
    owner,
    reference: "CHG-1",
    expiresAt: iso(24 * 30),
    by: "ann@msp.example",
    at: iso(0),
    ...over,
  };
}

describe("the exception that holds a finding back when several cover it", () => {
  const r = report({ hours: 0, checks: { "security-defaults": "fail" }, expect: [] });
  const ref = {
    key: "security-defaults|",
    checkId: "security-defaults",
    subject: "",
    subjectName: null,
    summary: "security-defaults is fail",
    reason: null,
    remediation: null,
    evidence: [],
    since: iso(0),
  };
  const account = exception("Account", { id: exceptionIdOf(CHECK, KEY), accountKey: KEY });
  const tenant = exception("Tenant");
  const estate = exception("Estate", { scope: ESTATE_SCOPE });
  const expired = { ...account, expiresAt: iso(0) };
  it.each<[string, ApprovedException[], string | undefined]>([
    ["the account's own beats the tenant's", [tenant, account], "Account"],
    ["the account's own beats the tenant's, whatever the order", [account, tenant], "Account"],
    ["the account's own beats an estate-wide template", [estate, account], "Account"],
    ["the tenant's beats an estate-wide template", [estate, tenant], "Tenant"],
    ["all three: the account's", [estate, tenant, account], "Account"],
    ["the account's expired: the tenant's holds", [expired, tenant], "Tenant"],
    ["only an expired one: nothing", [expired], undefined],
  ])("%s", (_name, exceptions, owner) => {
    const standing = standingOf(ref, iso(0), r, { acks: [], exceptions }, at(1));
    expect(standing === undefined ? undefined : standing.kind === "excepted" ? standing.owner : "acknowledged").toBe(owner);
  });

  it("names the winning exception's id, and its account when it covers one alone", () => {
    const standing = standingOf(ref, iso(0), r, { acks: [], exceptions: [tenant, account] }, at(1));
    expect(standing).toMatchObject({ exceptionId: `check:security-defaults@${KEY}`, accountKey: KEY });
    expect(standingOf(ref, iso(0), r, { acks: [], exceptions: [tenant] }, at(1))).not.toHaveProperty("accountKey");
  });

  it.each<[string, ApprovedException, string | undefined, string]>([
    ["for every account", tenant, "svc@a.example.com", "excepted until 2026-01-31, approved by Tenant"],
    ["for one account, named", account, "svc@a.example.com", "excepted for svc@a.example.com only until 2026-01-31, approved by Account"],
    ["for one account, no name to hand", account, undefined, "excepted for this account only until 2026-01-31, approved by Account"],
  ])("is shown %s", (_name, e, accountRef, text) => {
    expect(standingText(standingOf(ref, iso(0), r, { acks: [], exceptions: [e] }, at(1)), accountRef)).toMatch(new RegExp(`^${text}`));
  });
});

describe("deciding an exception for one account", () => {
  const input = { checkId: "security-defaults", reason: "r", owner: "o", reference: "x", expiresAt: "2020-03-01", by: "ann" };
  const now = new Date("2020-01-01T00:00:00Z");
  const state = { tenantId: TENANT } as TenantState;
  it.each<[string, string, TenantState | undefined, string | undefined, { ok: boolean; status?: number; id?: string; accountKey?: string }]>([
    ["for every account: today's id, no account", TENANT, undefined, undefined, { ok: true, id: "check:security-defaults" }],
    ["for one checked account: its id and key", TENANT, state, KEY, { ok: true, id: `check:security-defaults@${KEY}`, accountKey: KEY }],
    ["for the first account: key empty, kept", TENANT, state, "", { ok: true, id: "check:security-defaults@first", accountKey: "" }],
    ["for an account never checked: refused, 404", TENANT, undefined, KEY, { ok: false, status: 404 }],
    ["estate-wide with an account: refused, 400", ESTATE_SCOPE, undefined, KEY, { ok: false, status: 400 }],
  ])("%s", (_name, scope, known, accountKey, want) => {
    const decided = exceptionOf(scope, known, { ...input, ...(accountKey !== undefined ? { accountKey } : {}) }, now);
    if (!want.ok) return expect(decided).toMatchObject({ ok: false, status: want.status });
    expect(decided.ok).toBe(true);
    if (!decided.ok) return;
    expect(decided.value.id).toBe(want.id);
    expect(decided.value.accountKey).toBe(want.accountKey);
    expect("accountKey" in decided.value).toBe(want.accountKey !== undefined);
  });
});
