/** Which finding has a one-click fix, read from the account's last report: a table of findings and what each yields. */
import { describe, expect, it } from "vitest";
import type { CaFinding, CheckResult, Report } from "../../../lib/model/report.js";
import { fixTargetOf } from "../../../lib/remediation/target.js";

const ACCOUNT = "d7f10200-0000-4000-8000-000000000001";
const POLICY = "d7f30200-0000-4000-8000-000000000010";

const ca = (effect: CaFinding["effect"]): CaFinding => ({ policyId: POLICY, policyName: "CA10", state: "enabled", effect, reason: "r" });

function report(checks: CheckResult[], accountId: string | null = ACCOUNT, profile = "strict"): Report {
  return {
    schemaVersion: 1,
    tenantId: "t",
    checkedAt: "2026-03-02T08:00:00.000Z",
    profile,
    account: { id: accountId, userPrincipalName: "svc@x" },
    status: "drifted",
    warnings: 0,
    checks,
  };
}

const failing = (id: string, extra: Partial<CheckResult> = {}): CheckResult => ({ id, status: "fail", summary: `${id} fails`, ...extra });

const ROWS: { name: string; report: Report | undefined; key: string; target?: unknown; why?: RegExp }[] = [
  {
    name: "a blocking policy: exclude the account from it",
    report: report([failing("conditional-access", { findings: [ca("blocking")] })]),
    key: `conditional-access|${POLICY}`,
    target: { kind: "ca-exclude-account", policyId: POLICY, accountId: ACCOUNT },
  },
  {
    name: "an emergency-access account under a conditional policy (its profile fails that too): exclude it",
    report: report([failing("conditional-access", { findings: [ca("conditional")] })], ACCOUNT, "emergency-access"),
    key: `conditional-access|${POLICY}`,
    target: { kind: "ca-exclude-account", policyId: POLICY, accountId: ACCOUNT },
  },
  {
    name: "an emergency-access account under a session-only policy: exclude it",
    report: report([failing("conditional-access", { findings: [ca("session-only")] })], ACCOUNT, "emergency-access"),
    key: `conditional-access|${POLICY}`,
    target: { kind: "ca-exclude-account", policyId: POLICY, accountId: ACCOUNT },
  },
  {
    name: "a report-only policy, even for an emergency-access account: nothing to fix",
    report: report([failing("conditional-access", { findings: [ca("report-only")] })], ACCOUNT, "emergency-access"),
    key: `conditional-access|${POLICY}`,
    why: /does not block/,
  },
  {
    name: "a policy that does not block: nothing to fix",
    report: report([failing("conditional-access", { findings: [ca("conditional")] })]),
    key: `conditional-access|${POLICY}`,
    why: /does not block/,
  },
  { name: "per-user MFA", report: report([failing("per-user-mfa")]), key: "per-user-mfa|", target: { kind: "per-user-mfa-disable", accountId: ACCOUNT } },
  {
    name: "the registration campaign",
    report: report([failing("mfa-registration")]),
    key: "mfa-registration|",
    target: { kind: "campaign-exclude-account", accountId: ACCOUNT },
  },
  {
    name: "a password that will expire",
    report: report([failing("password-expiry", { summary: "The password expires in 5 days" })]),
    key: "password-expiry|",
    target: { kind: "password-never-expires", accountId: ACCOUNT, expired: false },
  },
  {
    name: "a password that expired (the planner makes it manual)",
    report: report([failing("password-expiry", { summary: "The account's password expired on 2026-03-01" })]),
    key: "password-expiry|",
    target: { kind: "password-never-expires", accountId: ACCOUNT, expired: true },
  },
  {
    name: "Security Defaults stay manual, saying why",
    report: report([failing("security-defaults")]),
    key: "security-defaults|",
    why: /every user of the tenant/,
  },
  { name: "a check without a one-click fix", report: report([failing("sign-ins")]), key: "sign-ins|", why: /no one-click fix/ },
  { name: "a check that passes now", report: report([{ id: "per-user-mfa", status: "pass", summary: "ok" }]), key: "per-user-mfa|", why: /no failing/ },
  { name: "an account whose object id is unknown", report: report([failing("per-user-mfa")], null), key: "per-user-mfa|", why: /object id is not known/ },
  { name: "an account never checked", report: undefined, key: "per-user-mfa|", why: /not been checked/ },
];

describe("fixTargetOf", () => {
  it.each(ROWS)("$name", ({ report: r, key, target, why }) => {
    const got = fixTargetOf(r, key);
    if (target) expect(got).toEqual({ ok: true, target });
    else {
      expect(got.ok).toBe(false);
      if (!got.ok) expect(got.why).toMatch(why!);
    }
  });
});
