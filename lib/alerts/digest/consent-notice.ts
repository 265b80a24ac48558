/**
 * The once-per-upgrade consent summary. When a version needs a permission the estate was not told
 * about yet (the required set grew past the one last summarised), the digest says once "N tenants
 * need X granted" for each new permission some tenant lacks. It waits until every recently checked,
 * enabled tenant has been compared with this version's set (its consent result says which set),
 * so the counts are whole; a tenant not checked for two days (late, broken) does not hold it up.
 * The last summarised set is a stored marker (lib/store/monitor/consent-marker.ts). Pure.
 */
import { comparedWith } from "../../checks/consent/gap.js";
import type { Report } from "../../model/report.js";
import { consentLines, needsText, permissionNeeds, type ConsentLine } from "../../status/consent.js";

const STALE_MS = 48 * 3_600_000;

export interface ConsentNoticeInput {
  /** The set last summarised (null: never: an estate upgraded from a version without the marker). */
  readonly summarised: readonly string[] | null;
  readonly required: readonly string[];
  readonly tenants: readonly { readonly tenantId: string; readonly displayName: string; readonly enabled: boolean }[];
  readonly reportOf: (tenantId: string) => Report | undefined;
  readonly now: Date;
}

interface ConsentDecision {
  /** Record `required` as summarised (nothing new, or the notice below goes out now). */
  readonly record: boolean;
  /** The sentences to send, one per new permission some tenant lacks; empty: nothing to say. */
  readonly lines: readonly string[];
  readonly tenants: readonly ConsentLine[];
}

const WAIT: ConsentDecision = { record: false, lines: [], tenants: [] };

export function consentNotice(input: ConsentNoticeInput): ConsentDecision {
  const before = new Set(input.summarised ?? []);
  const added = input.required.filter((p) => !before.has(p));
  if (added.length === 0) return { record: input.summarised === null || input.summarised.length !== input.required.length, lines: [], tenants: [] };
  const current = [...input.required].sort().join(", ");
  const recent = input.tenants.filter((t) => {
    const report = input.reportOf(t.tenantId);
    return t.enabled && report !== undefined && input.now.getTime() - Date.parse(report.checkedAt) < STALE_MS;
  });
  const compared = recent.every((t) => comparedWith(input.reportOf(t.tenantId)?.checks.find((c) => c.id === "consent")) === current);
  if (!compared) return WAIT;
  const addedSet = new Set(added);
  const lacking = consentLines(recent, input.reportOf)
    .map((l) => ({ ...l, missing: l.missing.filter((p) => addedSet.has(p)) }))
    .filter((l) => l.missing.length > 0);
  return { record: true, lines: needsText(permissionNeeds(lacking)), tenants: lacking };
}
