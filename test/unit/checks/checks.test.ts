/** Every status of every check, under both profiles where they differ. */
import { describe, expect, it } from "vitest";
import { CHECKS, getProfile, MFA_OR_CA_ERROR_CODES } from "../../../lib/checks/index.js";
import type { AuthMethodFact, CheckId, CheckStatus, Profile, SignInFact, TenantFacts } from "../../../lib/model/index.js";
import { ACCOUNT_ID, account, COLLECTED_AT, facts, failed, gaAssignment, GROUP, membership, ok, policy, ROLE } from "./builders.js";

const strict = getProfile("strict")!;
const enrolled = getProfile("security-defaults-enrolled")!;
const BOTH: [string, Profile][] = [
  ["strict", strict],
  ["security-defaults-enrolled", enrolled],
];

interface Row {
  name: string;
  facts: TenantFacts;
  status: CheckStatus;
  summary?: string | RegExp;
  reason?: RegExp;
  evidence?: RegExp;
}

function expectRow(id: CheckId, row: Row, profile: Profile): void {
  const r = CHECKS[id].run(row.facts, profile);
  expect(r.id).toBe(id);
  expect(r.status).toBe(row.status);
  if (typeof row.summary === "string") expect(r.summary).toBe(row.summary);
  if (row.summary instanceof RegExp) expect(r.summary).toMatch(row.summary);
  if (row.reason) expect(r.reason).toMatch(row.reason);
  if (row.evidence) expect(r.evidence?.join("\n")).toMatch(row.evidence);
  if (r.status === "fail" || r.status === "warn") expect(r.remediation).toBeTruthy();
  if (r.status === "unknown" || r.status === "skipped") expect(r.reason).toBeTruthy();
}

/** Rows whose verdict is the same under both profiles run under both. */
function both(rows: Row[]): [string, Row, Profile][] {
  return rows.flatMap((row) => BOTH.map(([pname, p]): [string, Row, Profile] => [`${row.name} (${pname})`, row, p]));
}

const forbidden = <T>(permission: string) => failed<T>("forbidden", "Graph answered 403", permission);
const notFound = { account: ok(null) } as const;
const turnedOff = (id: CheckId): Profile => ({ ...strict, name: "custom", disabledChecks: [id] });

describe("account (R1)", () => {
  it.each(
    both([
      { name: "exists, enabled, cloud-only", facts: facts(), status: "pass", summary: "The account exists, is enabled and cloud-only" },
      { name: "not found (404)", facts: facts(notFound), status: "fail", summary: "The account does not exist", reason: /404/ },
      { name: "disabled", facts: facts({ account: ok(account({ accountEnabled: false })) }), status: "fail", summary: "The account is disabled" },
      {
        name: "synced",
        facts: facts({ account: ok(account({ onPremisesSyncEnabled: true })) }),
        status: "fail",
        summary: "The account is synced from on-premises",
      },
      { name: "unreadable", facts: facts({ account: forbidden("User.Read.All") }), status: "unknown", reason: /User\.Read\.All/ },
      { name: "accountEnabled missing", facts: facts({ account: ok(account({ accountEnabled: null })) }), status: "unknown" },
    ]),
  )("%s", (_n, row, profile) => expectRow("account", row, profile));

  it("is skipped when the profile turns it off", () => {
    expectRow("account", { name: "", facts: facts(), status: "skipped", summary: "Turned off by profile custom" }, turnedOff("account"));
  });
});

describe("admin-role (R2)", () => {
  const noRoles = ok(membership({ roles: [] }));
  it.each(
    both([
      { name: "active via transitiveMemberOf", facts: facts({ roleAssignments: ok([]) }), status: "pass", evidence: /role membership/ },
      { name: "active via direct assignment only", facts: facts({ membership: noRoles }), status: "pass", evidence: /direct active assignment/ },
      { name: "memberOf unreadable, direct assignment seen", facts: facts({ membership: forbidden("GroupMember.Read.All") }), status: "pass" },
      {
        name: "not held",
        facts: facts({ membership: noRoles, roleAssignments: ok([]) }),
        status: "fail",
        summary: "The account does not hold Global Administrator",
      },
      {
        name: "assignment scoped to an administrative unit",
        facts: facts({ membership: noRoles, roleAssignments: ok([gaAssignment({ directoryScopeId: "/administrativeUnits/x" })]) }),
        status: "fail",
      },
      {
        name: "only PIM-eligible",
        facts: facts({ membership: noRoles, roleAssignments: ok([]), roleEligibility: ok([gaAssignment()]) }),
        status: "fail",
        summary: "Global Administrator is only PIM-eligible, not active",
      },
      {
        name: "not held, eligibility unreadable",
        facts: facts({ membership: noRoles, roleAssignments: ok([]), roleEligibility: forbidden("RoleManagement.Read.Directory") }),
        status: "fail",
        reason: /PIM eligibility could not be read/,
      },
      {
        name: "seen in memberOf, assignments unreadable",
        facts: facts({ roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "pass",
        evidence: /role membership/,
      },
      {
        name: "not seen, assignments unreadable",
        facts: facts({ membership: noRoles, roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "unknown",
        reason: /RoleManagement\.Read\.Directory/,
      },
      { name: "account not found", facts: facts(notFound), status: "skipped", summary: "Skipped: the account does not exist" },
      { name: "account unreadable", facts: facts({ account: forbidden("User.Read.All") }), status: "unknown" },
    ]),
  )("%s", (_n, row, profile) => expectRow("admin-role", row, profile));
});

describe("security-defaults (R3)", () => {
  const on = facts({ securityDefaults: ok({ isEnabled: true }) });
  it.each<[string, Row, Profile]>([
    ["strict: disabled", { name: "", facts: facts(), status: "pass", summary: "Security Defaults are disabled" }, strict],
    ["strict: enabled", { name: "", facts: on, status: "fail", summary: "Security Defaults are enabled" }, strict],
    ["enrolled: enabled", { name: "", facts: on, status: "pass", summary: "Security Defaults are enabled" }, enrolled],
    ["enrolled: disabled", { name: "", facts: facts(), status: "pass" }, enrolled],
    ["a profile expecting them on: disabled", { name: "", facts: facts(), status: "fail" }, { ...strict, securityDefaults: "enabled" }],
    ["unreadable", { name: "", facts: facts({ securityDefaults: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ }, strict],
    ["turned off", { name: "", facts: on, status: "skipped" }, turnedOff("security-defaults")],
    [
      "tenant-wide: judged even without the account",
      { name: "", facts: facts({ ...notFound, securityDefaults: ok({ isEnabled: true }) }), status: "fail" },
      strict,
    ],
  ])("%s", (_n, row, profile) => expectRow("security-defaults", row, profile));
});

describe("per-user-mfa (R4)", () => {
  it.each(
    both([
      { name: "disabled", facts: facts(), status: "pass", summary: "Per-user MFA is disabled" },
      { name: "enabled", facts: facts({ perUserMfa: ok({ perUserMfaState: "enabled" }) }), status: "fail", summary: "Per-user MFA is enabled" },
      { name: "enforced", facts: facts({ perUserMfa: ok({ perUserMfaState: "enforced" }) }), status: "fail", summary: "Per-user MFA is enforced" },
      { name: "unreadable", facts: facts({ perUserMfa: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ },
      { name: "account not found", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("per-user-mfa", row, profile));
});

describe("conditional-access (R5)", () => {
  const excluded = policy({
    id: "p-excluded",
    displayName: "Excluded",
    conditions: { users: { includeUsers: ["All"], excludeGroups: [GROUP.automation.id] } },
  });
  const blocking = policy({ id: "p-block", displayName: "Require MFA for admins" });
  const conditional = policy({
    id: "p-cond",
    displayName: "Block outside trusted",
    conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } },
  });
  const reportOnly = policy({ id: "p-ro", displayName: "Phishing-resistant MFA", state: "enabledForReportingButNotEnforced" });
  const session = policy({
    id: "p-sess",
    displayName: "Sign-in frequency",
    grantControls: null,
    sessionControls: { signInFrequency: { value: 4, type: "hours", isEnabled: true } },
  });
  const disabled = policy({ id: "p-off", displayName: "Off", state: "disabled" });
  const byGroup = policy({ id: "p-grp", displayName: "Admins by group", conditions: { users: { includeGroups: [GROUP.admins.id] } } });
  const byRole = policy({ id: "p-role", displayName: "Exchange admins", conditions: { users: { includeRoles: [ROLE.exchangeAdmin] } } });
  const cap = (...p: ReturnType<typeof policy>[]) => facts({ conditionalAccessPolicies: ok(p) });

  it.each(
    both([
      { name: "no policies", facts: cap(), status: "pass", summary: "No enabled Conditional Access policy" },
      { name: "excluded from every policy", facts: cap(excluded, disabled), status: "pass", summary: "No policy applies to the account (1 policy checked)" },
      {
        name: "one blocking policy",
        facts: cap(excluded, blocking, conditional),
        status: "fail",
        summary: "1 policy blocks the account",
        reason: /"Require MFA for admins": included via all users \(requires mfa\)/,
      },
      { name: "two blocking policies", facts: cap(blocking, { ...blocking, id: "p-2" }), status: "fail", summary: "2 policies block the account" },
      { name: "conditional", facts: cap(excluded, conditional), status: "warn", summary: "1 policy applies conditionally" },
      { name: "report-only", facts: cap(reportOnly), status: "warn", summary: "1 policy is report-only" },
      { name: "session-only", facts: cap(session), status: "warn", summary: "1 policy sets session controls" },
      {
        name: "all three warnings",
        facts: cap(conditional, reportOnly, session),
        status: "warn",
        summary: "1 policy applies conditionally, 1 is report-only, 1 sets session controls",
      },
      {
        name: "policies unreadable",
        facts: facts({ conditionalAccessPolicies: forbidden("Policy.Read.All") }),
        status: "unknown",
        reason: /Policy\.Read\.All/,
      },
      { name: "policies need a licence", facts: facts({ conditionalAccessPolicies: failed("unlicensed", "The tenant needs Entra ID P1") }), status: "skipped" },
      {
        name: "verdict depends on unreadable groups",
        facts: facts({ conditionalAccessPolicies: ok([byGroup, conditional]), membership: forbidden("GroupMember.Read.All") }),
        status: "unknown",
        summary: "1 policy depends on membership that could not be read",
        reason: /GroupMember\.Read\.All/,
      },
      {
        name: "role-targeted policy, direct assignments unreadable: memberOf is the complete role set",
        facts: facts({ conditionalAccessPolicies: ok([byRole]), roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "pass",
      },
      { name: "account not found", facts: { ...cap(blocking), ...notFound }, status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("conditional-access", row, profile));

  it("lists every enabled and report-only policy, never a disabled one, with a fix that links each policy", () => {
    const r = CHECKS["conditional-access"].run(cap(excluded, blocking, reportOnly, disabled), strict);
    expect(r.findings?.map((f) => [f.policyId, f.effect])).toEqual([
      ["p-excluded", "excluded"],
      ["p-block", "blocking"],
      ["p-ro", "report-only"],
    ]);
    expect(r.findings?.[0]?.reason).toBe("excluded via group Automation accounts");
    expect(r.remediation).toContain("https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/p-block");
    expect(r.remediation).toContain("Users → Exclude");
    expect(r.remediation).not.toContain("p-excluded");
  });
});

const method = (type: string, label: string | null = null): AuthMethodFact => ({ id: `${type}-1`, type, label });
const PASSWORD = method("passwordAuthenticationMethod");
const withMethods = (...m: AuthMethodFact[]) => ok([PASSWORD, ...m]);
const campaign = (state: string, include: { id: string; targetType: string }[], exclude: { id: string; targetType: string }[] = []) =>
  ok({ state, snoozeDurationInDays: 1, includeTargets: include, excludeTargets: exclude });
const ALL_USERS = { id: "all_users", targetType: "group" };

describe("mfa-registration (R6)", () => {
  it.each<[string, Row, Profile]>([
    ["strict: only the password", { name: "", facts: facts(), status: "pass", summary: "Only the password is registered" }, strict],
    [
      "strict: Authenticator registered",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("microsoftAuthenticatorAuthenticationMethod", "iPhone 15")) }),
        status: "warn",
        summary: "1 method is registered besides the password",
        reason: /Microsoft Authenticator \(iPhone 15\)/,
      },
      strict,
    ],
    [
      "strict: email only is still a method besides the password",
      { name: "", facts: facts({ authMethods: withMethods(method("emailAuthenticationMethod")) }), status: "warn", reason: /email \(password reset only\)/ },
      strict,
    ],
    [
      "strict: enabled campaign for all users",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [ALL_USERS]) }),
        status: "warn",
        summary: "The registration campaign targets the account",
        reason: /via all users/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for a group the account is in",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [{ id: GROUP.automation.id, targetType: "group" }]) }),
        status: "warn",
        reason: /via group Automation accounts/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for the account itself",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [{ id: ACCOUNT_ID, targetType: "user" }]) }),
        status: "warn",
        reason: /the account itself/,
      },
      strict,
    ],
    [
      "strict: enabled campaign, account excluded via its group",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [ALL_USERS], [{ id: GROUP.automation.id, targetType: "group" }]) }),
        status: "pass",
        evidence: /excludes the account via group Automation accounts/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for another group",
      { name: "", facts: facts({ registrationCampaign: campaign("enabled", [{ id: GROUP.other.id, targetType: "group" }]) }), status: "pass" },
      strict,
    ],
    [
      "strict: Microsoft-managed campaign, password only",
      { name: "", facts: facts({ registrationCampaign: campaign("default", [ALL_USERS]) }), status: "pass", evidence: /Microsoft-managed/ },
      strict,
    ],
    [
      "strict: Microsoft-managed campaign, phone registered",
      {
        name: "",
        facts: facts({
          authMethods: withMethods(method("phoneAuthenticationMethod", "+1 XXXXXXXX12")),
          registrationCampaign: campaign("default", [ALL_USERS]),
        }),
        status: "warn",
        reason: /Microsoft-managed registration campaign targets the account/,
      },
      strict,
    ],
    [
      "strict: campaign targets a group, membership unreadable",
      {
        name: "",
        facts: facts({
          membership: forbidden("GroupMember.Read.All"),
          registrationCampaign: campaign("enabled", [{ id: GROUP.automation.id, targetType: "group" }]),
        }),
        status: "unknown",
      },
      strict,
    ],
    [
      "strict: campaign unreadable",
      { name: "", facts: facts({ registrationCampaign: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ },
      strict,
    ],
    [
      "strict: methods unreadable",
      {
        name: "",
        facts: facts({ authMethods: forbidden("UserAuthenticationMethod.Read.All") }),
        status: "unknown",
        reason: /UserAuthenticationMethod\.Read\.All/,
      },
      strict,
    ],
    [
      "strict: methods unreadable, registration report says registered",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({
            isMfaRegistered: true,
            isMfaCapable: true,
            methodsRegistered: ["microsoftAuthenticatorPush"],
            lastUpdatedDateTime: COLLECTED_AT,
          }),
        }),
        status: "warn",
        evidence: /judged from the registration report/,
      },
      strict,
    ],
    [
      "enrolled: Authenticator registered",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("microsoftAuthenticatorAuthenticationMethod")) }),
        status: "pass",
        summary: "An MFA method is registered",
      },
      enrolled,
    ],
    [
      "enrolled: MFA registered, enabled campaign does not matter",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("softwareOathAuthenticationMethod")), registrationCampaign: campaign("enabled", [ALL_USERS]) }),
        status: "pass",
      },
      enrolled,
    ],
    ["enrolled: only the password", { name: "", facts: facts(), status: "fail", summary: "No MFA method is registered" }, enrolled],
    ["enrolled: email is not MFA", { name: "", facts: facts({ authMethods: withMethods(method("emailAuthenticationMethod")) }), status: "fail" }, enrolled],
    // A Temporary Access Pass is one-time and expires: it is not an MFA method the account keeps.
    [
      "enrolled: a Temporary Access Pass is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod")) }), status: "fail" },
      enrolled,
    ],
    [
      "enrolled: a Temporary Access Pass and Authenticator",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod"), method("microsoftAuthenticatorAuthenticationMethod")) }),
        status: "pass",
      },
      enrolled,
    ],
    [
      "enrolled: an untyped method is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("authenticationMethod")) }), status: "fail" },
      enrolled,
    ],
    [
      "enrolled: an empty method type is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("")) }), status: "fail", evidence: /methods: password, method of unknown type/ },
      enrolled,
    ],
    [
      "enrolled: methods unreadable, report lists only a Temporary Access Pass",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: ["temporaryAccessPass"], lastUpdatedDateTime: null }),
        }),
        status: "fail",
      },
      enrolled,
    ],
    [
      "strict: a Temporary Access Pass still warns as a method besides the password",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod")) }),
        status: "warn",
        reason: /Temporary Access Pass/,
      },
      strict,
    ],
    [
      "enrolled: methods unreadable, report says registered",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({ isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ["mobilePhone"], lastUpdatedDateTime: null }),
        }),
        status: "pass",
      },
      enrolled,
    ],
    ["enrolled: methods unreadable", { name: "", facts: facts({ authMethods: forbidden("UserAuthenticationMethod.Read.All") }), status: "unknown" }, enrolled],
    ["account not found", { name: "", facts: facts(notFound), status: "skipped" }, enrolled],
    [
      "turned off",
      { name: "", facts: facts({ authMethods: withMethods(method("fido2AuthenticationMethod")) }), status: "skipped" },
      turnedOff("mfa-registration"),
    ],
  ])("%s", (_n, row, profile) => expectRow("mfa-registration", row, profile));

  it("uses the registration report as evidence, never as a requirement", () => {
    const r = CHECKS["mfa-registration"].run(
      facts({ registrationDetails: ok({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: COLLECTED_AT }) }),
      strict,
    );
    expect(r.status).toBe("pass");
    expect(r.evidence).toContain(`registration report: isMfaRegistered false, methods none (updated ${COLLECTED_AT})`);
  });
});

const signIn = (over: Partial<SignInFact>): SignInFact => ({
  id: "si-1",
  createdDateTime: "2026-01-02T11:00:00Z",
  appDisplayName: "Contoso Sync",
  appId: "app-1",
  resourceDisplayName: "Microsoft Graph",
  ipAddress: "203.0.113.7",
  errorCode: 0,
  failureReason: null,
  conditionalAccessStatus: "notApplied",
  isInteractive: false,
  ...over,
});

describe("sign-ins (R7)", () => {
  it.each(
    both([
      { name: "no sign-ins", facts: facts(), status: "pass", summary: "No sign-in interrupted by MFA or Conditional Access in the last 24 hours" },
      { name: "successful and wrong-password sign-ins", facts: facts({ signIns: ok([signIn({}), signIn({ errorCode: 50126 })]) }), status: "pass" },
      {
        name: "an MFA failure older than the window",
        facts: facts({ signIns: ok([signIn({ errorCode: 50076, createdDateTime: "2026-01-01T11:59:59Z" })]) }),
        status: "pass",
      },
      ...(
        [
          [50072, "user must enroll for MFA"],
          [50074, "strong authentication (MFA) required"],
          [50076, "MFA required by policy or location"],
          [50079, "user must register for MFA"],
          [53003, "blocked by Conditional Access"],
          [53000, "device not compliant (Conditional Access)"],
          [53001, "device not domain-joined (Conditional Access)"],
          [53002, "app not approved (Conditional Access)"],
          [530032, "blocked by a tenant security policy (Conditional Access)"],
        ] as const
      ).map(([code, meaning]): Row => ({
        name: `error ${code} in the window`,
        facts: facts({ signIns: ok([signIn({ errorCode: code, failureReason: "Graph's own words" })]) }),
        status: "fail",
        summary: "1 sign-in was interrupted by MFA or Conditional Access in the last 24 hours",
        evidence: new RegExp(`^2026-01-02T11:00:00Z Contoso Sync → Microsoft Graph: ${code} ${meaning.replace(/[()]/g, "\\$&")}$`),
      })),
      { name: "at the window's start", facts: facts({ signIns: ok([signIn({ errorCode: 53003, createdDateTime: "2026-01-01T12:00:00Z" })]) }), status: "fail" },
      {
        name: "a shorter window",
        facts: facts({ signInLookbackHours: 1, signIns: ok([signIn({ errorCode: 53003, createdDateTime: "2026-01-02T10:30:00Z" })]) }),
        status: "pass",
        summary: /last 1 hour$/,
      },
      {
        name: "unlicensed",
        facts: facts({ signIns: failed("unlicensed", "The tenant needs Entra ID P1 to read sign-in logs") }),
        status: "skipped",
        reason: /P1/,
      },
      { name: "unreadable", facts: facts({ signIns: forbidden("AuditLog.Read.All") }), status: "unknown", reason: /AuditLog\.Read\.All/ },
      { name: "account not found", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("sign-ins", row, profile));

  it("lists the design's five codes first, then the other Conditional Access interruptions", () => {
    expect([...MFA_OR_CA_ERROR_CODES.keys()]).toEqual([50072, 50074, 50076, 50079, 53003, 53000, 53001, 53002, 530032]);
  });
});
