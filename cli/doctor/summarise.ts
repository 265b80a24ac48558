/**
 * From the probes' answers to the verdict per permission and licence, and the exit decision.
 * Pure. A permission is granted only when every request that needs it was answered; a licence
 * wall hides whether it is granted, so it is "not verifiable", which is not a fault: without
 * Entra ID P1 the checks that need it are skipped anyway.
 */
import { FACTS } from "../../lib/graph/facts/index.js";
import { OPTIONAL_PERMISSIONS, requiredPermissions } from "./probes.js";
import type { LicenceResult, PermissionResult, ProbeResult, TokenResult } from "./types.js";

function fixFor(permission: string, consentUrl: string | undefined): string {
  const consent = consentUrl ?? "the link `drift-monitor consent-url --tenant <id>` prints";
  return (
    `Add the Microsoft Graph application permission ${permission} to the app registration (API permissions → Add a permission → Microsoft Graph → ` +
    `Application permissions), then have a Global Administrator of this tenant grant admin consent: ${consent}`
  );
}

export function summarisePermissions(probes: readonly ProbeResult[], token: TokenResult, consentUrl: string | undefined): PermissionResult[] {
  const required = requiredPermissions().map((permission): PermissionResult => {
    const mine = probes.filter((p) => p.permission === permission);
    const reads = mine.map((p) => p.reads);
    if (!token.ok) return { permission, required: true, status: "unknown", reads, detail: "Not tried: no token" };
    const missing = mine.filter((p) => p.outcome === "missing");
    if (missing.length > 0) {
      return {
        permission,
        required: true,
        status: "missing",
        reads,
        detail: `Graph refused ${missing.map((p) => `${p.reads} (${p.httpStatus ?? "?"})`).join(", ")}`,
        fix: fixFor(permission, consentUrl),
      };
    }
    const errors = mine.filter((p) => p.outcome === "error");
    if (errors.length > 0)
      return {
        permission,
        required: true,
        status: "unknown",
        reads,
        detail: errors.map((p) => p.detail).join("; "),
        fix: "Run the doctor again; if it persists, Graph or the network path to it is failing",
      };
    if (mine.length > 0 && mine.every((p) => p.outcome === "unlicensed")) {
      return {
        permission,
        required: true,
        status: "not-verifiable",
        reads,
        detail: "The tenant has no Entra ID P1, so Graph answers the licence error before it looks at the permission; the checks that need it are skipped",
      };
    }
    return { permission, required: true, status: "granted", reads, detail: `Graph answered ${mine.length} request${mine.length === 1 ? "" : "s"}` };
  });
  // Optional permissions are not probed (no check sends their request yet); the token says if they were consented.
  const optional = OPTIONAL_PERMISSIONS.map(({ permission, reads }): PermissionResult => {
    const roles = token.ok ? token.roles : undefined;
    if (!roles) return { permission, required: false, status: "unknown", reads: [reads], detail: "Not probed, and the token does not list its roles" };
    return roles.includes(permission)
      ? { permission, required: false, status: "granted", reads: [reads], detail: "In the token's roles" }
      : {
          permission,
          required: false,
          status: "missing",
          reads: [reads],
          detail: "Not in the token's roles; nothing fails without it today",
          fix: fixFor(permission, consentUrl),
        };
  });
  return [...required, ...optional];
}

export function summariseLicences(probes: readonly ProbeResult[]): LicenceResult[] {
  // The facts whose endpoints need Entra ID P1 (the registration report, the sign-ins).
  const premium = probes.filter((p) => FACTS[p.fact].premium);
  if (premium.some((p) => p.outcome === "granted")) {
    return [{ licence: "Entra ID P1", status: "present", detail: "Graph served the registration report or sign-ins" }];
  }
  if (premium.some((p) => p.outcome === "unlicensed")) {
    return [
      {
        licence: "Entra ID P1",
        status: "absent",
        detail: "Graph answered the premium-licence error: the mfa-registration report and the sign-ins check are skipped for this tenant",
      },
    ];
  }
  return [{ licence: "Entra ID P1", status: "unknown", detail: "The requests that need it were refused or failed, so the licence could not be seen" }];
}

export function verdict(token: TokenResult, permissions: readonly PermissionResult[], probes: readonly ProbeResult[]): { ok: boolean; summary: string } {
  if (!token.ok) return { ok: false, summary: `No token for the tenant${token.aadsts ? ` (AADSTS${token.aadsts})` : ""}: ${token.fix}` };
  const required = permissions.filter((p) => p.required);
  const missing = required.filter((p) => p.status === "missing");
  const unknown = required.filter((p) => p.status === "unknown");
  if (missing.length > 0 && probes.length > 0 && probes.every((p) => p.outcome === "missing")) {
    return {
      ok: false,
      summary: "Graph refused every request: the app most likely has no admin consent in this tenant (or it was revoked); grant admin consent",
    };
  }
  if (missing.length > 0)
    return { ok: false, summary: `${missing.length} permission${missing.length === 1 ? "" : "s"} missing: ${missing.map((p) => p.permission).join(", ")}` };
  if (unknown.length > 0) return { ok: false, summary: `Could not verify ${unknown.map((p) => p.permission).join(", ")}` };
  const notVerifiable = required.filter((p) => p.status === "not-verifiable");
  return {
    ok: true,
    summary:
      notVerifiable.length > 0
        ? `Every permission the checks can use is granted (${notVerifiable.map((p) => p.permission).join(", ")} not verifiable without Entra ID P1)`
        : "Every permission the checks need is granted",
  };
}
