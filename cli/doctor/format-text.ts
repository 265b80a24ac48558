/** The doctor's report for a person: verdicts first, the fix under each problem, the raw requests last. */
import type { DoctorReport, PermissionStatus } from "./types.js";
import { safeStrings } from "../../lib/text/safe.js";

const MARK: Readonly<Record<PermissionStatus, string>> = {
  granted: "ok     ",
  missing: "MISSING",
  "not-verifiable": "n/a    ",
  unknown: "?      ",
};

/** Graph's answers and the account are tenant text: every value on one line, controls and bidi as visible escapes. */
export function formatDoctorText(raw: DoctorReport): string {
  const r = safeStrings(raw);
  const lines: string[] = [`Drift Monitor doctor: tenant ${r.tenantId}`, ""];
  if (r.token.ok) {
    lines.push(`Token        acquired${r.token.roles ? `; consented application permissions: ${r.token.roles.join(", ") || "(none)"}` : ""}`);
  } else {
    lines.push(`Token        FAILED${r.token.aadsts ? ` (AADSTS${r.token.aadsts})` : ""}: ${r.token.message}`, `             fix: ${r.token.fix}`);
  }
  if (r.account) {
    const state =
      r.account.found === true
        ? `found (${r.account.id ?? "?"})`
        : r.account.found === false
          ? "NOT FOUND (Graph answered 404): the account check fails until it exists"
          : "not read";
    lines.push(`Account      ${r.account.ref}: ${state}`);
  } else {
    lines.push("Account      none given: per-account requests used a placeholder id (a 404 still proves the permission)");
  }
  lines.push("", "Permissions");
  const width = Math.max(...r.permissions.map((p) => p.permission.length));
  for (const p of r.permissions) {
    // An optional permission that is absent is a note, not a problem: no MISSING, no fix.
    const mark = !p.required && p.status === "missing" ? "-      " : MARK[p.status];
    lines.push(`  ${mark}  ${p.permission.padEnd(width)}  ${p.required ? "" : "(optional) "}${p.detail}`);
    if (p.fix && p.required) lines.push(`           fix: ${p.fix}`);
  }
  lines.push("", "Licences");
  // An absent licence's detail opens with "not licensed (needs …)", naming it as it is bought.
  for (const l of r.licences) lines.push(`  ${l.licence}: ${l.status === "absent" ? l.detail : `${l.status}. ${l.detail}`}`);
  if (r.probes.length > 0) {
    lines.push("", "Requests (each sent alone)");
    for (const p of r.probes) lines.push(`  ${String(p.httpStatus ?? "---").padEnd(4)}${p.outcome.padEnd(11)}${p.request}`);
  }
  if (r.consentUrl && !r.ok) lines.push("", `Admin consent link for this tenant: ${r.consentUrl}`);
  lines.push("", `${r.ok ? "OK" : "NOT READY"}: ${r.summary}`, "");
  return lines.join("\n");
}
