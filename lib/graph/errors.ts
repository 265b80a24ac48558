/**
 * Turning one Graph answer that is not a success into the reason a fact could not be read.
 * Pure: the status, the error body and the request's spec in, a failed Fact out.
 */
import type { Fact, FactErrorCode } from "../model/facts.js";
import { licenceNeeded, type FactRequestSpec, type Licence } from "./facts/definition.js";
import { errorMessage } from "../errors/text.js";
import { redact } from "../errors/redact.js";

export type FactFailure = Extract<Fact<never>, { ok: false }>;

/** `{ error: { code, message } }`, Graph's error body, read loosely (it may be missing or odd). */
function graphErrorParts(body: unknown): { code: string | undefined; message: string | undefined } {
  if (typeof body !== "object" || body === null) return { code: undefined, message: undefined };
  const err = (body as { error?: unknown }).error;
  if (typeof err !== "object" || err === null) return { code: undefined, message: undefined };
  const { code, message } = err as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
  };
}

/**
 * Graph's answer for a tenant without the licence an endpoint needs, matched on the code or on the
 * message, whatever the status; the licence it names, or undefined when it is not a licence answer.
 * - Entra ID P1 (reports and sign-ins): 403 (sometimes 401) `Authentication_RequestFromNonPremiumTenantOrB2CTenant`,
 *   "Neither tenant is B2C or tenant doesn't have premium license".
 * - Entra ID P2 (PIM: roleEligibilityScheduleInstances): 400 `AadPremiumLicenseRequired`, "The tenant needs to have
 *   Microsoft Entra ID P2 or Microsoft Entra ID Governance license." (older tenants: "The tenant needs an AAD Premium 2 license.").
 */
export function licenceError(body: unknown): Licence | undefined {
  const { code, message } = graphErrorParts(body);
  if (code && /^(AadPremiumLicenseRequired|PimLicenseRequired)$/i.test(code)) return "Entra ID P2";
  if (message !== undefined && /Entra ID P2|Premium (P)?2|ID Governance licen[cs]e/i.test(message)) return "Entra ID P2";
  if (code && /NonPremiumTenant|premium.?licen[cs]e/i.test(code)) return "Entra ID P1";
  if (message !== undefined && /premium licen[cs]e|doesn't have premium|does not have premium|Entra ID P1|Azure AD Premium/i.test(message))
    return "Entra ID P1";
  return undefined;
}

/**
 * Identity Protection's licence wall names no licence: a 403 `Forbidden`, "Your tenant is not
 * licensed for this feature." (reported for /identityProtection/riskDetections and riskyUsers;
 * learn.microsoft.com/graph/api/riskyuser-get: "Using the riskyUsers API requires a Microsoft Entra
 * ID P2 license"). On an endpoint that needs a licence it is that licence's gap, not a permission to grant.
 */
function unnamedLicenceError(body: unknown): boolean {
  const { message } = graphErrorParts(body);
  return message !== undefined && /not licen[cs]ed for this feature/i.test(message);
}

export function isLicenceError(body: unknown): boolean {
  return licenceError(body) !== undefined;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** Short excerpt of Graph's message for the reason (it can be long; secrets it echoes are redacted in failure()). */
function detail(body: unknown): string {
  const { code, message } = graphErrorParts(body);
  const text = [code, message].filter(Boolean).join(": ");
  return text ? ` (${text.length > 200 ? `${text.slice(0, 197)}...` : text})` : "";
}

function failure(code: FactErrorCode, reason: string, extra: { permission?: string; httpStatus?: number } = {}): FactFailure {
  return { ok: false, code, reason: redact(reason), ...extra };
}

/** Classifies a final (no more retries) non-2xx answer for one fact's request. */
export function classifyHttpFailure(spec: FactRequestSpec, status: number, body: unknown): FactFailure {
  const what = describe(spec);
  const licence = licenceError(body) ?? (spec.licence && unnamedLicenceError(body) ? spec.licence : undefined);
  // A licence answer on an endpoint that needs one is a licence gap whatever the status (PIM answers 400);
  // elsewhere only a refusal (401/403) is, so a 400 about something else stays a failure.
  if (licence && (spec.licence || status === 401 || status === 403)) {
    return failure("unlicensed", `The tenant has no ${licenceNeeded(spec.licence ?? licence)} licence, which ${what} needs${detail(body)}`, {
      httpStatus: status,
    });
  }
  if (status === 401 || status === 403) {
    return failure(
      "forbidden",
      `Graph answered ${status} for ${what}: grant the application permission ${spec.permission} and admin consent in the tenant${detail(body)}`,
      {
        permission: spec.permission,
        httpStatus: status,
      },
    );
  }
  if (status === 429) {
    return failure("throttled", `Graph still throttled ${what} (429) after the retries; it will be read on the next run`, { httpStatus: status });
  }
  if (status >= 500) {
    return failure("unavailable", `Graph answered ${status} for ${what} after the retries${detail(body)}`, { httpStatus: status });
  }
  return failure("unavailable", `Graph answered ${status} for ${what}${detail(body)}`, { httpStatus: status });
}

export function networkFailure(spec: FactRequestSpec, error: unknown): FactFailure {
  const message = errorMessage(error);
  return failure("unavailable", `Graph could not be reached for ${describe(spec)}: ${message}`);
}

/**
 * No token for the tenant. AADSTS65001 (consent missing or revoked) and other Entra refusals are
 * `forbidden`: someone must grant consent or fix the app's credential. Without an AADSTS code
 * (the authority unreachable) it is `unavailable`.
 */
export function tokenFailure(spec: FactRequestSpec, message: string, aadsts: string | undefined): FactFailure {
  if (!aadsts) return failure("unavailable", `No Graph token could be had for ${describe(spec)}: ${message}`);
  const action =
    aadsts === "65001"
      ? `grant admin consent to the application in the tenant (it needs ${spec.permission} among others)`
      : `check the application's registration and credential (${spec.permission} is needed for this read)`;
  return failure("forbidden", `Entra refused a token (AADSTS${aadsts}): ${action}. ${message}`, { permission: spec.permission });
}

export function invalidResponse(spec: FactRequestSpec, problem: string): FactFailure {
  return failure("invalid-response", `Graph's answer for ${describe(spec)} did not have the documented shape: ${problem}`);
}

export function dependencyFailure(spec: FactRequestSpec, because: string): FactFailure {
  return failure("dependency", `${capitalise(describe(spec))} was not read: ${because}`);
}

function describe(spec: FactRequestSpec): string {
  return spec.subject;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
