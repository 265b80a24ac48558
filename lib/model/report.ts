/** The report of one check of one tenant: the design's report format, schemaVersion 1. */

export const CHECK_STATUSES = ["pass", "warn", "fail", "unknown", "skipped"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type TenantStatus = "compliant" | "drifted" | "unknown";

export type CaEffect = "blocking" | "conditional" | "report-only" | "session-only" | "excluded" | "not-targeted" | "not-applicable" | "unknown";

/**
 * A fact a verdict rests on that Drift Monitor cannot read from Microsoft Graph (the legacy MFA
 * trusted IPs inside "AllTrusted", the custom security attributes an application filter reads, a
 * user's insider risk level). Stored whole, words included: a stored report outlives the code
 * that named the fact. lib/text/missing-facts.ts says it in one line for every view.
 */
export interface MissingFact {
  /** A short name: "MFA trusted IPs". */
  readonly fact: string;
  /** Why the verdict needs it and why Graph does not give it, in one sentence. */
  readonly why: string;
  /** Where a person can look it up. */
  readonly where: string;
  /** What rests on it: the Conditional Access policies' names; empty when the check as a whole does. */
  readonly subjects: readonly string[];
}

/** One Conditional Access policy's verdict for the account. */
export interface CaFinding {
  readonly policyId: string;
  readonly policyName: string;
  readonly state: string;
  readonly effect: CaEffect;
  /** One line: "included via role Global Administrator", "excluded via group Automation accounts". */
  readonly reason: string;
  /** The grant controls that the account cannot satisfy, when the policy has any. */
  readonly controls?: readonly string[];
  /** The narrowing conditions that make the effect `conditional`. */
  readonly conditions?: readonly string[];
  /** The short names (MissingFact.fact) of the facts Graph cannot give that this verdict rests on. */
  readonly missingFacts?: readonly string[];
}

export interface CheckResult {
  /**
   * The check's id. Plain text here: reports are stored and outlive the checks that wrote them (a
   * check renamed or removed since). lib/checks/registry.ts narrows it to the checks this version has.
   */
  readonly id: string;
  readonly status: CheckStatus;
  /** One line for a table: "1 policy blocks the account", "Security Defaults are disabled". */
  readonly summary: string;
  /** For `unknown` and `skipped`: why it could not be judged. For `fail`/`warn`: why, in more words. */
  readonly reason?: string;
  /** For `fail` and `warn`: what a person should do, step by step. */
  readonly remediation?: string;
  /** Conditional Access: every enabled and report-only policy with its effect. */
  readonly findings?: readonly CaFinding[];
  /** Plain facts that back the verdict (methods registered, failed sign-ins, role held), for people. */
  readonly evidence?: readonly string[];
  /** The facts Graph cannot give that the verdict rests on, each with what rests on it. */
  readonly missingFacts?: readonly MissingFact[];
}

export interface Report {
  readonly schemaVersion: 1;
  readonly tenantId: string;
  readonly checkedAt: string;
  readonly profile: string;
  readonly account: { readonly id: string | null; readonly userPrincipalName: string | null };
  readonly status: TenantStatus;
  /** How many checks are `warn`. */
  readonly warnings: number;
  readonly checks: readonly CheckResult[];
}
