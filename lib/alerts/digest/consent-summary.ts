/**
 * The digest's consent summary, decided once per growth of the required permission set
 * (consent-notice.ts) and kept for the day in its marker, so a digest sent again that day (another
 * channel, another run) says the same, and the next day's says nothing.
 */
import type { RegisteredTenant } from "../../model/tenant.js";
import type { TenantState } from "../../model/state.js";
import type { ConsentSummaryMark } from "../../store/monitor/consent-marker.js";
import { consentNotice } from "./consent-notice.js";
import { accountOfRow } from "../../status/accounts.js";

export interface DigestConsent {
  /** The permissions this version's checks need (lib/graph/permissions.ts). */
  readonly required: readonly string[];
  readonly marker: { read(): Promise<ConsentSummaryMark | null>; record(mark: ConsentSummaryMark): Promise<ConsentSummaryMark> };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((p) => b.includes(p));

/** The summary's sentences for the digest of `day` ("3 tenants need Domain.Read.All granted"); empty when there is nothing new to say. */
export async function consentSummaryLines(
  consent: DigestConsent,
  input: {
    readonly states: readonly (TenantState & { readonly accountKey?: string | undefined })[];
    readonly tenants: readonly RegisteredTenant[];
    readonly day: string;
    readonly now: Date;
  },
): Promise<readonly string[]> {
  const mark = await consent.marker.read();
  if (mark && mark.day === input.day && sameSet(mark.required, consent.required)) return mark.lines;
  // Consent is the tenant's app's, the same for every account: read from the first account's report.
  const reports = new Map(input.states.filter((s) => accountOfRow(s).key === "").map((s) => [accountOfRow(s).tenantId, s.lastReport]));
  const decision = consentNotice({
    summarised: mark?.required ?? null,
    required: consent.required,
    tenants: input.tenants,
    reportOf: (id) => reports.get(id),
    now: input.now,
  });
  if (!decision.record) return [];
  const stands = await consent.marker.record({ required: consent.required, day: input.day, lines: decision.lines });
  return stands.day === input.day ? stands.lines : [];
}
