/** Graph's error bodies, as Graph writes them (code, message, innerError with request ids). */
import { randomUUID } from "node:crypto";
import type { SimResponse } from "./types.js";

const JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { "Content-Type": JSON_CONTENT_TYPE, "request-id": requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": requestId },
      },
    },
  };
}

export const notFound = (message: string): SimResponse => graphError(404, "Request_ResourceNotFound", message);

export const badRequest = (message: string): SimResponse => graphError(400, "BadRequest", message);

export const forbidden = (): SimResponse => graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

/** What Graph answers for reports and sign-ins in a tenant without Entra ID P1. */
export const unlicensed = (): SimResponse =>
  graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");

/** What Graph answers for Privileged Identity Management (role eligibility) in a tenant without Entra ID P2 or ID Governance. */
export const unlicensedP2 = (): SimResponse =>
  graphError(400, "AadPremiumLicenseRequired", "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.");

/**
 * What Identity Protection (riskyUsers, riskDetections) answers in a tenant without Entra ID P2: a
 * 403, not PIM's 400 (the bodies reported from real tenants, e.g. the `/identityProtection/riskDetections`
 * 403 "Forbidden — tenant is not licensed for this feature"; learn.microsoft.com/graph/api/riskyuser-get
 * only says "Using the riskyUsers API requires a Microsoft Entra ID P2 license" and documents no body).
 */
export const unlicensedIdentityProtection = (): SimResponse => graphError(403, "Forbidden", "Your tenant is not licensed for this feature.");

export const unauthorized = (message: string): SimResponse =>
  graphError(401, "InvalidAuthenticationToken", message, {
    "WWW-Authenticate":
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });

export const throttled = (retryAfterSeconds: number | undefined): SimResponse =>
  graphError(429, "TooManyRequests", "Too many requests.", retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) });

export const serviceUnavailable = (): SimResponse =>
  graphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.", { "Retry-After": "1" });

export function ok(body: SimResponse["body"], headers: Record<string, string> = {}): SimResponse {
  return { status: 200, headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers }, body };
}
