/**
 * From the probes' answers to the verdict per permission and licence, and the exit decision.
 * Pure. A permission is granted only when every request that needs it was answered; a licence
 * wall hides whether it is granted, so it is "not verifiable", which is not a fault: without
 * Entra ID P1 the checks that need it are skipped anyway, and without Entra ID P2 (PIM) admin-role
 * judges the active assignments alone.
 */
import { FACTS, FACT_KEYS, licenceNeeded, type Licence } from "../../lib/graph/facts/index.js";
import { OPTIONAL_PERMISSIONS, requiredPermissions } from "./probes.js";
import type { LicenceResult, PermissionResult, ProbeResult, TokenResult } from "./types.js";

function fixFor(permission: string, consentUrl: string | undefined): string {
  const consent = consentUrl ?? "the link `drift-monitor consent-url --tenant <id>` prints";
  return (
    `Add the Microsoft Graph application permission ${permission} to the app registration (API permissions → Add a permission → Microsoft Graph → ` +
    `Application permissions), then have a Global Administrator of this tenant grant admin consent: ${consent}`
  );
}

/** The What If probe's answer (a POST, not a fact's read): its HTTP status, or why there was none. */
export type WhatIfProbeAnswer = { readonly status: number } | { readonly error: string };

export function summarisePermissions(
  probes: readonly ProbeResult[],
  token: TokenResult,
  consentUrl: string | undefined,
  whatIf?: WhatIfProbeAnswer,
): PermissionResult[] {
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
        detail: `The tenant has no ${missingLicences(mine)}, so Graph answers the licence error before it looks at the permission`,
      };
    }
    const granted = mine.filter((p) => p.outcome === "granted").length;
    const unlicensed = mine.filter((p) => p.outcome === "unlicensed");
    const notLicensed = unlicensed.map((p) => `; ${p.reads}: not licensed (needs ${licenceNeeded(FACTS[p.fact].licence ?? "Entra ID P1")})`).join("");
    return { permission, required: true, status: "granted", reads, detail: `Graph answered ${granted} request${granted === 1 ? "" : "s"}${notLicensed}` };
  });
  // Optional permissions: a refusal of the What If probe says missing; else the token's roles, when it lists them; else the probe's answer.
  const optional = OPTIONAL_PERMISSIONS.map(({ permission, reads }): PermissionResult => {
    const roles = token.ok ? token.roles : undefined;
    const probed = whatIf && "status" in whatIf ? whatIf.status : undefined;
    if (probed === 401 || probed === 403) {
      const detail = `Graph refused the What If probe (${probed}); the what-if cross-check is skipped without it`;
      return { permission, required: false, status: "missing", reads: [reads], detail, fix: fixFor(permission, consentUrl) };
    }
    if (!roles && probed !== undefined && probed >= 200 && probed < 300)
      return { permission, required: false, status: "granted", reads: [reads], detail: `Graph answered the What If probe ${probed}` };
    if (!roles) {
      const why = whatIf ? ("error" in whatIf ? whatIf.error : `Graph answered the What If probe ${whatIf.status}`) : "Not probed";
      return { permission, required: false, status: "unknown", reads: [reads], detail: `${why}, and the token does not list its roles` };
    }
    return roles.includes(permission)
      ? { permission, required: false, status: "granted", reads: [reads], detail: "In the token's roles" }
      : {
          permission,
          required: false,
          status: "missing",
          reads: [reads],
          detail: "Not in the token's roles; the what-if cross-check is skipped without it",
          fix: fixFor(permission, consentUrl),
        };
  });
  return [...required, ...optional];
}

/** What the checks lose in a tenant without the licence. */
const WITHOUT_LICENCE: Readonly<Record<Licence, string>> = {
  "Entra ID P1": "the mfa-registration report and the sign-ins check are skipped for this tenant",
  "Entra ID P2": "admin-role still judges the active assignments; only its hint that a role is merely PIM-eligible is unavailable",
  "Entra ID P2 (Identity Protection)": "the user-risk check is skipped, and a user-risk Conditional Access policy stays conditional",
};

/** The licences the probed facts need, each once: P1, then P2. */
function licencesOf(probes: readonly Pick<ProbeResult, "fact">[]): Licence[] {
  return [...new Set(probes.flatMap((p) => FACTS[p.fact].licence ?? []))].sort();
}

/** Every licence a fact needs, each once: P1, then P2. */
const LICENCES: readonly Licence[] = licencesOf(FACT_KEYS.map((fact) => ({ fact })));

export function summariseLicences(probes: readonly ProbeResult[], tried = true): LicenceResult[] {
  return LICENCES.map((licence): LicenceResult => {
    if (!tried) return { licence, status: "unknown", detail: "Not tried: no token" };
    const needing = probes.filter((p) => FACTS[p.fact].licence === licence);
    const reads = needing.map((p) => p.reads).join(" or ");
    if (needing.some((p) => p.outcome === "granted")) return { licence, status: "present", detail: `Graph served ${reads}` };
    if (needing.some((p) => p.outcome === "unlicensed")) {
      const answered = needing.find((p) => p.outcome === "unlicensed")?.httpStatus;
      const error = `Graph answered the licence error${answered ? ` (${answered})` : ""}`;
      return { licence, status: "absent", detail: `not licensed (needs ${licenceNeeded(licence)}): ${error}; ${WITHOUT_LICENCE[licence]}` };
    }
    return { licence, status: "unknown", detail: `The requests that need it (${reads}) were refused or failed, so the licence could not be seen` };
  });
}

/** The licences whose absence hid some of these permissions, as the operator buys them. */
function missingLicences(probes: readonly ProbeResult[]): string {
  return licencesOf(probes.filter((p) => p.outcome === "unlicensed"))
    .map(licenceNeeded)
    .join(" / ");
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
  const hidden = probes.filter((p) => notVerifiable.some((n) => n.permission === p.permission));
  const names = notVerifiable.map((p) => p.permission).join(", ");
  const summary =
    notVerifiable.length > 0
      ? `Every permission the checks can use is granted (${names} not verifiable without ${missingLicences(hidden)})`
      : "Every permission the checks need is granted";
  const unlicensed = missingLicences(probes);
  // A licence gap is not a fault: the checks that need it are skipped, or (PIM) judge without it.
  return { ok: true, summary: unlicensed ? `${summary}; not licensed: ${unlicensed}` : summary };
}
