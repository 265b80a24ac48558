/** Every status of the managed-policies check, under both profiles, and which of its warnings are mailed as early warnings. */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import { facts, failed, ok, policy, ROLE } from "./builders.js";
import { both, expectRow, forbidden, notFound, strict } from "./checks-helpers.js";

// The builders collect at 2026-01-02T12:00Z. Created 2025-12-01: enforceable from 2026-01-15 (13 days on).
// As real tenants name it: Microsoft's prefix before the name on its page.
const ADMIN_PORTALS = "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals";
const managed = (over: Parameters<typeof policy>[0] = {}) =>
  policy({
    id: "mm-1",
    displayName: ADMIN_PORTALS,
    state: "enabledForReportingButNotEnforced",
    createdDateTime: "2025-12-01T00:00:00Z",
    conditions: { users: { includeRoles: [ROLE.globalAdmin] } },
    ...over,
  });
const withPolicies = (...policies: ReturnType<typeof policy>[]) => facts({ conditionalAccessPolicies: ok(policies) });

describe("managed-policies (R12)", () => {
  it.each(
    both([
      { name: "no managed policy", facts: facts(), status: "pass", summary: "No Microsoft-managed policy in the tenant" },
      { name: "managed, turned off", facts: withPolicies(managed({ state: "disabled" })), status: "pass", evidence: /disabled/ },
      {
        name: "managed, report-only, the account excluded",
        facts: withPolicies(managed({ conditions: { users: { includeRoles: [ROLE.globalAdmin], excludeUsers: ["aaaaaaaa-0000-0000-0000-000000000001"] } } })),
        status: "pass",
        summary: "No report-only Microsoft-managed policy would block the account",
      },
      {
        name: "managed, enforced (the conditional-access check reports it)",
        facts: withPolicies(managed({ state: "enabled" })),
        status: "pass",
      },
      {
        name: "a customer policy in report-only that would block",
        facts: withPolicies(managed({ displayName: "Require MFA for admins" })),
        status: "pass",
      },
      {
        name: "a customer policy named like a managed one, without Microsoft's prefix",
        facts: withPolicies(managed({ displayName: "Multifactor authentication for admins accessing Microsoft Admin Portals" })),
        status: "pass",
        summary: "No Microsoft-managed policy in the tenant",
      },
      {
        name: "a copy of a managed policy (the customer's own)",
        facts: withPolicies(managed({ displayName: `Copy of ${ADMIN_PORTALS}` })),
        status: "pass",
        summary: "No Microsoft-managed policy in the tenant",
      },
      {
        name: "managed, report-only, would block, within 14 days",
        facts: withPolicies(managed()),
        status: "warn",
        summary: `Microsoft will enforce soon: "${ADMIN_PORTALS}" would block the account; Microsoft may enforce it from 2026-01-15`,
        reason: /no sooner than 45 days after creating it, with 28 days' notice/,
      },
      {
        name: "managed, report-only, would block, far off",
        facts: withPolicies(managed({ createdDateTime: "2025-12-20T00:00:00Z" })),
        status: "warn",
        summary: `Microsoft may enforce "${ADMIN_PORTALS}" from 2026-02-03; it would block the account`,
      },
      {
        name: "past the date",
        facts: withPolicies(managed({ createdDateTime: "2025-10-01T00:00:00Z" })),
        status: "warn",
        summary: /^Microsoft will enforce soon: .*from 2025-11-15$/,
        reason: /That date has passed for .*: it can be enforced any day\./,
      },
      {
        name: "no creation date",
        facts: withPolicies(managed({ createdDateTime: undefined })),
        status: "warn",
        summary: /any day \(its creation date is unknown\)/,
      },
      {
        name: "matched by name whatever its case, two of them: the soonest first",
        facts: withPolicies(
          managed({ createdDateTime: "2025-12-20T00:00:00Z" }),
          managed({ id: "mm-2", displayName: "microsoft-managed:\tblock legacy authentication" }),
        ),
        status: "warn",
        summary: /"microsoft-managed:\tblock legacy authentication" would block the account; .* from 2026-01-15 \(\+1 more\)$/,
      },
      {
        name: "membership unreadable",
        facts: facts({
          conditionalAccessPolicies: ok([managed()]),
          membership: failed("forbidden", "Graph answered 403", "GroupMember.Read.All"),
          roleAssignments: failed("forbidden"),
        }),
        status: "unknown",
      },
      {
        name: "policies unreadable",
        facts: facts({ conditionalAccessPolicies: forbidden("Policy.Read.All") }),
        status: "unknown",
        reason: /Policy\.Read\.All/,
      },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_name, row, profile) => expectRow("managed-policies", row, profile));

  it.each([
    ["within MANAGED_POLICY_WARN_DAYS: mailed once", withPolicies(managed()), true],
    ["far off: counted, not mailed", withPolicies(managed({ createdDateTime: "2025-12-20T00:00:00Z" })), false],
    [
      "far off under a 40-day window: mailed",
      facts({ conditionalAccessPolicies: ok([managed({ createdDateTime: "2025-12-20T00:00:00Z" })]), warnDays: { passwordExpiry: 14, managedPolicy: 40 } }),
      true,
    ],
  ] as const)("%s", (_name, f, mailed) => {
    const check = CHECKS["managed-policies"];
    expect(check.earlyWarning?.(check.run(f, strict))).toBe(mailed);
  });
});
