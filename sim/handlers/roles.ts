/** Role assignments, PIM eligibility and PIM's active assignment instances, filtered by `principalId eq '…'` (or any string field). */
import type { EndpointName, GraphRoleAssignment, JsonObject, TenantData } from "../types.js";
import type { GraphContext, Handler } from "./context.js";
import { pageOf } from "./context.js";
import { applySelect, parseFilter, parseSelect } from "../odata.js";
import { badRequest } from "../errors.js";

const FILTERABLE = ["principalId", "roleDefinitionId", "directoryScopeId", "id", "appScopeId"];

function filtered(ctx: GraphContext, items: JsonObject[], contextFragment: string, filterable = FILTERABLE) {
  const raw = ctx.query.get("$filter");
  let result: JsonObject[] = items;
  if (raw !== null) {
    const clauses = parseFilter(raw);
    if (!clauses || clauses.some((c) => c.op !== "eq" || !c.quoted || !filterable.includes(c.field))) {
      return badRequest(`Invalid filter clause: '${raw}'.`);
    }
    // Ids compare case-insensitively in the directory.
    result = items.filter((a) => clauses.every((c) => String(a[c.field] ?? "").toLowerCase() === c.value.toLowerCase()));
  }
  const select = parseSelect(ctx.query);
  return pageOf(
    ctx,
    result.map((o) => applySelect(o, select)),
    100,
    999,
    contextFragment,
  );
}

export const listRoleAssignments: Handler = (ctx) => filtered(ctx, ctx.tenant.roleAssignments, "roleManagement/directory/roleAssignments");

const listRoleEligibility: Handler = (ctx) =>
  filtered(ctx, ctx.tenant.roleEligibilityScheduleInstances, "roleManagement/directory/roleEligibilityScheduleInstances");

/**
 * Every active assignment as PIM schedules it (learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentscheduleinstances):
 * the tenant's role assignments, each with its schedule (TenantData.roleAssignmentSchedules) or, without one,
 * permanent and assigned directly. The instance of an assignment made outside PIM carries the assignment's id.
 */
function scheduleInstances(tenant: TenantData): JsonObject[] {
  return tenant.roleAssignments.map((a: GraphRoleAssignment) => {
    const s = tenant.roleAssignmentSchedules?.[a.id] ?? {};
    return {
      id: a.id,
      principalId: a.principalId,
      roleDefinitionId: a.roleDefinitionId,
      directoryScopeId: a.directoryScopeId,
      appScopeId: a.appScopeId ?? null,
      startDateTime: s.startDateTime ?? null,
      endDateTime: s.endDateTime ?? null,
      assignmentType: s.assignmentType ?? "Assigned",
      memberType: s.memberType ?? "Direct",
      roleAssignmentOriginId: a.id,
      roleAssignmentScheduleId: a.id,
    };
  });
}

const listRoleAssignmentInstances: Handler = (ctx) =>
  filtered(ctx, scheduleInstances(ctx.tenant), "roleManagement/directory/roleAssignmentScheduleInstances", [...FILTERABLE, "assignmentType", "memberType"]);

/** A PIM list under roleManagement/directory, as sim/graph.ts routes it: without Entra ID P2, 400 AadPremiumLicenseRequired. */
const pimRoute = (collection: string, endpoint: EndpointName, handler: Handler) => ({
  pattern: new RegExp(`^/roleManagement/directory/${collection}$`, "i"),
  endpoint,
  handler,
  licence: "entraIdP2" as const,
});

export const PIM_ROUTES = [
  pimRoute("roleEligibilityScheduleInstances", "roleEligibility", listRoleEligibility),
  pimRoute("roleAssignmentScheduleInstances", "roleAssignmentInstances", listRoleAssignmentInstances),
];
