/** R2: the account holds Global Administrator as an active assignment, directly or through a group. */
import { GLOBAL_ADMIN_TEMPLATE_ID } from "../../model/facts.js";
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { describeFailure, gate, result } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { isDirectoryGlobalAdmin, isGlobalAdmin, judgeActive } from "./permanence.js";
import { EMERGENCY_ACCESS_CITATION, EMERGENCY_ACCESS_GUIDANCE } from "../well-known.js";

const meta = checkMeta({
  id: "admin-role",
  title: "Global Administrator is active",
  requirement: "R2",
  requiredState:
    "Global Administrator as an **active** assignment (directly or through a group); PIM-eligible is not enough; one that ends warns before it does",
  shortName: "Global Administrator role",
  rank: 4,
  severity: "now",
  facts: ["account", "membership", "roleAssignments", "roleEligibility", "roleAssignmentInstances"],
  description:
    "The automation needs Global Administrator. It must be an active assignment: a PIM-eligible assignment has to be activated by a person " +
    "(often with MFA and a justification), which a script cannot do. Under profile emergency-access the assignment must be permanent: " +
    '"make the Global Administrator role assignment active permanent rather than eligible" is one of the configuration requirements of ' +
    `${EMERGENCY_ACCESS_CITATION}. ` +
    "PIM's schedule instances say whether the assignment ends (a time-bound active assignment) or is an activation of an eligibility; " +
    "without them (no Entra ID P2, or unreadable) an active role that is also PIM-eligible is taken for an activation. " +
    "Under any other profile an assignment that ends warns ROLE_END_WARN_DAYS (default 14) days before it does.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Roles & admins → Global Administrator → Add assignments.",
    "2. Select the connection account; with Privileged Identity Management, choose Assignment type Active and Permanently assigned.",
    "3. If it is only eligible: Identity governance → Privileged Identity Management → Microsoft Entra roles → Assignments → Eligible " +
      "assignments → Global Administrator → Update → make it an active, permanent assignment.",
  ].join("\n"),
  links: [],
  references: [
    "https://learn.microsoft.com/entra/identity/role-based-access-control/manage-roles-portal",
    "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user",
    "https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentscheduleinstances",
    EMERGENCY_ACCESS_GUIDANCE,
  ],
});

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;

  const viaMembership = facts.membership.ok && facts.membership.value.roles.some((r) => r.roleTemplateId.toLowerCase() === GLOBAL_ADMIN_TEMPLATE_ID);
  const viaAssignment = facts.roleAssignments.ok && facts.roleAssignments.value.some(isDirectoryGlobalAdmin);
  if (viaMembership || viaAssignment) {
    const how = viaAssignment ? "a direct active assignment" : "an active role membership (directly or through a group)";
    return judgeActive(meta, facts, profile, how);
  }

  // Not found: only a verdict when both sources of active roles were read.
  const failed = [facts.membership, facts.roleAssignments].filter((f) => !f.ok);
  if (failed.length > 0) {
    const reasons = failed.map((f) => (f.ok ? "" : describeFailure(f))).join("; ");
    const unlicensed = failed.every((f) => !f.ok && f.code === "unlicensed");
    return result(meta, unlicensed ? "skipped" : "unknown", "Could not read the account's roles", { reason: reasons });
  }

  const eligible = facts.roleEligibility.ok && facts.roleEligibility.value.some(isGlobalAdmin);
  if (eligible) {
    return result(meta, "fail", "Global Administrator is only PIM-eligible, not active", {
      reason: "The account is eligible for Global Administrator in Privileged Identity Management; a script cannot activate it.",
    });
  }
  // Without Entra ID P2 there is no PIM to be eligible in: the verdict stands on the active roles alone.
  const note = facts.roleEligibility.ok
    ? ""
    : facts.roleEligibility.code === "unlicensed"
      ? ` (PIM eligibility is not licensed, so whether it is only eligible is not known: ${facts.roleEligibility.reason})`
      : ` (PIM eligibility could not be read: ${describeFailure(facts.roleEligibility)})`;
  return result(meta, "fail", "The account does not hold Global Administrator", {
    reason: `No active Global Administrator assignment, direct or through a group${note}.`,
  });
}

// Its only warning is an assignment about to end: mailed once, before the automation loses the role.
export const adminRoleCheck = defineCheck(meta, run, { earlyWarning: (r) => r.status === "warn" });
