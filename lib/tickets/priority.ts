/**
 * A finding's severity as the priority of a ticket in the MSP's PSA. Priorities are records of each
 * PSA instance (ConnectWise Manage's service priorities, Autotask's Tickets.priority picklist,
 * HaloPSA's priorities): their ids differ per instance, so the defaults name the priorities each
 * vendor ships, and each PSA's mapping can be replaced by a setting that names them by id or name.
 * The PSA client resolves a name to its instance's id. Pure: settings text in, a priority out.
 */
import { z } from "zod";
import { SEVERITIES, type Severity } from "../checks/severity.js";

export const PSA_KINDS = ["connectwise", "autotask", "halopsa"] as const;
export type PsaKind = (typeof PSA_KINDS)[number];

/** A priority by the PSA's own id, or by its name (the client looks the id up). */
export type PriorityRef = { readonly id: number } | { readonly name: string };
export type PriorityMap = Readonly<Record<Severity, PriorityRef>>;

/** The priorities each PSA ships with; an instance that renamed them sets its own (parsePriorityMap). */
export const DEFAULT_PRIORITIES: Readonly<Record<PsaKind, PriorityMap>> = {
  connectwise: {
    now: { name: "Priority 1 - Emergency Response" },
    soon: { name: "Priority 2 - Quick Response" },
    notice: { name: "Priority 3 - Normal Response" },
  },
  autotask: { now: { name: "Critical" }, soon: { name: "High" }, notice: { name: "Medium" } },
  halopsa: { now: { name: "Critical" }, soon: { name: "High" }, notice: { name: "Medium" } },
};

/** The priority of a ticket about a finding of this severity, from the PSA's configured mapping (or its defaults). */
export function priorityFor(psa: PsaKind, severity: Severity, configured?: Partial<PriorityMap>): PriorityRef {
  return configured?.[severity] ?? DEFAULT_PRIORITIES[psa][severity];
}

const entrySchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^[a-z]+\s*=\s*\S.*$/, "each entry is severity=priority, e.g. now=1 or now=Priority 1 - Emergency Response"));

const severitySchema = z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(", ")}` });

/**
 * A setting such as `now=8; soon=Priority 2 - Quick Response`: entries separated by `;`, a whole
 * number is an id, anything else a name. Severities left out keep the PSA's default.
 */
export function parsePriorityMap(text: string): { ok: true; map: Partial<PriorityMap> } | { ok: false; message: string } {
  const map: Partial<Record<Severity, PriorityRef>> = {};
  for (const raw of text.split(";").filter((e) => e.trim() !== "")) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) return { ok: false, message: `"${raw.trim()}": ${entry.error.issues[0]?.message ?? "invalid"}` };
    const at = entry.data.indexOf("=");
    const severity = severitySchema.safeParse(entry.data.slice(0, at).trim());
    if (!severity.success) return { ok: false, message: `"${entry.data}": ${severity.error.issues[0]?.message ?? "unknown severity"}` };
    if (map[severity.data]) return { ok: false, message: `"${severity.data}" is given twice` };
    const value = entry.data.slice(at + 1).trim();
    map[severity.data] = /^\d{1,9}$/.test(value) ? { id: Number(value) } : { name: value };
  }
  return { ok: true, map };
}
