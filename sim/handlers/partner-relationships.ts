/**
 * The partner side of GDAP, served to a partner tenant's token:
 * - `GET /tenantRelationships/delegatedAdminCustomers` (and `/{id}`)
 *   https://learn.microsoft.com/en-us/graph/api/tenantrelationship-list-delegatedadmincustomers?view=graph-rest-1.0
 * - `GET /tenantRelationships/delegatedAdminRelationships` (`$filter` on `customer/tenantId` and `status`)
 *   https://learn.microsoft.com/en-us/graph/api/tenantrelationship-list-delegatedadminrelationships?view=graph-rest-1.0
 * Both need DelegatedAdminRelationship.Read.All and, delegated, a user in the partner's Admin
 * agents group (https://learn.microsoft.com/en-us/partner-center/gdap-introduction);
 * anyone else gets 403. `$top` goes up to 300, as documented; without it a page holds 100.
 */
import type { EndpointName, JsonObject, PartnerData, SimResponse } from "../types.js";
import type { GraphVersion } from "./context.js";
import { pageOf } from "./context.js";
import { isAdminAgent } from "../partner/gdap.js";
import { delegatedCaller } from "../partner/caller.js";
import { applySelect, parseFilter, parseSelect } from "../odata.js";
import { badRequest, forbidden, notFound, ok } from "../errors.js";

interface PartnerCall {
  version: GraphVersion;
  method: string;
  tenantId: string;
  baseUrl: string;
  authorization?: string;
  /** Decoded path after the version. */
  path: string;
  query: URLSearchParams;
}

interface PartnerRoute {
  pattern: RegExp;
  endpoint: EndpointName;
  serve: (partner: PartnerData, call: PartnerCall, params: string[]) => SimResponse;
}

const FILTERABLE: Record<string, (r: JsonObject) => string> = {
  "customer/tenantId": (r) => String((r.customer as JsonObject | undefined)?.tenantId ?? ""),
  status: (r) => String(r.status ?? ""),
  id: (r) => String(r.id ?? ""),
};

function listRelationships(partner: PartnerData, call: PartnerCall): SimResponse {
  const raw = call.query.get("$filter");
  let items: JsonObject[] = partner.relationships;
  if (raw !== null) {
    const clauses = parseFilter(raw);
    if (!clauses || clauses.some((c) => c.op !== "eq" || !c.quoted || !FILTERABLE[c.field])) return badRequest(`Invalid filter clause: '${raw}'.`);
    items = items.filter((r) => clauses.every((c) => FILTERABLE[c.field]!(r).toLowerCase() === c.value.toLowerCase()));
  }
  const select = parseSelect(call.query);
  return pageOf(
    call,
    items.map((r) => applySelect(r, select)),
    100,
    300,
    "tenantRelationships/delegatedAdminRelationships",
  );
}

function listCustomers(partner: PartnerData, call: PartnerCall): SimResponse {
  const select = parseSelect(call.query);
  return pageOf(
    call,
    partner.customers.map((c) => applySelect(c, select)),
    100,
    300,
    "tenantRelationships/delegatedAdminCustomers",
  );
}

function getCustomer(partner: PartnerData, _call: PartnerCall, [id]: string[]): SimResponse {
  const found = partner.customers.find((c) => String(c.id).toLowerCase() === id!.toLowerCase());
  return found ? ok(found) : notFound(`Customer '${id}' not found.`);
}

const ROUTES: PartnerRoute[] = [
  { pattern: /^\/tenantRelationships\/delegatedAdminCustomers$/i, endpoint: "delegatedAdminCustomers", serve: listCustomers },
  { pattern: /^\/tenantRelationships\/delegatedAdminCustomers\/([^/]+)$/i, endpoint: "delegatedAdminCustomers", serve: getCustomer },
  { pattern: /^\/tenantRelationships\/delegatedAdminRelationships$/i, endpoint: "delegatedAdminRelationships", serve: listRelationships },
];

/** The endpoint name of a partner path, or undefined when the path is not one. */
export function partnerEndpoint(path: string): EndpointName | undefined {
  return ROUTES.find((r) => r.pattern.test(path))?.endpoint;
}

/**
 * Serves a partner request, after `gate` (faults, throttling) has had its say; undefined when the
 * path is not a partner endpoint.
 */
export function servePartner(
  findPartner: (tenantId: string) => PartnerData | undefined,
  call: PartnerCall,
  gate: (endpoint: EndpointName) => SimResponse | undefined,
): SimResponse | undefined {
  const route = ROUTES.find((r) => r.pattern.test(call.path));
  if (!route) return undefined;
  if (call.method !== "GET") return badRequest(`The simulator serves GET ${call.path} only.`);
  const partner = findPartner(call.tenantId);
  const caller = delegatedCaller(call.authorization);
  // A tenant that is not a partner, or a person outside its Admin agents group, is refused.
  if (!partner || (caller && !isAdminAgent(partner, caller.userId))) return forbidden();
  const gated = gate(route.endpoint);
  if (gated) return gated;
  return route.serve(partner, call, route.pattern.exec(call.path)!.slice(1));
}
