/** Sample outbox alerts of every kind, shared by the rendering tests and the fixtures. */
import type { FindingRef, OutboxAlert, Transition } from "../../../lib/model/state.js";
import type { DigestInput } from "../../../lib/alerts/digest/summary.js";
import type { TenantState } from "../../../lib/model/state.js";
import { EMERGENCY_SIGN_INS } from "./samples-emergency.js";

export const NOW = new Date("2026-03-04T06:30:00.000Z");
const TENANT_ID = "11111111-2222-4333-8444-555555555555";
export const HOSTILE_TENANT = 'Contoso & "Partners" — Ünïcødé 株式会社';
export const HOSTILE_POLICY = "<img src=x onerror=alert(1)>";
/** Bidi override and isolate, invisible characters and a terminal escape (window title) on the hostile alert's names. */
const HOSTILE_INVISIBLE = " \u202Etxt.exe\u202C\u200B\u2066\x1b]0;pwned\x07\u00AD\u2069\uFEFF";
/** The same, as every rendering shows it. */
export const HOSTILE_INVISIBLE_SHOWN = " <U+202E>txt.exe<U+202C><U+200B><U+2066>\\x1B]0;pwned\\x07<U+00AD><U+2069><U+FEFF>";
const POLICY_ID = "6b0b3a5e-8f2c-4c1e-9d7a-2f1e0c9b8a71";

export const caFinding = (name = "Require MFA for admins", id = POLICY_ID): FindingRef => ({
  key: `conditional-access|${id}`,
  checkId: "conditional-access",
  subject: id,
  subjectName: name,
  summary: "1 policy blocks the account",
  reason: "included via role Global Administrator",
  remediation: "Exclude the connection account from each policy…",
  evidence: [],
  since: "2026-03-01T06:00:00.000Z",
});

export const securityDefaultsFinding: FindingRef = {
  key: "security-defaults|",
  checkId: "security-defaults",
  subject: "",
  subjectName: null,
  summary: "Security Defaults are enabled",
  reason: "Profile strict expects Security Defaults disabled.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Overview → Properties → Manage security defaults.",
    "2. Set Security defaults to Disabled, give a reason, Save.",
    "3. Protect the other accounts with Conditional Access policies instead (excluding the connection account).",
  ].join("\n"),
  evidence: ["isEnabled true"],
  since: "2026-03-04T06:30:00.000Z",
};

const perUserMfaFinding: FindingRef = {
  key: "per-user-mfa|",
  checkId: "per-user-mfa",
  subject: "",
  subjectName: null,
  summary: "Per-user MFA is enforced",
  reason: "Per-user MFA state enforced challenges every sign-in of the account.",
  remediation: [
    "1. Microsoft 365 admin center (https://admin.microsoft.com) → Users → Active users → Multi-factor authentication.",
    "2. Select the connection account → Disable (set its MFA status to Disabled) → confirm.",
  ].join("\n"),
  evidence: ["perUserMfaState enforced"],
  since: "2026-03-04T06:30:00.000Z",
};

export function alertOf(id: string, transitions: Transition[], overrides: Partial<OutboxAlert> = {}): OutboxAlert {
  return {
    schemaVersion: 3,
    id,
    tenantId: TENANT_ID,
    tenantName: "Contoso",
    createdAt: NOW.toISOString(),
    stateVersion: 7,
    recipients: ["ops@contoso.com"],
    tenantStatus: "drifted",
    accountUserPrincipalName: "svc-connect@contoso.com",
    transitions,
    ...overrides,
  };
}

/** One alert per transition kind: a new kind does not compile without its fixture. */
export const SAMPLES: Readonly<Record<Transition["kind"], OutboxAlert>> = {
  "drift-detected": alertOf("0a1b2c3d4e5f60718293a4b5c6d7e8f9", [
    { kind: "drift-detected", key: "drift-detected|ca|1", finding: { ...caFinding(), since: NOW.toISOString() } },
    { kind: "drift-detected", key: "drift-detected|sd|1", finding: securityDefaultsFinding },
    { kind: "drift-detected", key: "drift-detected|pum|1", finding: perUserMfaFinding },
  ]),
  resolved: alertOf(
    "1a1b2c3d4e5f60718293a4b5c6d7e8f9",
    [
      {
        kind: "resolved",
        key: "resolved|ca|1",
        finding: { ...caFinding(), summary: "No policy applies to the account (36 policies checked)", reason: null, remediation: null },
        resolvedAt: NOW.toISOString(),
      },
    ],
    { tenantStatus: "compliant" },
  ),
  "check-retired": alertOf("8a1b2c3d4e5f60718293a4b5c6d7e8f9", [
    {
      kind: "check-retired",
      key: "check-retired|legacy-mfa-state|",
      finding: {
        key: "legacy-mfa-state|",
        checkId: "legacy-mfa-state",
        subject: "",
        subjectName: null,
        summary: "Legacy MFA state is enforced",
        reason: null,
        remediation: null,
        evidence: [],
        since: "2026-03-02T06:00:00.000Z",
      },
      reason: "check retired in this version",
    },
  ]),
  reminder: alertOf("2a1b2c3d4e5f60718293a4b5c6d7e8f9", [
    { kind: "reminder", key: "reminder|ca|1", finding: caFinding(), lastAlertedAt: "2026-03-03T06:00:00.000Z", flaps: 2 },
  ]),
  "monitoring-degraded": alertOf(
    "3a1b2c3d4e5f60718293a4b5c6d7e8f9",
    [
      {
        kind: "monitoring-degraded",
        key: "monitoring-degraded|2026-03-03T18:00:00.000Z",
        unknownRuns: 3,
        since: "2026-03-03T18:00:00.000Z",
        reasons: [
          { checkId: "conditional-access", reason: "Graph answered 403 Authorization_RequestDenied (needs Policy.Read.All)" },
          { checkId: "per-user-mfa", reason: "Graph answered 403 (needs Policy.Read.All)" },
        ],
      },
    ],
    { tenantStatus: "unknown" },
  ),
  "not-checked": alertOf(
    "6a1b2c3d4e5f60718293a4b5c6d7e8f9",
    [
      {
        kind: "not-checked",
        key: "not-checked|2026-03-03T08:00:00.000Z",
        lastCheckedAt: "2026-03-03T08:00:00.000Z",
        lateSince: "2026-03-03T08:30:00.000Z",
        reason: "Graph still throttled the Conditional Access policies (429) after the retries; it will be read on the next run",
      },
    ],
    { tenantStatus: "compliant" },
  ),
  "monitoring-restored": alertOf(
    "4a1b2c3d4e5f60718293a4b5c6d7e8f9",
    [{ kind: "monitoring-restored", key: "monitoring-restored|2026-03-03T18:00:00.000Z", degradedSince: "2026-03-03T18:00:00.000Z", status: "compliant" }],
    { tenantStatus: "compliant" },
  ),
  "security-notice": alertOf("5a1b2c3d4e5f60718293a4b5c6d7e8f9", [
    {
      kind: "security-notice",
      key: "security-notice|a>b",
      added: [{ id: "m2", type: "microsoftAuthenticatorAuthenticationMethod", label: "iPhone 15" }],
      removed: [],
      methods: [
        { id: "m2", type: "microsoftAuthenticatorAuthenticationMethod", label: "iPhone 15" },
        { id: "m1", type: "passwordAuthenticationMethod", label: null },
      ],
    },
  ]),
  "emergency-sign-in": alertOf("9a1b2c3d4e5f60718293a4b5c6d7e8f9", EMERGENCY_SIGN_INS, {
    tenantStatus: "compliant",
    accountUserPrincipalName: "breakglass-01@contoso.onmicrosoft.com",
  }),
  "early-warning": alertOf(
    "7a1b2c3d4e5f60718293a4b5c6d7e8f9",
    [
      {
        kind: "early-warning",
        key: "early-warning|sessions-revoked|x",
        finding: {
          key: "sessions-revoked|",
          checkId: "sessions-revoked",
          subject: "",
          subjectName: null,
          summary: "The account's sessions were revoked at 2026-03-03T07:12:00Z, after its last sign-in",
          reason: "Refresh tokens issued before 2026-03-03T07:12:00Z are void, and the account last signed in successfully at 2026-03-03T06:00:00Z.",
          remediation: "1. Make the service sign in again with the account's password.\n2. Find out who revoked the sessions: Entra admin center → Audit logs.",
          evidence: ["signInSessionsValidFromDateTime 2026-03-03T07:12:00Z", "lastSuccessfulSignInDateTime 2026-03-03T06:00:00Z"],
          since: NOW.toISOString(),
        },
      },
    ],
    { tenantStatus: "compliant" },
  ),
  // Never mailed nor rolled up (lib/alerts/mailed.ts): its rendering is what a view listing every transition would show.
  "finding-changed": alertOf("9a1b2c3d4e5f60718293a4b5c6d7e8f9", [{ kind: "finding-changed", key: "finding-changed|pum|1", finding: perUserMfaFinding }]),
};

/** A finding's change (never mailed) listed first, with two drifts (mailed), in one alert: email, chat and roll-up show the drifts alone. */
export const MIXED = alertOf("b1b2c3d4e5f6", [...SAMPLES["finding-changed"].transitions, ...SAMPLES["drift-detected"].transitions.slice(0, 2)]);

/** The hostile alert: a tenant name and a policy name that are markup and non-Latin text. */
export const HOSTILE = alertOf(
  "6a1b2c3d4e5f60718293a4b5c6d7e8f9",
  [
    { kind: "drift-detected", key: "drift-detected|ca|x", finding: caFinding(HOSTILE_POLICY + HOSTILE_INVISIBLE, "pol'\"<id>") },
    {
      kind: "resolved",
      key: "resolved|sd|x",
      finding: { ...securityDefaultsFinding, summary: "Security Defaults are disabled" },
      resolvedAt: NOW.toISOString(),
    },
  ],
  { tenantName: HOSTILE_TENANT + HOSTILE_INVISIBLE, accountUserPrincipalName: "o'brien+svc@ünïcødé.example\u200E" },
);

function state(
  tenantId: string,
  status: "compliant" | "drifted" | "unknown",
  findings: TenantState["findings"] = [],
  extra: Partial<TenantState> = {},
): TenantState {
  return {
    schemaVersion: 2,
    tenantId,
    version: 3,
    updatedAt: NOW.toISOString(),
    lastReport: {
      schemaVersion: 1,
      tenantId,
      checkedAt: "2026-03-04T06:00:00.000Z",
      profile: "strict",
      account: { id: null, userPrincipalName: "svc@example.com" },
      status,
      warnings: 0,
      checks:
        status === "unknown"
          ? [
              {
                id: "conditional-access",
                status: "unknown",
                summary: "Could not read Conditional Access policies",
                reason: "Graph answered 403 (needs Policy.Read.All)",
              },
            ]
          : [],
    },
    findings,
    consecutiveUnknown: status === "unknown" ? 4 : 0,
    unknownSince: status === "unknown" ? "2026-03-03T00:00:00.000Z" : null,
    degradedAlertedAt: null,
    methods: null,
    factsDigest: null,
    lastSnapshotAt: null,
    lastSnapshotId: null,
    ...extra,
  };
}

const tracked = (key: string, since: string, subjectName: string | null = null): TenantState["findings"][number] => ({
  key,
  checkId: key.startsWith("conditional-access") ? "conditional-access" : "security-defaults",
  subject: key.split("|")[1] ?? "",
  subjectName,
  status: "open",
  since,
  lastFailedAt: NOW.toISOString(),
  lastAlertedAt: since,
  lastHeard: "failing",
  resolvedAt: null,
  flaps: 0,
  summary: key.startsWith("conditional-access") ? "1 policy blocks the account" : "Security Defaults are enabled",
});

export const DIGEST_INPUT: DigestInput = {
  now: NOW,
  states: [
    state("aaaaaaaa-0000-4000-8000-000000000001", "drifted", [
      tracked(`conditional-access|${POLICY_ID}`, "2026-02-01T00:00:00.000Z", HOSTILE_POLICY),
      tracked("security-defaults|", "2026-03-04T00:00:00.000Z"),
    ]),
    state("aaaaaaaa-0000-4000-8000-000000000002", "unknown"),
    state("aaaaaaaa-0000-4000-8000-000000000003", "compliant"),
    state("aaaaaaaa-0000-4000-8000-000000000004", "drifted", [tracked("security-defaults|", "2026-02-25T00:00:00.000Z")]),
  ],
  tenants: [
    { tenantId: "aaaaaaaa-0000-4000-8000-000000000001", displayName: HOSTILE_TENANT, enabled: true },
    { tenantId: "aaaaaaaa-0000-4000-8000-000000000002", displayName: "Fabrikam", enabled: true },
    { tenantId: "aaaaaaaa-0000-4000-8000-000000000003", displayName: "Northwind Traders", enabled: true },
    { tenantId: "aaaaaaaa-0000-4000-8000-000000000004", displayName: "Tailspin Toys", enabled: true },
    { tenantId: "aaaaaaaa-0000-4000-8000-000000000005", displayName: "Woodgrove Bank", enabled: true },
  ],
  deadLetters: [
    {
      tenantId: "aaaaaaaa-0000-4000-8000-000000000004",
      tenantName: "Tailspin Toys",
      alertId: "7a1b2c3d4e5f60718293a4b5c6d7e8f9",
      kinds: ["drift-detected"],
      createdAt: "2026-03-02T06:00:00.000Z",
      attempts: 8,
      deadLetteredAt: "2026-03-03T01:00:00.000Z",
      lastError: "acs: ACS 403 Denied: the sender domain is not linked to the resource",
      sentChannels: [],
    },
  ],
};
