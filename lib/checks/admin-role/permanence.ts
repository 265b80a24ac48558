/**
 * Whether an active Global Administrator lasts. PIM's schedule instances say it: an instance with
 * an `endDateTime` ends, an `Activated` one is an activation of an eligibility (which always ends),
 * a permanent `Assigned` one does not (learn.microsoft.com/graph/api/resources/unifiedroleassignmentscheduleinstance).
 * When they cannot be read the older inference stands in: an active role that is also PIM-eligible
 * is taken for an activation. Pure.
 */
import { GLOBAL_ADMIN_TEMPLATE_ID } from "../../model/facts.js";
import type { CheckResult, Fact, Profile, RoleAssignmentFact, RoleAssignmentInstanceFact, TenantFacts } from "../../model/index.js";
import { dayAndTime, daysUntil, warnDaysOf } from "../deadlines.js";
import { describeFailure, plural, result } from "../result.js";
import type { CheckMeta } from "../types.js";

const DIRECTORY_SCOPE = "/";

export const isGlobalAdmin = (a: RoleAssignmentFact): boolean => a.roleDefinitionId.toLowerCase() === GLOBAL_ADMIN_TEMPLATE_ID;

/** Global Administrator over the whole directory (an administrative unit's scope is not the role the automation needs). */
export const isDirectoryGlobalAdmin = (a: RoleAssignmentFact): boolean => isGlobalAdmin(a) && (a.directoryScopeId ?? DIRECTORY_SCOPE) === DIRECTORY_SCOPE;

const isPermanent = (i: RoleAssignmentInstanceFact): boolean => i.endDateTime === null && i.assignmentType !== "Activated";

/** When it ends (ms), or NaN when Graph gave no parseable end (an activation always ends, even unsaid). */
const endOf = (i: RoleAssignmentInstanceFact): number => (i.endDateTime === null ? Number.NaN : Date.parse(i.endDateTime));

function describe(i: RoleAssignmentInstanceFact): string {
  const how = i.memberType === "Group" ? " through a group" : i.memberType === "Inherited" ? " (inherited)" : "";
  return `PIM: ${i.assignmentType ?? "active"}${how}, ${i.endDateTime === null ? "no end date" : `ends ${i.endDateTime}`}`;
}

/** The instance that lasts longest: the latest end, an unknown end last. */
function lastToEnd(instances: readonly RoleAssignmentInstanceFact[]): RoleAssignmentInstanceFact {
  const key = (i: RoleAssignmentInstanceFact): number => (Number.isNaN(endOf(i)) ? -Infinity : endOf(i));
  return instances.reduce((a, b) => (key(b) > key(a) ? b : a));
}

const ends = (i: RoleAssignmentInstanceFact): string => (Number.isNaN(endOf(i)) ? "at an end Graph did not give" : `at ${dayAndTime(endOf(i))}`);

/** Profile `permanent-active`, from the schedule instances: permanent, time-bound, or an activation. */
function permanentFromInstances(meta: CheckMeta, instances: readonly RoleAssignmentInstanceFact[], evidence: string[]): CheckResult {
  if (instances.some(isPermanent)) return result(meta, "pass", "Global Administrator is permanently active", { evidence });
  const last = lastToEnd(instances);
  const guidance = "Microsoft's emergency access guidance requires the Global Administrator assignment to be active and permanent.";
  if (last.assignmentType === "Activated") {
    return result(meta, "fail", `Global Administrator is active only through a PIM activation, which ends ${ends(last)}`, {
      reason: `The account holds Global Administrator only by activating a PIM eligibility; when the activation ends, so does the role. ${guidance}`,
      evidence,
    });
  }
  return result(meta, "fail", `Global Administrator ends ${ends(last)}: time-bound`, {
    reason: `The account's active Global Administrator assignment has an end date (PIM "Assignment type: Active", not "Permanently assigned"). ${guidance}`,
    evidence,
  });
}

/** Profile `permanent-active` without schedule instances: the inference from eligibility, saying why it was needed. */
function permanentInferred(meta: CheckMeta, facts: TenantFacts, evidence: string[]): CheckResult {
  const eligibility = facts.roleEligibility;
  if (!eligibility.ok && eligibility.code !== "unlicensed") {
    return result(meta, "unknown", "Could not tell whether Global Administrator is permanent", {
      reason: `PIM eligibility could not be read: ${describeFailure(eligibility)}.`,
      evidence,
    });
  }
  if (eligibility.ok && eligibility.value.some(isGlobalAdmin)) {
    return result(meta, "fail", "Global Administrator is active only through a PIM activation, which ends", {
      reason:
        "The account is eligible for Global Administrator in Privileged Identity Management, so its active role is taken for an activation. " +
        "Microsoft's emergency access guidance requires the assignment to be active and permanent rather than eligible.",
      evidence,
    });
  }
  const note = eligibility.ok ? "not PIM-eligible" : "no PIM (not licensed), so every active assignment is permanent";
  return result(meta, "pass", "Global Administrator is permanently active", { evidence: [...evidence, note] });
}

/** Why the schedule instances could not decide, as an evidence line. */
function whyInferred(fact: Fact<readonly RoleAssignmentInstanceFact[]>): string {
  if (fact.ok) return "no PIM schedule instance of Global Administrator names the account (held through a group?): permanence inferred from eligibility";
  if (fact.code === "unlicensed") return `PIM schedule instances not licensed (${fact.reason}): permanence inferred from eligibility`;
  return `PIM schedule instances could not be read (${describeFailure(fact)}): permanence inferred from eligibility`;
}

/** Any other profile: an active Global Administrator that ends within ROLE_END_WARN_DAYS (default 14) warns, before it ends. */
function activeUntil(meta: CheckMeta, facts: TenantFacts, instances: readonly RoleAssignmentInstanceFact[], evidence: string[]): CheckResult {
  if (instances.length === 0 || instances.some(isPermanent)) return result(meta, "pass", "Global Administrator is active", { evidence });
  const last = lastToEnd(instances);
  const end = endOf(last);
  const left = Number.isNaN(end) ? 0 : daysUntil(end, Date.parse(facts.collectedAt));
  const warnDays = warnDaysOf(facts).roleEnd;
  if (left > warnDays) return result(meta, "pass", `Global Administrator is active until ${dayAndTime(end)}`, { evidence });
  const what = last.assignmentType === "Activated" ? "a PIM activation" : "a time-bound assignment";
  const when = Number.isNaN(end) ? "" : `, in ${plural(Math.max(left, 0), "day", "days")}`;
  return result(meta, "warn", `Global Administrator ends ${ends(last)}${when}`, {
    reason:
      `The account holds Global Administrator only through ${what}. When it ends the automation loses the role it needs, ` +
      `unless the assignment is renewed or made permanent (warned ROLE_END_WARN_DAYS (${warnDays}) days ahead).`,
    evidence,
  });
}

/** The verdict on an active Global Administrator (`how` it is held), by the profile's `adminRole`. */
export function judgeActive(meta: CheckMeta, facts: TenantFacts, profile: Profile, how: string): CheckResult {
  const evidence = [`Global Administrator through ${how}`];
  const fact = facts.roleAssignmentInstances;
  const instances = fact.ok ? fact.value.filter(isDirectoryGlobalAdmin) : [];
  evidence.push(...instances.map(describe));
  if (profile.adminRole !== "permanent-active") {
    // Unlicensed is no PIM, so nothing ends; unreadable is a blind spot the evidence names.
    if (!fact.ok && fact.code !== "unlicensed")
      evidence.push(`PIM schedule instances could not be read (${describeFailure(fact)}): whether it ends is not known`);
    return activeUntil(meta, facts, instances, evidence);
  }
  if (instances.length > 0) return permanentFromInstances(meta, instances, evidence);
  return permanentInferred(meta, facts, [...evidence, whyInferred(fact)]);
}
