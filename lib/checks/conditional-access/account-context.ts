/**
 * What Conditional Access targeting needs to know about the account: its id, its transitive
 * groups and its active role template ids. Each set says whether it is complete: a fact that could
 * not be read leaves it partial, so a match is still certain but a miss is not.
 */
import type { Fact, TenantFacts } from "../../model/index.js";
import { describeFailure } from "../result.js";

export interface KnownSet {
  /** id → display name (null when Graph gave none). */
  readonly names: ReadonlyMap<string, string | null>;
  /** False when a fact the set is built from could not be read: a miss proves nothing. */
  readonly complete: boolean;
  /** Why the set is incomplete, naming the permission when there is one. */
  readonly gap?: string;
}

export interface AccountContext {
  readonly accountId: string;
  readonly groups: KnownSet;
  /** Active roles only: eligible (PIM) roles are not targeted by Conditional Access until activated. */
  readonly roles: KnownSet;
}

const DIRECTORY_SCOPE = "/";

function gapOf(fact: Fact<unknown>, what: string): string | undefined {
  return fact.ok ? undefined : `${what} could not be read: ${describeFailure(fact)}`;
}

export function buildAccountContext(accountId: string, facts: Pick<TenantFacts, "membership" | "roleAssignments">): AccountContext {
  const groupNames = new Map<string, string | null>();
  const roleNames = new Map<string, string | null>();
  if (facts.membership.ok) {
    for (const g of facts.membership.value.groups) groupNames.set(g.id.toLowerCase(), g.displayName);
    for (const r of facts.membership.value.roles) roleNames.set(r.roleTemplateId.toLowerCase(), r.displayName);
  }
  if (facts.roleAssignments.ok) {
    // A direct assignment scoped to the whole directory makes the role active for the account;
    // an assignment scoped to an administrative unit or an app does not put it in a CA role scope.
    for (const a of facts.roleAssignments.value) {
      const scope = a.directoryScopeId ?? DIRECTORY_SCOPE;
      const id = a.roleDefinitionId.toLowerCase();
      if (scope === DIRECTORY_SCOPE && !roleNames.has(id)) roleNames.set(id, null);
    }
  }
  // transitiveMemberOf lists every active directory-wide role, also those held through a
  // role-assignable group: all that Conditional Access can target. With it read, the role set is
  // complete; unreadable direct assignments only cost evidence. Without it, direct assignments
  // alone miss the roles held through groups, so the set stays partial.
  const groupGap = gapOf(facts.membership, "group membership");
  const roleGap = gapOf(facts.membership, "active roles");
  return {
    accountId: accountId.toLowerCase(),
    groups: { names: groupNames, complete: facts.membership.ok, ...(groupGap ? { gap: groupGap } : {}) },
    roles: { names: roleNames, complete: facts.membership.ok, ...(roleGap ? { gap: roleGap } : {}) },
  };
}
