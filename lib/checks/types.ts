/**
 * The shape of a check: everything about a rule sits beside its logic in lib/checks/<id>/check.ts,
 * so the report, the CLI, the emails, the README and the doctor read one source.
 */
import type { CheckResult, FactKey, Profile, TenantFacts } from "../model/index.js";

/** The design's requirement a check verifies: "R1".."R7" today; a new one is just a new string. */
export type Requirement = `R${number}`;

/**
 * How urgent a finding is, most severe first: `now`, the automation's sign-in fails (or will at its
 * next token refresh) until someone acts; `soon`, it will fail if nothing is done (an early
 * warning); `notice`, a security event to look at that does not stop sign-in. lib/checks/severity.ts
 * turns a check's severity and a verdict into the severity of one finding.
 */
export const SEVERITIES = ["now", "soon", "notice"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A page in an admin portal where a person fixes what the check found. */
export interface PortalLink {
  readonly label: string;
  readonly url: string;
}

export interface CheckMeta<Id extends string = string> {
  readonly id: Id;
  /** The requirement as a sentence, for reports and the CLI. */
  readonly title: string;
  /** A few words for email titles ("Drift detected — Conditional Access"); the title reads as a requirement. */
  readonly shortName: string;
  readonly requirement: Requirement;
  /** The state it requires under profile `strict`, in a few words: README's "What it checks" table is generated from it. */
  readonly requiredState: string;
  /** Where a failing finding of this check stands in an email's subject: lower breaks sign-in more certainly. */
  readonly rank: number;
  /** How urgent a failing finding of this check is; its `warn` is at most `soon` (lib/checks/severity.ts). */
  readonly severity: Severity;
  /** The facts the rule reads: what the collector must gather, and the permissions the doctor asks about. */
  readonly facts: readonly FactKey[];
  /** What the check verifies and why it matters for a non-interactive service account. */
  readonly description: string;
  /** The general fix, with concrete portal steps; a result may carry a more specific one. */
  readonly remediation: string;
  /** The portal pages an email links to for a finding of this check. */
  readonly links: readonly PortalLink[];
  /** Microsoft documentation behind the rule. */
  readonly references: readonly string[];
}

export interface Check<Id extends string = string> {
  readonly meta: CheckMeta<Id>;
  /** For findings about one object (a Conditional Access policy): the link to that object. */
  readonly subjectLink?: (subject: string, name: string) => PortalLink;
  /** Whether this `warn` of the check is mailed, once, as an early warning (lib/drift/early-warnings.ts); other warnings are only counted. */
  readonly earlyWarning?: (result: CheckResult) => boolean;
  run(facts: TenantFacts, profile: Profile): CheckResult;
}

type Rule = (facts: TenantFacts, profile: Profile) => CheckResult;

/** Keeps the id a literal type, so the registry can derive CheckId from the checks it lists. */
export function checkMeta<const Id extends string>(meta: CheckMeta<Id>): CheckMeta<Id> {
  return meta;
}

export function defineCheck<const Id extends string>(meta: CheckMeta<Id>, run: Rule, extra: Pick<Check<Id>, "subjectLink" | "earlyWarning"> = {}): Check<Id> {
  return { meta, run, ...extra };
}
