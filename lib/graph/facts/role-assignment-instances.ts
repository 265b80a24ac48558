/**
 * The account's active role assignments as PIM schedules them: `roleManagement/directory/roleAssignmentScheduleInstances`
 * (learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentscheduleinstances, v1.0). Unlike
 * `roleAssignments` each instance says when it ends (`endDateTime`, null: permanent) and whether it is an
 * activation of an eligibility (`assignmentType` "Activated") or an assignment ("Assigned"), so the
 * admin-role check need not infer permanence from eligibility. RoleManagement.Read.Directory is one of
 * the permissions the page lists (RoleAssignmentSchedule.Read.Directory is the least privileged).
 * It is a PIM API: like roleEligibilityScheduleInstances it needs Entra ID P2 or Microsoft Entra ID
 * Governance, and Graph's licence answer makes the fact `unlicensed` (lib/graph/errors.ts).
 */
import { z } from "zod";
import type { RoleAssignmentInstanceFact } from "../../model/facts.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableStr, parseList, str, type Normalised } from "./parse.js";
import { byPrincipalUrl } from "./role-assignment.js";

const instanceSchema = z.looseObject({
  id: str,
  roleDefinitionId: str,
  principalId: str,
  directoryScopeId: nullableStr,
  assignmentType: nullableStr,
  memberType: nullableStr,
  startDateTime: nullableStr,
  endDateTime: nullableStr,
});

function toInstances(values: readonly unknown[]): Normalised<RoleAssignmentInstanceFact[]> {
  return map(parseList(instanceSchema, values), (list) =>
    list.map((a) => ({
      id: a.id,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      directoryScopeId: a.directoryScopeId,
      assignmentType: a.assignmentType,
      memberType: a.memberType,
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
    })),
  );
}

export const roleAssignmentInstances: FactDefinition<readonly RoleAssignmentInstanceFact[], "roleAssignmentInstances"> = {
  fact: "roleAssignmentInstances",
  version: "v1.0",
  permission: "RoleManagement.Read.Directory",
  paged: true,
  licence: "Entra ID P2",
  needsObjectId: true,
  reads: "PIM's active role assignment schedules",
  subject: "the account's role assignment schedules",
  requests: (ctx) => [{ id: "roleAssignmentInstances", url: byPrincipalUrl("roleAssignmentScheduleInstances", ctx.objectId) }],
  normalise: toInstances,
};
