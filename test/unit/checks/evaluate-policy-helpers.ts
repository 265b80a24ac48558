/** Shared by the evaluate-policy-*.test.ts files: condition builders, account contexts and the check of one row. */
import { expect } from "vitest";
import { evaluatePolicy, getProfile, type AccountContext } from "../../../lib/checks/index.js";
import type { CaEffect, CaPolicy } from "../../../lib/model/index.js";
import { context, failed, membership, ok } from "./builders.js";

export const strict = getProfile("strict")!;
export const GRAPH = "00000003-0000-0000-c000-000000000000";
export const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
export const users = (u: Record<string, unknown>) => ({
  users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], ...u },
});
export const apps = (a: Record<string, unknown>) => ({ applications: { includeApplications: [], excludeApplications: [], includeUserActions: [], ...a } });

export const noMembership = context({ membership: failed("forbidden", "Graph answered 403", "GroupMember.Read.All") });
export const noAssignments = context({ roleAssignments: failed("forbidden", "Graph answered 403", "RoleManagement.Read.Directory") });
/** The account holds Global Administrator only through a direct assignment, in no group. */
export const directOnly = context({ membership: ok(membership({ groups: [], roles: [] })) });

export interface Row {
  name: string;
  policy: CaPolicy;
  ctx?: AccountContext;
  effect: CaEffect;
  reason?: string | RegExp;
  conditions?: string[];
  controls?: string[];
}

/** One row: the policy's effect on the account, with the reason, conditions and controls it names. */
export function expectRow(row: Row): void {
  const f = evaluatePolicy(row.policy, row.ctx ?? context(), strict);
  expect(f).not.toBeNull();
  expect(f?.effect).toBe(row.effect);
  if (typeof row.reason === "string") expect(f?.reason).toBe(row.reason);
  if (row.reason instanceof RegExp) expect(f?.reason).toMatch(row.reason);
  if (row.conditions) expect(f?.conditions).toEqual(row.conditions);
  if (row.controls) expect(f?.controls).toEqual(row.controls);
  expect(f).toMatchObject({ policyId: row.policy.id, policyName: row.policy.displayName, state: row.policy.state });
}
