/**
 * Severity to a PSA priority id. Priority ids are each PSA's own list, editable by the MSP, so
 * the defaults below are the lists a new instance starts with and every vendor's map is settable
 * (PSA_<VENDOR>_PRIORITIES="now=1,soon=2,notice=3"). Pure.
 */
import { SEVERITIES, type PsaVendor, type Severity } from "./types.js";

export type PriorityMap = Readonly<Record<Severity, number>>;

/**
 * None of these lists is published with fixed ids (ConnectWise priorities, Autotask's `priority`
 * picklist, read at GET /Tickets/entityInformation/fields, and Halo's priorities are all edited per
 * instance), so the defaults are guesses at a new instance and docs/tickets.md tells the operator
 * to set the map: ConnectWise 1-3 as the first three; Autotask 4 Critical, 1 High, 3 Low (the
 * picklist community clients show); Halo 1 Critical, 2 High, 4 Low.
 */
export const DEFAULT_PRIORITIES: Readonly<Record<PsaVendor, PriorityMap>> = {
  connectwise: { now: 1, soon: 2, notice: 3 },
  autotask: { now: 4, soon: 1, notice: 3 },
  halo: { now: 1, soon: 2, notice: 4 },
};

export const priorityFor = (map: PriorityMap, severity: Severity): number => map[severity];

/** "now=1,soon=2,notice=3" over `base`: every key a severity, every value a positive whole number. */
export function parsePriorityMap(text: string, base: PriorityMap): PriorityMap | string {
  const out: Record<Severity, number> = { ...base };
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const m = /^([a-z]+)\s*=\s*(\d{1,9})$/i.exec(part);
    const severity = SEVERITIES.find((s) => s === m?.[1]?.toLowerCase());
    if (!m || !severity || Number(m[2]) < 1)
      return `"${part}" is not severity=priority-id (severities: ${SEVERITIES.join(", ")}; ids are whole numbers from 1)`;
    out[severity] = Number(m[2]);
  }
  return out;
}
