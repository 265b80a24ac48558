/** Directory roles assigned to the account directly (active): `roleManagement/directory/roleAssignments`. */
import type { RoleAssignmentFact } from "../../model/facts.js";
import type { FactDefinition } from "./definition.js";
import { byPrincipalUrl, toRoleAssignments } from "./role-assignment.js";

export const roleAssignments: FactDefinition<readonly RoleAssignmentFact[], "roleAssignments"> = {
  fact: "roleAssignments",
  version: "v1.0",
  permission: "RoleManagement.Read.Directory",
  paged: true,
  needsObjectId: true,
  reads: "direct role assignments",
  subject: "the account's role assignments",
  requests: (ctx) => [{ id: "roleAssignments", url: byPrincipalUrl("roleAssignments", ctx.objectId) }],
  normalise: toRoleAssignments,
};
