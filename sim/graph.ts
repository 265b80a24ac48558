/**
 * One Graph request, alone or inside a $batch: route it, then apply (in Graph's order) consent,
 * the faults armed for its tenant and endpoint, the licence, and finally the endpoint itself.
 */
import type { EndpointName, FaultSpec, JsonValue, SimResponse } from "./types.js";
import type { SimState } from "./state.js";
import type { GraphContext, GraphVersion, Handler } from "./handlers/context.js";
import { getUser, getTransitiveMemberOf } from "./handlers/users.js";
import { listRoleAssignments, PIM_ROUTES } from "./handlers/roles.js";
import { getAuthMethodsPolicy, getCaPolicy, getSecurityDefaults, listCaPolicies } from "./handlers/policies.js";
import { getPerUserMfa, getRegistrationDetails, listAuthMethods, listSignIns } from "./handlers/authentication.js";
import { listDomains } from "./handlers/domains.js";
import { getRiskyUser } from "./handlers/identity-protection.js";
import { listDirectoryAudits } from "./handlers/audit-logs.js";
import { listNamedLocations } from "./handlers/named-locations.js";
import { evaluateWhatIf } from "./handlers/what-if.js";
import { listUsers } from "./handlers/users-list.js";
import { partnerEndpoint, servePartner } from "./handlers/partner-relationships.js";
import { gdapGate } from "./partner/gdap.js";
import { delegatedCaller } from "./partner/caller.js";
import { grantedPermissions, listAppRoleAssignments } from "./handlers/service-principals.js";
import { assignAppRole, createServicePrincipal, listPrincipalAssignments, listServicePrincipals } from "./handlers/app-consent.js";
import { updateCaPolicy } from "./handlers/ca-policy-update.js";
import { updateAuthMethodsPolicy, updatePerUserMfa, updateUser } from "./handlers/auth-updates.js";
import { appIdFromAuthorization, rolesFromAuthorization } from "./tokens.js";
import {
  badRequest,
  forbidden,
  graphError,
  serviceUnavailable,
  throttled,
  unauthorized,
  unlicensed,
  unlicensedIdentityProtection,
  unlicensedP2,
} from "./errors.js";

interface Route {
  pattern: RegExp;
  endpoint: EndpointName;
  handler: Handler;
  /** Beta-only endpoints answer 400 under v1.0, as Graph does for a segment it does not know. */
  betaOnly?: boolean;
  /** The licence it needs: without Entra ID P1 a "premium license" 403, without Entra ID P2 a 400 AadPremiumLicenseRequired. */
  licence?: "entraIdP1" | "entraIdP2";
  /** The method it answers (default GET). */
  method?: "POST" | "PATCH";
  /** The application permission it needs: a tenant that has not granted it answers 403 (only where a test revokes one). */
  permission?: string;
  /** Graph's answer without that licence, when the endpoint's differs from the licence's usual one (Identity Protection: a 403). */
  unlicensed?: () => SimResponse;
  /**
   * A write's application permissions, as its Graph page lists them (each inner list: all of them; any one list will do).
   * Decided by the app token's own `roles` claim, so a token minted for the read-only monitoring app is refused.
   */
  writeRoles?: readonly (readonly string[])[];
}

const ROUTES: Route[] = [
  { pattern: /^\/users$/i, endpoint: "users", handler: listUsers },
  { pattern: /^\/users\/([^/]+)$/i, endpoint: "user", handler: getUser },
  { pattern: /^\/users\/([^/]+)\/transitiveMemberOf$/i, endpoint: "transitiveMemberOf", handler: getTransitiveMemberOf },
  { pattern: /^\/roleManagement\/directory\/roleAssignments$/i, endpoint: "roleAssignments", handler: listRoleAssignments },
  ...PIM_ROUTES,
  { pattern: /^\/identity\/conditionalAccess\/policies$/i, endpoint: "caPolicies", handler: listCaPolicies },
  { pattern: /^\/identity\/conditionalAccess\/policies\/([^/]+)$/i, endpoint: "caPolicies", handler: getCaPolicy },
  { pattern: /^\/policies\/identitySecurityDefaultsEnforcementPolicy$/i, endpoint: "securityDefaults", handler: getSecurityDefaults },
  { pattern: /^\/policies\/authenticationMethodsPolicy$/i, endpoint: "authMethodsPolicy", handler: getAuthMethodsPolicy },
  { pattern: /^\/users\/([^/]+)\/authentication\/requirements$/i, endpoint: "perUserMfa", handler: getPerUserMfa, betaOnly: true },
  { pattern: /^\/users\/([^/]+)\/authentication\/methods$/i, endpoint: "authMethods", handler: listAuthMethods },
  {
    pattern: /^\/reports\/authenticationMethods\/userRegistrationDetails\/([^/]+)$/i,
    endpoint: "registrationDetails",
    handler: getRegistrationDetails,
    licence: "entraIdP1",
  },
  { pattern: /^\/auditLogs\/signIns$/i, endpoint: "signIns", handler: listSignIns, licence: "entraIdP1" },
  { pattern: /^\/auditLogs\/directoryAudits$/i, endpoint: "directoryAudits", handler: listDirectoryAudits },
  { pattern: /^\/domains$/i, endpoint: "domains", handler: listDomains, permission: "Domain.Read.All" },
  {
    pattern: /^\/identityProtection\/riskyUsers\/([^/]+)$/i,
    endpoint: "riskyUsers",
    handler: getRiskyUser,
    licence: "entraIdP2",
    unlicensed: unlicensedIdentityProtection,
    permission: "IdentityRiskyUser.Read.All",
  },
  {
    pattern: /^\/servicePrincipals\/appId=[^/]+\/appRoleAssignments$/i,
    endpoint: "appRoleAssignments",
    handler: listAppRoleAssignments,
    permission: "Application.Read.All",
  },
  { pattern: /^\/servicePrincipals$/i, endpoint: "servicePrincipals", handler: listServicePrincipals },
  { pattern: /^\/servicePrincipals$/i, endpoint: "createServicePrincipal", handler: createServicePrincipal, method: "POST" },
  { pattern: /^\/servicePrincipals\/([0-9a-f-]{36})\/appRoleAssignments$/i, endpoint: "appRoleAssignments", handler: listPrincipalAssignments },
  { pattern: /^\/servicePrincipals\/([0-9a-f-]{36})\/appRoleAssignments$/i, endpoint: "assignAppRole", handler: assignAppRole, method: "POST" },
  { pattern: /^\/identity\/conditionalAccess\/namedLocations$/i, endpoint: "namedLocations", handler: listNamedLocations },
  { pattern: /^\/identity\/conditionalAccess\/evaluate$/i, endpoint: "whatIf", handler: evaluateWhatIf, method: "POST" },
  {
    pattern: /^\/identity\/conditionalAccess\/policies\/([^/]+)$/i,
    endpoint: "updateCaPolicy",
    handler: updateCaPolicy,
    method: "PATCH",
    writeRoles: [
      ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
      ["Application.Read.All", "Policy.ReadWrite.ConditionalAccess"],
    ],
  },
  {
    pattern: /^\/users\/([^/]+)\/authentication\/requirements$/i,
    endpoint: "updatePerUserMfa",
    handler: updatePerUserMfa,
    method: "PATCH",
    betaOnly: true,
    writeRoles: [["Policy.ReadWrite.AuthenticationMethod"]],
  },
  {
    pattern: /^\/policies\/authenticationMethodsPolicy$/i,
    endpoint: "updateAuthMethodsPolicy",
    handler: updateAuthMethodsPolicy,
    method: "PATCH",
    writeRoles: [["Policy.ReadWrite.AuthenticationMethod"]],
  },
  {
    pattern: /^\/users\/([^/]+)$/i,
    endpoint: "updateUser",
    handler: updateUser,
    method: "PATCH",
    writeRoles: [["User.ReadWrite.All"], ["Directory.ReadWrite.All"]],
  },
];

/** Segments Graph gives a meaning of their own: any other segment starting with `$` is refused. */
const SYSTEM_SEGMENTS = new Set(["$batch", "$count", "$ref", "$value", "$metadata", "$entity"]);

/**
 * Decodes each path segment (so `o%27neil%40contoso.com` and `O%27Neil%40Contoso.com` are the same
 * user) and rewrites the key form `users('o''neil@contoso.com')` (or with the value encoded,
 * `users('o%27%27neil%40contoso.com')`) to `users/o'neil@contoso.com`. Like Graph, it refuses
 * (null: 400) what a careless client sends: a raw quote in a plain segment (OData literal syntax
 * outside a key), an undoubled quote inside a key, and a plain segment starting with `$` that is
 * not a system segment (`/users/$svc@contoso.com`: a UPN like that needs the key form).
 */
function normalizePath(rawPath: string): string | null {
  const out: string[] = [];
  for (const raw of rawPath.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    const key = /^([A-Za-z]+)\('((?:[^']|'')*)'\)$/.exec(segment);
    if (key) {
      out.push(key[1]!, key[2]!.replace(/''/g, "'"));
      continue;
    }
    // An alternate key, `servicePrincipals(appId='…')`: kept as `appId=…` so a route can tell it from an id.
    const alternate = /^([A-Za-z]+)\(([A-Za-z]+)='((?:[^']|'')*)'\)$/.exec(segment);
    if (alternate) {
      out.push(alternate[1]!, `${alternate[2]!}=${alternate[3]!.replace(/''/g, "'")}`);
      continue;
    }
    if (raw.includes("'")) return null;
    if (segment.startsWith("$") && !SYSTEM_SEGMENTS.has(segment.toLowerCase())) return null;
    out.push(segment);
  }
  return out.join("/");
}

/** The route for the path and method; else the path's first route, so a wrong method answers 405. */
function matchRoute(path: string, method: string): { route: Route; params: string[] } | undefined {
  let first: { route: Route; params: string[] } | undefined;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if ((route.method ?? "GET") === method) return { route, params: m.slice(1) };
    first ??= { route, params: m.slice(1) };
  }
  return first;
}

export function faultResponse(fault: FaultSpec, credential = ""): SimResponse {
  switch (fault.kind) {
    case "echo-secret":
      return graphError(401, "InvalidAuthenticationToken", `Access token validation failure for Authorization: ${credential}`);
    case "429":
      return throttled(fault.retryAfterSeconds ?? 1);
    case "429-no-retry-after":
      return throttled(undefined);
    case "503":
      return serviceUnavailable();
    case "403":
      return forbidden();
    case "unlicensed":
      return unlicensed();
  }
}

interface GraphCall {
  version: GraphVersion;
  method: string;
  /** Path and query after the version, as sent (still URL-encoded). */
  target: string;
  tenantId: string;
  baseUrl: string;
  /** The Authorization header as sent (quoted back by an "echo-secret" fault). */
  authorization?: string;
  /** The JSON body of a POST (What If) or a PATCH. */
  body?: JsonValue;
}

/** Whether the token's roles satisfy one of the write's permission sets; every write asked for is noted with the app that asked. */
function mayWrite(state: SimState, tenantId: string, route: Route, authorization: string | undefined): boolean {
  if (!route.writeRoles) return true;
  const roles = new Set(rolesFromAuthorization(authorization));
  const allowed = route.writeRoles.some((set) => set.every((r) => roles.has(r)));
  state.writeAttempts.push({ tenantId, endpoint: route.endpoint, appId: appIdFromAuthorization(authorization) ?? null, allowed });
  return allowed;
}

/** What the route answers in a tenant without its licence. */
function licenceWall(route: Route): SimResponse {
  if (route.unlicensed) return route.unlicensed();
  return route.licence === "entraIdP2" ? unlicensedP2() : unlicensed();
}

/** Serves one Graph request and counts it. */
export function serveGraph(state: SimState, call: GraphCall): SimResponse {
  const url = new URL(call.target.startsWith("/") ? call.target : `/${call.target}`, "https://sim.invalid");
  const path = normalizePath(url.pathname);
  const matched = path === null ? undefined : matchRoute(path, call.method);
  const partnerRoute = path === null ? undefined : partnerEndpoint(path);
  state.countRequest(call.tenantId, matched?.route.endpoint ?? partnerRoute);
  const response =
    partnerRoute && path !== null
      ? servePartner(
          (id) => state.findPartner(id),
          { ...call, path, query: url.searchParams },
          (endpoint) => gate(state, call.tenantId, endpoint),
        )!
      : dispatch(state, call, path, url.searchParams, matched);
  if (response.status === 429) state.countThrottled();
  return response;
}

/** Faults, then the throttling budgets: what stands before an endpoint in every tenant. */
function gate(state: SimState, tenantId: string, endpoint: EndpointName): SimResponse | undefined {
  const fault = state.takeFault(tenantId, endpoint);
  if (fault) return faultResponse(fault);
  const pace = state.rateLimiter.take(tenantId, endpoint);
  return pace.admitted ? undefined : throttled(pace.retryAfterSeconds);
}

function dispatch(state: SimState, call: GraphCall, path: string | null, query: URLSearchParams, matched: ReturnType<typeof matchRoute>): SimResponse {
  const tenant = state.findTenant(call.tenantId);
  if (!tenant) return unauthorized(`The tenant ${call.tenantId} in the token is not known to the simulator.`);
  state.applyDueWrites();
  if (path === null) return badRequest("The request URL is not valid.");
  if (!matched || (matched.route.betaOnly && call.version !== "beta")) {
    const last = path.split("/").filter(Boolean).pop() ?? "";
    return badRequest(`Resource not found for the segment '${last}'.`);
  }
  if (call.method !== (matched.route.method ?? "GET")) {
    return graphError(405, "Request_BadRequest", `The HTTP method '${call.method}' is not allowed for this resource.`);
  }
  // A partner's admin agent reaches a customer only as far as its GDAP roles go.
  const denied = gdapGate((id) => state.findPartner(id), call.authorization, tenant.tenantId, matched.route.endpoint);
  if (denied) return denied;
  if (tenant.consent === "revoked") return forbidden();
  // An app's token carries the permissions granted to the app; a person's (GDAP) is governed by the roles above.
  const permission = matched.route.permission;
  if (permission && !delegatedCaller(call.authorization) && !grantedPermissions(tenant).includes(permission)) return forbidden();
  if (!mayWrite(state, tenant.tenantId, matched.route, call.authorization)) return forbidden();
  const fault = state.takeFault(tenant.tenantId, matched.route.endpoint);
  // An `unlicensed` fault answers as the endpoint's own licence wall would (PIM: the P2 400; Identity Protection: a 403).
  if (fault) return fault.kind === "unlicensed" && matched.route.licence ? licenceWall(matched.route) : faultResponse(fault, call.authorization);
  const pace = state.rateLimiter.take(tenant.tenantId, matched.route.endpoint);
  if (!pace.admitted) return throttled(pace.retryAfterSeconds);
  const licence = matched.route.licence;
  if (licence && !tenant.licenses[licence]) return licenceWall(matched.route);
  const ctx: GraphContext = {
    version: call.version,
    path,
    query,
    tenant,
    baseUrl: call.baseUrl,
    now: state.now(),
    ...(call.body !== undefined ? { body: call.body } : {}),
    commit: (apply) => state.commit(apply),
  };
  return matched.route.handler(ctx, matched.params);
}
