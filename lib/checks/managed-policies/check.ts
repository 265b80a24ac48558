/**
 * Microsoft-managed Conditional Access policies that Microsoft will switch on. Microsoft creates
 * them in Report-only and "enables these policies no less than 45 days after they're introduced in
 * your tenant if they're left in the Report-only state … Customers are notified through emails and
 * Message center posts 28 days before the policies are enabled"; administrators can change their
 * state and exclusions but cannot rename or delete them
 * (learn.microsoft.com/entra/identity/conditional-access/managed-policies). Graph's
 * conditionalAccessPolicy carries no documented "managed" marker, so they are recognised by the
 * "Microsoft-managed: " prefix of their display name, which cannot be changed (./names.ts), and
 * their `createdDateTime` (learn.microsoft.com/graph/api/resources/conditionalaccesspolicy) dates
 * the 45 days.
 *
 * A report-only managed policy that would block the account is a warning that says from when
 * Microsoft may enforce it; within MANAGED_POLICY_WARN_DAYS of that date (or past it) the warning
 * is "Microsoft will enforce this soon" and is mailed once (lib/drift/early-warnings.ts) before
 * the conditional-access check sees it enforced and reports the drift.
 */
import type { CaPolicy, CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { buildAccountContext, evaluatePolicy } from "../conditional-access/index.js";
import { day, daysUntil, DAY_MS, warnDaysOf } from "../deadlines.js";
import { gate, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { isMicrosoftManagedName } from "./names.js";

/** Microsoft enables a managed policy no less than this long after creating it. */
const ENFORCED_AFTER_DAYS = 45;
const SOON = "Microsoft will enforce soon:";

const meta = checkMeta({
  id: "managed-policies",
  title: "No Microsoft-managed policy that would block the account is about to be enforced",
  requirement: "R12",
  requiredState:
    "no report-only Microsoft-managed Conditional Access policy that would block the account (warns with the date; mailed within MANAGED_POLICY_WARN_DAYS)",
  shortName: "Microsoft-managed policies",
  rank: 11,
  severity: "now",
  facts: ["account", "membership", "roleAssignments", "conditionalAccessPolicies"],
  description:
    "Microsoft creates some Conditional Access policies itself, in Report-only, and switches them on no sooner than 45 days later (with 28 " +
    "days' notice in the Message center) unless an administrator turns them off. One that would block the account breaks the automation " +
    "on the day Microsoft enforces it.",
  remediation: [
    "1. Entra admin center → Protection → Conditional Access → Policies → the Microsoft-managed policy named below.",
    "2. Users → Exclude → Users and groups → add the connection account → Save (Microsoft keeps exclusions when it enforces the policy).",
    "3. Or set the policy to Off to opt out of it.",
  ].join("\n"),
  links: [
    {
      label: "Entra admin center → Conditional Access policies",
      url: "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies",
    },
  ],
  references: ["https://learn.microsoft.com/entra/identity/conditional-access/managed-policies"],
});

interface Pending {
  readonly name: string;
  readonly from: number | null;
}

function enforceFrom(policy: CaPolicy): number | null {
  const created = Date.parse(typeof policy.createdDateTime === "string" ? policy.createdDateTime : "");
  return Number.isNaN(created) ? null : created + ENFORCED_AFTER_DAYS * DAY_MS;
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.conditionalAccessPolicies, "Conditional Access policies");
  if (problem || !facts.conditionalAccessPolicies.ok) return problem ?? result(meta, "unknown", "Could not read Conditional Access policies");

  const managed = facts.conditionalAccessPolicies.value.filter((p) => isMicrosoftManagedName(p.displayName));
  const evidence = managed.map((p) => `"${p.displayName}": ${p.state}, created ${typeof p.createdDateTime === "string" ? p.createdDateTime : "(unknown)"}`);
  const ctx = buildAccountContext(g.account.id, facts);
  const pending: Pending[] = [];
  const undecided: string[] = [];
  for (const p of managed.filter((x) => x.state === "enabledForReportingButNotEnforced")) {
    // How the policy would judge the account once Microsoft switches it on.
    const effect = evaluatePolicy({ ...p, state: "enabled" }, ctx, profile)?.effect;
    if (effect === "blocking") pending.push({ name: p.displayName, from: enforceFrom(p) });
    if (effect === "unknown") undecided.push(p.displayName);
  }
  if (pending.length === 0 && undecided.length > 0) {
    return result(meta, "unknown", `Could not tell whether ${undecided.map((n) => `"${n}"`).join(", ")} would block the account`, {
      reason: [ctx.groups.gap, ctx.roles.gap].filter((x): x is string => x !== undefined).join("; ") || "The account's membership could not be read.",
      evidence,
    });
  }
  if (pending.length === 0) {
    const none = managed.length === 0 ? "No Microsoft-managed policy in the tenant" : "No report-only Microsoft-managed policy would block the account";
    return result(meta, "pass", none, { evidence });
  }
  // The soonest first; an unknown creation date counts as "any day".
  pending.sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
  const first = pending[0]!;
  const now = Date.parse(facts.collectedAt);
  const warnDays = warnDaysOf(facts).managedPolicy;
  // The same words before and after the date, so the early warning (keyed on the summary) is sent once.
  const when = (p: Pending): string => (p.from === null ? "any day (its creation date is unknown)" : `from ${day(p.from)}`);
  const passed = pending.filter((p) => p.from !== null && p.from <= now).map((p) => `"${p.name}"`);
  const soon = first.from === null || daysUntil(first.from, now) <= warnDays;
  const more = pending.length > 1 ? ` (+${pending.length - 1} more)` : "";
  const summary = soon
    ? `${SOON} "${first.name}" would block the account; Microsoft may enforce it ${when(first)}${more}`
    : `Microsoft may enforce "${first.name}" ${when(first)}; it would block the account${more}`;
  return result(meta, "warn", summary, {
    reason:
      pending.map((p) => `"${p.name}" is report-only and would block the account; Microsoft may enforce it ${when(p)}`).join("; ") +
      `. Microsoft enables a managed policy left in Report-only no sooner than ${ENFORCED_AFTER_DAYS} days after creating it, with 28 days' notice.` +
      (passed.length > 0 ? ` That date has passed for ${passed.join(", ")}: it can be enforced any day.` : ""),
    evidence,
  });
}

export const managedPoliciesCheck = defineCheck(meta, run, {
  // Mailed once when the date is within MANAGED_POLICY_WARN_DAYS (or past), not while it is far off.
  earlyWarning: (r) => r.summary.startsWith(SOON),
});
