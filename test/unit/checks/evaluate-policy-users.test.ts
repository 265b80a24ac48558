/** The users clause of the Conditional Access evaluation (users, groups, roles, unknown membership), one row each. */
import { describe, it } from "vitest";
import { ACCOUNT_ID, GROUP, OTHER_USER, policy, ROLE } from "./builders.js";
import type { Row } from "./evaluate-policy-helpers.js";
import { apps, directOnly, expectRow, noAssignments, noMembership, users } from "./evaluate-policy-helpers.js";

const rows: Row[] = [
  // Clause 1: users
  { name: "include All", policy: policy(), effect: "blocking", reason: "included via all users", controls: ["mfa"] },
  {
    name: "include the account by id",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID] }) }),
    effect: "blocking",
    reason: "included via user (the account itself)",
  },
  { name: "include by id, case-insensitive", policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID.toUpperCase()] }) }), effect: "blocking" },
  {
    name: "include another user only",
    policy: policy({ conditions: users({ includeUsers: [OTHER_USER] }) }),
    effect: "not-targeted",
    reason: /not among its included/,
  },
  {
    name: "include via transitive group",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id] }) }),
    effect: "blocking",
    reason: "included via group Automation accounts",
  },
  { name: "include a group the account is not in", policy: policy({ conditions: users({ includeGroups: [GROUP.other.id] }) }), effect: "not-targeted" },
  {
    name: "include via active role (directoryRole)",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    effect: "blocking",
    reason: "included via role Global Administrator",
  },
  {
    name: "include via direct role assignment",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    ctx: directOnly,
    effect: "blocking",
    reason: "included via role Global Administrator",
  },
  { name: "include a role the account does not hold", policy: policy({ conditions: users({ includeRoles: [ROLE.securityAdmin] }) }), effect: "not-targeted" },
  {
    name: "exclude the account by id",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }),
    effect: "excluded",
    reason: "excluded via user (the account itself)",
  },
  {
    name: "exclude via group (wins over include by id)",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID], excludeGroups: [GROUP.automation.id] }) }),
    effect: "excluded",
    reason: "excluded via group Automation accounts",
  },
  {
    name: "exclude via role",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id], excludeRoles: [ROLE.globalAdmin] }) }),
    effect: "excluded",
    reason: "excluded via role Global Administrator",
  },
  {
    name: "exclude a group the account is not in",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGroups: [GROUP.other.id] }) }),
    effect: "blocking",
  },
  { name: "None", policy: policy({ conditions: users({ includeUsers: ["None"] }) }), effect: "not-targeted", reason: "targets no users (None)" },
  {
    name: "GuestsOrExternalUsers",
    policy: policy({ conditions: users({ includeUsers: ["GuestsOrExternalUsers"] }) }),
    effect: "not-targeted",
    reason: /only guests or external users/,
  },
  {
    name: "includeGuestsOrExternalUsers object",
    policy: policy({
      conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest", externalTenants: { membershipKind: "all" } } }),
    }),
    effect: "not-targeted",
    reason: /only guests/,
  },
  {
    name: "excludeGuestsOrExternalUsers does not remove a member",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: "internalGuest" } }) }),
    effect: "blocking",
  },
  { name: "no users condition (workload identities)", policy: policy({ conditions: { users: null } }), effect: "not-targeted", reason: /workload identities/ },

  // Unknown membership
  {
    name: "include via groups, membership unreadable",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /GroupMember\.Read\.All/,
  },
  {
    name: "include All, excluded groups unreadable",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeGroups: [GROUP.automation.id] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /included via all users; whether an excluded group/,
  },
  {
    name: "excluded by id, membership unreadable",
    policy: policy({ conditions: users({ includeGroups: [GROUP.automation.id], excludeUsers: [ACCOUNT_ID] }) }),
    ctx: noMembership,
    effect: "excluded",
  },
  {
    name: "include by id, no group excludes, membership unreadable",
    policy: policy({ conditions: users({ includeUsers: [ACCOUNT_ID] }) }),
    ctx: noMembership,
    effect: "blocking",
  },
  {
    name: "include via role, assignments unreadable but role seen in memberOf",
    policy: policy({ conditions: users({ includeRoles: [ROLE.globalAdmin] }) }),
    ctx: noAssignments,
    effect: "blocking",
  },
  // transitiveMemberOf lists every active directory-wide role (also through role-assignable groups):
  // with it read, the role set is complete for Conditional Access; direct assignments only add evidence.
  {
    name: "include via other role, assignments unreadable",
    policy: policy({ conditions: users({ includeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noAssignments,
    effect: "not-targeted",
  },
  {
    name: "exclude via other role, assignments unreadable",
    policy: policy({ conditions: users({ includeUsers: ["All"], excludeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noAssignments,
    effect: "blocking",
    reason: "included via all users",
  },
  {
    name: "include via other role, membership unreadable",
    policy: policy({ conditions: users({ includeRoles: [ROLE.exchangeAdmin] }) }),
    ctx: noMembership,
    effect: "unknown",
    reason: /GroupMember\.Read\.All/,
  },
  {
    name: "unknown scope but apps not covered",
    policy: policy({ conditions: { ...users({ includeGroups: [GROUP.automation.id] }), ...apps({ includeApplications: ["None"] }) } }),
    ctx: noMembership,
    effect: "not-applicable",
  },
];

describe("evaluatePolicy", () => {
  it.each(rows)("$name → $effect", expectRow);
});
