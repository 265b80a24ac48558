/**
 * `GET /auditLogs/directoryAudits` (learn.microsoft.com/graph/api/directoryaudit-list), as much of
 * it as Drift Monitor asks: `$filter` on `activityDateTime` (ge, gt, le, lt, as documented for the
 * property) and `targetResources/any(t: t/id eq '…')`, joined by `and`; `$top`; newest first, as
 * Graph lists them. A sample tenant's `directoryAudits` are served as written.
 */
import type { JsonObject } from "../types.js";
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";
import { parseFilterExpression, type FilterNode } from "../odata.js";
import { badRequest } from "../errors.js";

type AuditPredicate = (a: JsonObject) => boolean;

function targetIds(a: JsonObject): string[] {
  const targets = Array.isArray(a.targetResources) ? a.targetResources : [];
  return targets.flatMap((t) => (t && typeof t === "object" && !Array.isArray(t) && typeof t.id === "string" ? [t.id.toLowerCase()] : []));
}

function compile(node: FilterNode): AuditPredicate | null {
  switch (node.kind) {
    case "and": {
      const parts = node.items.map(compile);
      if (parts.some((p) => p === null)) return null;
      return (a) => parts.every((p) => p!(a));
    }
    case "or":
      return null;
    case "any": {
      const body = node.body;
      if (node.collection !== "targetResources" || body.kind !== "cmp" || body.field !== `${node.variable}/id` || body.op !== "eq" || !body.quoted) return null;
      const id = body.value.toLowerCase();
      return (a) => targetIds(a).includes(id);
    }
    case "cmp": {
      if (node.field !== "activityDateTime" || node.quoted || node.op === "ne") return null;
      const t = Date.parse(node.value);
      if (Number.isNaN(t)) return null;
      const op = node.op;
      return (a) => {
        const at = Date.parse(String(a.activityDateTime));
        if (op === "eq") return at === t;
        if (op === "ge") return at >= t;
        if (op === "gt") return at > t;
        if (op === "le") return at <= t;
        return at < t;
      };
    }
  }
}

export const listDirectoryAudits: Handler = (ctx) => {
  let items = [...(ctx.tenant.directoryAudits ?? [])];
  const raw = ctx.query.get("$filter");
  if (raw !== null) {
    const node = parseFilterExpression(raw);
    const predicate = node ? compile(node) : null;
    if (!predicate) return badRequest(`Invalid filter clause: '${raw}'.`);
    items = items.filter(predicate);
  }
  items.sort((a, b) => Date.parse(String(b.activityDateTime)) - Date.parse(String(a.activityDateTime)));
  return pageOf(ctx, items, 1000, 1000, "auditLogs/directoryAudits");
};
