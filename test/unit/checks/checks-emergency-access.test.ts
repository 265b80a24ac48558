/**
 * The emergency-access profile against Microsoft's guidance: each rule it changes (admin-role,
 * password-expiry, conditional-access) and the check only it judges (phishing-resistant), each
 * row beside the strict verdict the same facts get, so a rule that ignored the profile fails.
 */
import { describe, expect, it } from "vitest";
import { CHECKS, evaluate, getProfile } from "../../../lib/checks/index.js";
import type { CheckId } from "../../../lib/checks/registry.js";
import type { AuthMethodFact, CaPolicy, CheckStatus, TenantFacts } from "../../../lib/model/index.js";
import { account, ACCOUNT_ID, facts, failed, gaAssignment, GROUP, membership, ok, policy } from "./builders.js";
import { apps } from "./evaluate-policy-helpers.js";
import { signInContext } from "./observed-contexts-helpers.js";

const emergency = getProfile("emergency-access")!;
const strict = getProfile("strict")!;

const method = (type: string, label: string | null = null): AuthMethodFact => ({ id: `${type}-id`, type, label });
const PASSWORD = method("passwordAuthenticationMethod");
const PASSKEY = method("fido2AuthenticationMethod", "YubiKey 5");
const HELLO = method("windowsHelloForBusinessAuthenticationMethod", "PAW-01");
const PHONE = method("phoneAuthenticationMethod", "mobile ending 42");
const AUTHENTICATOR = method("microsoftAuthenticatorAuthenticationMethod", "iPhone");
const TAP = method("temporaryAccessPassAuthenticationMethod");
const EMAIL = method("emailAuthenticationMethod", "a***@contoso.com");

const withMethods = (...methods: AuthMethodFact[]): Partial<TenantFacts> => ({ authMethods: ok([PASSWORD, ...methods]) });
// The inference from eligibility stands in only when PIM's schedule instances could not be read
// (checks-admin-role-schedules.test.ts judges from them).
const noInstances = { roleAssignmentInstances: failed<never>("unavailable") };
const eligibleGa = { ...noInstances, roleEligibility: ok([gaAssignment({ id: "eligibility-1" })]) };

interface Row {
  readonly name: string;
  readonly over: Partial<TenantFacts>;
  readonly emergency: CheckStatus;
  readonly strict: CheckStatus;
  readonly summary?: RegExp;
  readonly reason?: RegExp;
}

function expectBoth(id: CheckId, row: Row): void {
  const f = facts({ ...withMethods(PASSKEY), ...row.over });
  const e = CHECKS[id].run(f, emergency);
  expect([e.status, CHECKS[id].run(f, strict).status]).toEqual([row.emergency, row.strict]);
  if (row.summary) expect(e.summary).toMatch(row.summary);
  if (row.reason) expect(e.reason).toMatch(row.reason);
  if (e.status === "warn") expect(`${e.summary} ${e.reason ?? ""}`).toMatch(/Microsoft recommends/);
}

describe("admin-role under emergency-access: permanently active", () => {
  it.each<Row>([
    { name: "active, not eligible", over: {}, emergency: "pass", strict: "pass", summary: /permanently active/ },
    { name: "active and PIM-eligible: an activation that ends", over: eligibleGa, emergency: "fail", strict: "pass", reason: /active and permanent/ },
    {
      name: "eligible only",
      over: { ...eligibleGa, membership: ok(membership({ roles: [] })), roleAssignments: ok([]) },
      emergency: "fail",
      strict: "fail",
      summary: /only PIM-eligible/,
    },
    { name: "no PIM licence: every active role is permanent", over: { roleEligibility: failed("unlicensed") }, emergency: "pass", strict: "pass" },
    {
      name: "eligibility unreadable",
      over: { ...noInstances, roleEligibility: failed("forbidden", "403", "RoleManagement.Read.Directory") },
      emergency: "unknown",
      strict: "pass",
    },
  ])("$name", (row) => expectBoth("admin-role", row));
});

const expiring = (lastChange: string): Partial<TenantFacts> => ({
  account: ok(account({ passwordPolicies: "None", lastPasswordChangeDateTime: lastChange })),
  domainPasswordPolicies: ok([{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 90 }]),
});

describe("password-expiry under emergency-access: never expires", () => {
  it.each<Row>([
    { name: "DisablePasswordExpiration", over: {}, emergency: "pass", strict: "pass" },
    {
      name: "expires in 60 days",
      over: expiring("2025-12-03T12:00:00Z"),
      emergency: "fail",
      strict: "pass",
      summary: /expires on 2026-03-03: it must never expire/,
    },
    { name: "expired", over: expiring("2025-06-01T12:00:00Z"), emergency: "fail", strict: "fail", summary: /expired on/ },
    {
      name: "the domain never expires",
      over: {
        ...expiring("2025-06-01T12:00:00Z"),
        domainPasswordPolicies: ok([{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 2147483647 }]),
      },
      emergency: "pass",
      strict: "pass",
    },
  ])("$name", (row) => expectBoth("password-expiry", row));
});

const campaign = (state: string, includeTargets: { id: string; targetType: string; targetedAuthenticationMethod?: string }[]) => ({
  registrationCampaign: ok({ state, snoozeDurationInDays: 1, includeTargets, excludeTargets: [] }),
});

describe("phishing-resistant (R17)", () => {
  it.each<Row>([
    { name: "a passkey and the password", over: {}, emergency: "pass", strict: "skipped" },
    { name: "only a password", over: withMethods(), emergency: "fail", strict: "skipped", summary: /No phishing-resistant method/ },
    { name: "only a phone", over: withMethods(PHONE), emergency: "fail", strict: "skipped", reason: /weaker: phoneAuthenticationMethod/ },
    { name: "a passkey and a phone", over: withMethods(PASSKEY, PHONE), emergency: "fail", strict: "skipped", summary: /1 weaker method is registered/ },
    { name: "a passkey and Authenticator", over: withMethods(PASSKEY, AUTHENTICATOR), emergency: "fail", strict: "skipped", reason: /iPhone/ },
    { name: "a passkey and a Temporary Access Pass", over: withMethods(PASSKEY, TAP), emergency: "fail", strict: "skipped" },
    { name: "a passkey and an email for password reset", over: withMethods(PASSKEY, EMAIL), emergency: "fail", strict: "skipped" },
    { name: "Windows Hello only: device-bound", over: withMethods(HELLO), emergency: "warn", strict: "skipped", summary: /device-bound/ },
    { name: "Windows Hello and a passkey", over: withMethods(HELLO, PASSKEY), emergency: "pass", strict: "skipped" },
    {
      name: "an enabled campaign for all users",
      over: campaign("enabled", [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }]),
      emergency: "warn",
      strict: "skipped",
      reason: /registration campaign \(enabled\) targets the account via all users/,
    },
    {
      name: "a campaign through a group whose membership is unreadable",
      over: { ...campaign("enabled", [{ id: GROUP.admins.id, targetType: "group" }]), membership: failed("forbidden") },
      emergency: "unknown",
      strict: "skipped",
    },
    {
      name: "Microsoft-managed campaign, no phone: not targeted",
      over: campaign("default", [{ id: "all_users", targetType: "group" }]),
      emergency: "pass",
      strict: "skipped",
    },
    {
      name: "methods unreadable",
      over: { authMethods: failed("forbidden", "403", "UserAuthenticationMethod.Read.All") },
      emergency: "unknown",
      strict: "skipped",
    },
    { name: "the account does not exist", over: { account: ok(null) }, emergency: "skipped", strict: "skipped" },
    { name: "the account unreadable: strict does not judge it at all", over: { account: failed("forbidden") }, emergency: "unknown", strict: "skipped" },
  ])("$name", (row) => expectBoth("phishing-resistant", row));
});

const PHISHING_RESISTANT = { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA" };
const strengthOnly = (strength: Record<string, unknown>, over: Partial<Omit<CaPolicy, "conditions">> = {}): CaPolicy =>
  policy({ displayName: "Admins: phishing-resistant", grantControls: { operator: "OR", builtInControls: [], authenticationStrength: strength }, ...over });
const withPolicies = (...p: CaPolicy[]): Partial<TenantFacts> => ({ conditionalAccessPolicies: ok(p) });
const outsideNamedLocations = policy({ conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } });

describe("conditional-access under emergency-access", () => {
  it.each<Row>([
    {
      name: "excluded from an MFA policy",
      over: withPolicies(policy({ conditions: { users: { includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] } } })),
      emergency: "pass",
      strict: "pass",
    },
    { name: "an MFA policy takes it: a passkey does not excuse it", over: withPolicies(policy()), emergency: "fail", strict: "fail" },
    {
      name: "only the built-in phishing-resistant strength, a passkey registered",
      over: withPolicies(strengthOnly(PHISHING_RESISTANT)),
      emergency: "pass",
      strict: "fail",
    },
    {
      name: "the built-in strength, but only a password registered",
      over: { ...withPolicies(strengthOnly(PHISHING_RESISTANT)), ...withMethods() },
      emergency: "fail",
      strict: "fail",
    },
    {
      name: "the built-in strength, methods unreadable",
      over: { ...withPolicies(strengthOnly(PHISHING_RESISTANT)), authMethods: failed("forbidden") },
      emergency: "fail",
      strict: "fail",
    },
    {
      name: "a custom strength of passkeys only",
      over: withPolicies(strengthOnly({ id: "custom-1", displayName: "Passkeys", allowedCombinations: ["fido2"] })),
      emergency: "pass",
      strict: "fail",
    },
    {
      name: "a custom strength that also allows SMS",
      over: withPolicies(strengthOnly({ id: "custom-2", displayName: "Passkey or SMS", allowedCombinations: ["fido2", "password,sms"] })),
      emergency: "fail",
      strict: "fail",
    },
    {
      name: "a custom strength of Windows Hello only, the account has a passkey",
      over: withPolicies(strengthOnly({ id: "custom-3", displayName: "Hello", allowedCombinations: ["windowsHelloForBusiness"] })),
      emergency: "fail",
      strict: "fail",
    },
    {
      name: "the phishing-resistant strength AND a compliant device",
      over: withPolicies(
        strengthOnly(PHISHING_RESISTANT, {
          grantControls: { operator: "AND", builtInControls: ["compliantDevice"], authenticationStrength: PHISHING_RESISTANT },
        }),
      ),
      emergency: "fail",
      strict: "fail",
    },
    {
      name: "the strength with token protection: session controls restrict sign-in",
      over: withPolicies(strengthOnly(PHISHING_RESISTANT, { sessionControls: { secureSignInSession: { isEnabled: true } } })),
      emergency: "fail",
      strict: "fail",
    },
    { name: "a policy outside trusted locations: could lock it out", over: withPolicies(outsideNamedLocations), emergency: "fail", strict: "warn" },
    {
      name: "a report-only MFA policy needs no exclusion",
      over: withPolicies(policy({ state: "enabledForReportingButNotEnforced" })),
      emergency: "pass",
      strict: "warn",
    },
    {
      name: "its sign-ins were all to Exchange: a Graph-only policy still could block it",
      over: {
        ...withPolicies(policy({ conditions: apps({ includeApplications: ["00000003-0000-0000-c000-000000000000"] }) })),
        signInContexts: ok([signInContext()]),
      },
      emergency: "fail",
      strict: "pass",
    },
    {
      name: "a policy on the admin portals only",
      over: withPolicies(policy({ conditions: apps({ includeApplications: ["MicrosoftAdminPortals"] }) })),
      emergency: "fail",
      strict: "pass",
    },
  ])("$name", (row) => expectBoth("conditional-access", row));
});

describe("the emergency-access profile", () => {
  it("turns off what guards an unattended sign-in, and the compliant break-glass account passes everything else", () => {
    const report = evaluate(facts(withMethods(PASSKEY)), emergency);
    const notPassing = report.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.status]);
    expect(notPassing).toEqual(
      ["per-user-mfa", "mfa-registration", "sign-ins", "sessions-revoked", "mandatory-mfa", "what-if"]
        .map((id) => [id, "skipped"])
        .sort((a, b) => report.checks.findIndex((c) => c.id === a[0]) - report.checks.findIndex((c) => c.id === b[0])),
    );
    expect(report.status).toBe("compliant");
  });

  it("fails the account with only a password and a synced account, whatever Security Defaults say", () => {
    const report = evaluate(
      facts({ ...withMethods(), account: ok(account({ onPremisesSyncEnabled: true })), securityDefaults: ok({ isEnabled: true }) }),
      emergency,
    );
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ account: "fail", "phishing-resistant": "fail", "security-defaults": "pass" });
  });
});
