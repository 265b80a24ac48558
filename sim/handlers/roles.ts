/** Role assignments and PIM eligibility, filtered by `principalId eq '…'` (or any string field). */
import type { GraphRoleAssignment, JsonObject } from "../types.js";
import type { GraphContext, Handler } from "./context.js";
import { pageOf } from "./context.js";
import { applySelect, parseFilter, parseSelect } from "../odata.js";
import { badRequest } from "../errors.js";

const FILTERABLE = ["principalId", "roleDefinitionId", "directoryScopeId", "id", "appScopeId"];

function filtered(ctx: GraphContext, items: GraphRoleAssignment[], contextFragment: string) {
  const raw = ctx.query.get("$filter");
  let result: JsonObject[] = items;
  if (raw !== null) {
    const clauses = parseFilter(raw);
    if (!clauses || clauses.some((c) => c.op !== "eq" || !c.quoted || !FILTERABLE.includes(c.field))) {
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

export const listRoleEligibility: Handler = (ctx) =>
  filtered(ctx, ctx.tenant.roleEligibilityScheduleInstances, "roleManagement/directory/roleEligibilityScheduleInstances");
