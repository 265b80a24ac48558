/**
 * Between runs, for the facts read only when due (lib/graph/facts/due.ts): what the last recorded
 * run hands the collector (`previousRun`: the state's memory, each such fact's last value and when
 * it was read), and what this run leaves for the next (`observedAfter`, kept in the state row).
 * Pure: the state, the snapshot and the time are inputs.
 *
 * Where the values live: the sign-in contexts and the named locations in the state's `observed`
 * memory (bounded); the registration report in the latest snapshot, exactly as it was read (only a
 * successful read or a licence answer is carried; any other failure is read again), its read time
 * in `observed`.
 */
import { z } from "zod";
import type { PreviousReads, PreviousRun } from "../graph/facts/due.js";
import { missingLocationIds } from "../graph/facts/named-locations.js";
import type { TenantFacts } from "../model/facts.js";
import type { ObservedState } from "../model/observed.js";
import type { Snapshot, TenantState } from "../model/state.js";

const detailsSchema = z.object({
  isMfaRegistered: z.boolean(),
  isMfaCapable: z.boolean().nullable(),
  methodsRegistered: z.array(z.string()),
  lastUpdatedDateTime: z.string().nullable(),
});

const carriedSchema = z.union([
  z.object({ ok: z.literal(true), value: detailsSchema }),
  z.object({
    ok: z.literal(false),
    code: z.literal("unlicensed"),
    reason: z.string(),
    permission: z.string().optional(),
    httpStatus: z.number().optional(),
  }),
]);

/** The report as the latest snapshot stored it, when it is worth carrying (its carried mark, if any, dropped). */
function carriedReport(snapshot: Pick<Snapshot, "facts"> | undefined): TenantFacts["registrationDetails"] | undefined {
  const stored: unknown = (snapshot?.facts as Record<string, unknown> | undefined)?.registrationDetails;
  const parsed = carriedSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** What the last run stored, as the facts' `due` reads it; null when the tenant has no state yet. */
export function previousRun(state: TenantState | undefined, snapshot: Pick<Snapshot, "facts"> | undefined): PreviousRun | null {
  if (!state) return null;
  const o = state.observed;
  const reads: { -readonly [K in keyof PreviousReads]: PreviousReads[K] } = {};
  if (o?.contextsReadAt) {
    const fact =
      o.contextsUnlicensed !== null
        ? { ok: false as const, code: "unlicensed" as const, reason: o.contextsUnlicensed }
        : { ok: true as const, value: o.contexts };
    reads.signInContexts = { fact, readAt: o.contextsReadAt };
  }
  if (o?.locations) reads.namedLocations = { fact: { ok: true, value: o.locations }, readAt: o.locationsReadAt ?? state.updatedAt };
  const report = carriedReport(snapshot);
  if (report) reads.registrationDetails = { fact: report, readAt: o?.registrationReportReadAt ?? state.updatedAt };
  return { tenantId: state.tenantId, at: state.updatedAt, methods: state.methods, ...(o ? { observed: o } : {}), reads };
}

/** Read this run: neither carried nor left unasked (a dependency failure says nothing about the fact itself). */
const readNow = (fact: { readonly ok: boolean; readonly code?: string; readonly carried?: unknown }): boolean => !fact.carried && fact.code !== "dependency";

type Kept = Omit<ObservedState, "whatIf">;

function contextsAfter(facts: TenantFacts, previous: ObservedState | undefined, now: Date): Pick<Kept, "contextsReadAt" | "contextsUnlicensed" | "contexts"> {
  const fact = facts.signInContexts;
  const kept = previous?.contextsUnlicensed === null ? previous.contexts : [];
  if (!readNow(fact)) {
    return {
      contextsReadAt: previous?.contextsReadAt ?? null,
      contextsUnlicensed: previous?.contextsUnlicensed ?? null,
      contexts: fact.ok ? [...fact.value] : kept,
    };
  }
  // The collector folded the contexts read into the ones kept (lib/graph/facts/sign-in-contexts.ts).
  if (fact.ok) return { contextsReadAt: now.toISOString(), contextsUnlicensed: null, contexts: [...fact.value] };
  if (fact.code === "unlicensed") return { contextsReadAt: now.toISOString(), contextsUnlicensed: fact.reason, contexts: [] };
  // Refused or failed: nothing learned; due again next run.
  return { contextsReadAt: null, contextsUnlicensed: null, contexts: [...kept] };
}

function locationsAfter(
  facts: TenantFacts,
  previous: ObservedState | undefined,
  now: Date,
): Pick<Kept, "locationsReadAt" | "locations" | "locationsUnknownIds"> {
  const fact = facts.namedLocations;
  if (readNow(fact) && fact.ok) {
    return {
      locationsReadAt: now.toISOString(),
      locations: fact.value.map((l) => ({ ...l, cidrs: [...l.cidrs], countries: [...l.countries] })),
      locationsUnknownIds: missingLocationIds(facts.conditionalAccessPolicies, fact.value).slice(0, 200),
    };
  }
  const unknownIds = previous?.locationsUnknownIds;
  return {
    locationsReadAt: previous?.locationsReadAt ?? null,
    locations: previous?.locations ?? null,
    ...(unknownIds ? { locationsUnknownIds: unknownIds } : {}),
  };
}

/** What the state keeps for the next run of the facts read only when due (What If's memory is lib/runner/what-if.ts's). */
export function observedAfter(facts: TenantFacts, previous: ObservedState | undefined, now: Date): Kept {
  const report = facts.registrationDetails;
  const reportRead = readNow(report) && (report.ok || report.code === "unlicensed");
  const reportReadAt = reportRead ? now.toISOString() : previous?.registrationReportReadAt;
  return {
    ...contextsAfter(facts, previous, now),
    ...locationsAfter(facts, previous, now),
    ...(reportReadAt ? { registrationReportReadAt: reportReadAt } : {}),
  };
}
