/**
 * What the two role facts share: unifiedRoleAssignment and unifiedRoleEligibilityScheduleInstance
 * have the same fields the rules read, and both are listed by `principalId`.
 */
import { z } from "zod";
import type { RoleAssignmentFact } from "../../model/facts.js";
import { graphPath, odataString } from "../odata.js";
import { map, nullableStr, parseList, str, type Normalised } from "./parse.js";

const roleAssignmentSchema = z.looseObject({
  id: str,
  roleDefinitionId: str,
  principalId: str,
  directoryScopeId: nullableStr,
});

export function toRoleAssignments(values: readonly unknown[]): Normalised<RoleAssignmentFact[]> {
  return map(parseList(roleAssignmentSchema, values), (list) =>
    list.map((a) => ({ id: a.id, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, directoryScopeId: a.directoryScopeId })),
  );
}

/** A role collection under `roleManagement/directory`, filtered to the account. */
export function byPrincipalUrl(collection: string, objectId: string): string {
  return graphPath([{ raw: `roleManagement/directory/${collection}` }], { $filter: `principalId eq ${odataString(objectId)}` });
}
