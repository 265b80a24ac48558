/**
 * The estate API, beside the tenants API and behind the same function keys: the estate-wide
 * exception templates every tenant inherits and their audit trail (functions/api/standings.ts).
 * `path` is what follows /api/estate: "exceptions", "exceptions/remove", "audit".
 */
import { json, methodNotAllowed, notFound, type ApiRequest, type ApiResponse } from "./http.js";
import type { ApiDeps } from "./handle.js";
import { ESTATE_ROUTE_METHODS, handleEstateStandings, type EstateRoute } from "./standings.js";

const ROUTES: ReadonlyMap<string, EstateRoute> = new Map([
  ["exceptions", "exceptions"],
  ["exceptions/remove", "exceptions-remove"],
  ["audit", "audit"],
]);

export async function handleEstateRequest(req: ApiRequest, deps: Pick<ApiDeps, "standings">): Promise<ApiResponse> {
  const route = ROUTES.get(
    req.path
      .split("/")
      .filter((p) => p !== "")
      .join("/"),
  );
  if (!route) return notFound("no such route: use /api/estate/exceptions, /api/estate/exceptions/remove or /api/estate/audit");
  const method = req.method.toUpperCase();
  const allowed = ESTATE_ROUTE_METHODS[route];
  if (!allowed.includes(method)) return methodNotAllowed(allowed);
  if (!deps.standings) return json(404, { error: "exceptions are not available here" });
  return handleEstateStandings(route, method, req, deps.standings);
}
