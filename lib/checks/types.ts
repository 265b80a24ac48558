/** The shape of a check: metadata beside the logic, so reports, docs and alerts read one source. */
import type { CheckId, CheckResult, Profile, TenantFacts } from "../model/index.js";

export type Requirement = "R1" | "R2" | "R3" | "R4" | "R5" | "R6" | "R7";

export interface CheckMeta {
  readonly id: CheckId;
  readonly title: string;
  readonly requirement: Requirement;
  /** What the check verifies and why it matters for a non-interactive service account. */
  readonly description: string;
  /** The general fix, with concrete portal steps; a result may carry a more specific one. */
  readonly remediation: string;
  /** Microsoft documentation behind the rule. */
  readonly references: readonly string[];
}

export interface Check {
  readonly meta: CheckMeta;
  run(facts: TenantFacts, profile: Profile): CheckResult;
}
