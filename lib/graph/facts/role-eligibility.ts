/** Roles the account may activate through PIM (Entra ID P2): `roleManagement/directory/roleEligibilityScheduleInstances`. */
import type { RoleAssignmentFact } from "../../model/facts.js";
import type { FactDefinition } from "./definition.js";
import { byPrincipalUrl, toRoleAssignments } from "./role-assignment.js";

export const roleEligibility: FactDefinition<readonly RoleAssignmentFact[], "roleEligibility"> = {
  fact: "roleEligibility",
  version: "v1.0",
  permission: "RoleManagement.Read.Directory",
  paged: true,
  // PIM: Graph answers 400 AadPremiumLicenseRequired without Entra ID P2 (or Microsoft Entra ID Governance).
  licence: "Entra ID P2",
  needsObjectId: true,
  reads: "PIM-eligible roles",
  subject: "the account's eligible roles",
  requests: (ctx) => [{ id: "roleEligibility", url: byPrincipalUrl("roleEligibilityScheduleInstances", ctx.objectId) }],
  normalise: toRoleAssignments,
};
