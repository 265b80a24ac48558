import type { StandingsRoute } from "./standings.js";

/** The routes under /api/tenants, matched on the path after it. */
type Route =
  | { readonly name: "tenants" }
  | { readonly name: "tenant"; readonly id: string }
  | { readonly name: "check"; readonly id: string }
  | { readonly name: StandingsRoute; readonly id: string };

export const ROUTE_METHODS: Readonly<Record<Route["name"], readonly string[]>> = {
  tenants: ["GET"],
  tenant: ["GET", "PUT", "DELETE"],
  check: ["POST"],
  acks: ["POST"],
  "acks-withdraw": ["POST"],
  exceptions: ["GET", "POST"],
  "exceptions-remove": ["POST"],
  audit: ["GET"],
};

const SUBROUTES: Readonly<Record<string, Route["name"]>> = {
  check: "check",
  acks: "acks",
  "acks/withdraw": "acks-withdraw",
  exceptions: "exceptions",
  "exceptions/remove": "exceptions-remove",
  audit: "audit",
};

/** The route a path names, or undefined. The id is returned as given: the handler validates it. */
export function matchRoute(path: string): Route | undefined {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length === 0) return { name: "tenants" };
  const [first, second] = parts;
  const id = decodeSegment(first ?? "");
  if (id === undefined) return undefined;
  if (parts.length === 1) return { name: "tenant", id };
  const sub = SUBROUTES[parts.slice(1).join("/")];
  return sub && sub !== "tenants" && sub !== "tenant" && second !== undefined ? { name: sub, id } : undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
