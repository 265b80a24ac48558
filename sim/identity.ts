/**
 * The part of Microsoft Entra ID that @azure/identity (MSAL) talks to for app-only tokens:
 * OpenID metadata, instance discovery, the JWKS and `POST /{tenant}/oauth2/v2.0/token`.
 * So `new ClientSecretCredential(tid, clientId, secret, { authorityHost: sim.url,
 * disableInstanceDiscovery: true })` gets a token whose `tid` picks the tenant in the sim.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject, SimResponse, TenantData } from "./types.js";
import type { SimState } from "./state.js";
import { faultResponse } from "./graph.js";
import { mintToken } from "./tokens.js";
import { delegatedGrant, deviceCodeResponse } from "./partner/device-code.js";
import { grantedPermissions } from "./handlers/service-principals.js";

interface IdentityResult {
  response: SimResponse;
  /** The tenant the request was for, when known (for counters). */
  tenantId?: string;
  isTokenRequest: boolean;
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache" };

function json(status: number, body: JsonObject, extra: Record<string, string> = {}): SimResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body };
}

/** An Entra OAuth error body (error, AADSTS description, codes, trace ids). */
function oauthError(status: number, error: string, code: number, description: string, extra: Record<string, string> = {}): SimResponse {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return json(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    extra,
  );
}

/** A tenant by id, or by a verified domain (the domain of one of its users). */
function resolveTenant(state: SimState, ref: string): TenantData | undefined {
  const byId = state.findTenant(ref);
  if (byId) return byId;
  const domain = ref.toLowerCase();
  return state.tenants().find((t) => t.users.some((u) => u.userPrincipalName.toLowerCase().endsWith(`@${domain}`)));
}

function tenantNotFound(ref: string): SimResponse {
  return oauthError(
    400,
    "invalid_tenant",
    90002,
    `Tenant '${ref}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

function openIdConfiguration(base: string, tid: string): JsonObject {
  const root = `${base}/${tid}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver"],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Serves the identity endpoints; `undefined` when the path is not one of them. */
export function serveIdentity(state: SimState, method: string, url: URL, body: string, baseUrl: string): IdentityResult | undefined {
  const path = url.pathname;
  if (method === "GET" && /^\/common\/discovery\/instance$/i.test(path)) {
    const host = new URL(baseUrl).host;
    return {
      isTokenRequest: false,
      response: json(200, {
        tenant_discovery_endpoint: `${baseUrl}/{tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    };
  }
  const meta = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/i.exec(path);
  if (method === "GET" && meta) {
    const tenant = resolveTenant(state, meta[1]!);
    if (tenant) return { isTokenRequest: false, tenantId: tenant.tenantId, response: json(200, openIdConfiguration(baseUrl, tenant.tenantId)) };
    // A directory someone signed in to (sign-in.ts), such as the operator's own, is known too.
    if (state.signIn.knowsDirectory(meta[1]!) || state.findPartner(meta[1]!))
      return { isTokenRequest: false, response: json(200, openIdConfiguration(baseUrl, meta[1]!.toLowerCase())) };
    return { isTokenRequest: false, response: tenantNotFound(meta[1]!) };
  }
  if (method === "GET" && /^\/([^/]+)\/discovery\/(v2\.0\/)?keys$/i.test(path)) {
    return { isTokenRequest: false, response: json(200, state.signIn.jwks()) };
  }
  // A partner's admin agent signs in with a device code (sim/partner/device-code.ts).
  const deviceCode = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/i.exec(path);
  const partner = deviceCode ? state.findPartner(deviceCode[1]!) : undefined;
  if (method === "POST" && partner) return { isTokenRequest: true, tenantId: partner.tenantId, response: deviceCodeResponse(partner, baseUrl) };
  const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(path);
  if (token) {
    if (method !== "POST") return { isTokenRequest: true, response: oauthError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.") };
    const form = new URLSearchParams(body);
    const known = state.findPartner(token[1]!)?.tenantId ?? resolveTenant(state, token[1]!)?.tenantId;
    const delegated = known ? delegatedGrant(known, form, form.get("client_id") ?? "", state.now(), baseUrl) : undefined;
    if (delegated) return { isTokenRequest: true, tenantId: known, response: delegated };
    return tokenRequest(state, token[1]!, form);
  }
  return undefined;
}

function tokenRequest(state: SimState, tenantRef: string, form: URLSearchParams): IdentityResult {
  const tenant = resolveTenant(state, tenantRef);
  if (!tenant) return { isTokenRequest: true, response: tenantNotFound(tenantRef) };
  const result = (response: SimResponse): IdentityResult => ({ isTokenRequest: true, tenantId: tenant.tenantId, response });
  const clientId = form.get("client_id");
  if (!clientId) return result(oauthError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."));
  if (form.get("grant_type") !== "client_credentials") {
    return result(oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."));
  }
  if (!form.get("client_secret") && !form.get("client_assertion")) {
    return result(oauthError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
  }
  const fault = state.takeFault(tenant.tenantId, "token");
  if (fault) {
    if (fault.kind === "echo-secret") {
      const sent = form.get("client_secret") ?? form.get("client_assertion") ?? "";
      return result(oauthError(401, "invalid_client", 7000215, `Invalid client secret provided. The secret sent was '${sent}'.`));
    }
    const status = faultResponse(fault).status;
    if (status === 429 || status === 503) {
      const extra: Record<string, string> = fault.kind === "429-no-retry-after" ? {} : { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
      return result(oauthError(status, "temporarily_unavailable", 50196, "The server is temporarily unavailable; retry later.", extra));
    }
    return result(consentRequired(clientId));
  }
  if (tenant.consent === "revoked") return result(consentRequired(clientId));
  return result(
    json(200, {
      token_type: "Bearer",
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: mintToken(tenant.tenantId, {
        appId: clientId,
        now: state.now(),
        roles: tenant.appGrants?.[clientId.toLowerCase()] ?? grantedPermissions(tenant),
      }),
    }),
  );
}

/** What Entra answers an app whose admin consent was revoked in the tenant. */
function consentRequired(clientId: string): SimResponse {
  return oauthError(
    400,
    "invalid_grant",
    65001,
    `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for ` +
      `this user and resource.`,
    {},
  );
}
