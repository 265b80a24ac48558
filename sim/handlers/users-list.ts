/**
 * `GET /users?$filter=startswith(userPrincipalName,'svc-connect@')`: the directory's users whose
 * UPN starts with a prefix (case-insensitive, as Graph compares), `$select`, `$top` (max 999) and
 * paging. `startsWith` on `userPrincipalName` is a default (not advanced) query
 * (https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0, userPrincipalName:
 * "Supports $filter (eq, ne, not, ge, le, in, startsWith, endsWith)"). Other filters answer 400.
 */
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";
import { badRequest } from "../errors.js";
import { servedUser } from "./user-extras.js";

const STARTS_WITH = /^startswith\(\s*userPrincipalName\s*,\s*'((?:[^']|'')*)'\s*\)$/i;

export const listUsers: Handler = (ctx) => {
  const raw = ctx.query.get("$filter");
  let prefix = "";
  if (raw !== null) {
    const m = STARTS_WITH.exec(raw.trim());
    if (!m) return badRequest(`Unsupported or invalid query filter clause specified for property of resource 'User': '${raw}'.`);
    prefix = m[1]!.replace(/''/g, "'").toLowerCase();
  }
  const select = parseSelect(ctx.query);
  const users = ctx.tenant.users.filter((u) => u.userPrincipalName.toLowerCase().startsWith(prefix)).map((u) => applySelect(servedUser(u, ctx.now), select));
  return pageOf(ctx, users, 100, 999, "users");
};
