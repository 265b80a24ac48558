/**
 * When a run reads the MFA registration report. The report costs a request from the tightest
 * budget Graph has (identity and access reports: 5 per 10 s per tenant, 122 per 10 s for the app
 * across all tenants), and everything it says — registered methods, MFA capable — follows from
 * the account's methods list, which every run reads anyway. So a run reads it:
 *
 * - on the first run, or when the methods list has never been readable (the report is then the
 *   `mfa-registration` check's fallback);
 * - once per `REGISTRATION_REPORT_HOURS` period, each tenant at its own offset in the period so the
 *   estate's reads spread over it instead of landing in one run;
 * - after the batches, when the methods list changed since the last run or could not be read.
 *
 * Otherwise the value last read is carried over from the latest snapshot, exactly as it was read:
 * the facts digest, the evidence the check prints and its verdict stay what a read would have
 * given. Only a successful read or a licence answer is carried; any other failure is read again.
 */
import { z } from "zod";
import type { RegistrationReportOption } from "../graph/collect.js";
import type { TenantFacts } from "../model/facts.js";
import type { RegisteredMethod, Snapshot, TenantState } from "../model/state.js";
import { periodOf } from "./periods.js";

type ReportDecision = { readonly read: true; readonly reason: string } | { readonly read: false };

/** Decided from the stored state alone, before anything is collected (pure). */
export function registrationReportDue(tenantId: string, previous: TenantState | undefined, now: Date, hours: number): ReportDecision {
  if (!previous) return { read: true, reason: "first run" };
  if (previous.methods === null) return { read: true, reason: "the methods list has not been read yet" };
  if (!previous.lastSnapshotId) return { read: true, reason: "no snapshot to carry the last report from" };
  if (periodOf(tenantId, now.getTime(), hours) !== periodOf(tenantId, Date.parse(previous.updatedAt), hours)) {
    return { read: true, reason: `due (every ${hours} h)` };
  }
  return { read: false };
}

function methodKey(m: { readonly id: string; readonly type: string }): string {
  return `${m.type}|${m.id}`;
}

/** True when the methods now differ from the ones stored, or cannot be compared. */
export function methodsChanged(previous: readonly RegisteredMethod[] | null, now: TenantFacts["authMethods"]): boolean {
  if (!now.ok || previous === null) return true;
  const before = new Set(previous.map(methodKey));
  return now.value.length !== before.size || now.value.some((m) => !before.has(methodKey(m)));
}

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

/** The report as the latest snapshot stored it, when it is worth carrying. */
export function carriedReport(snapshot: Pick<Snapshot, "facts"> | undefined): TenantFacts["registrationDetails"] | undefined {
  const stored: unknown = (snapshot?.facts as Record<string, unknown> | undefined)?.registrationDetails;
  const parsed = carriedSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

interface ReportPlanInput {
  readonly tenantId: string;
  readonly previous: TenantState | undefined;
  readonly now: Date;
  readonly hours: number;
  /** Reads the latest snapshot (one Table read), only when the report is to be skipped. */
  readonly snapshot: (id: string) => Promise<Pick<Snapshot, "facts"> | undefined>;
}

/** The collector's option for this run. */
export async function planRegistrationReport(input: ReportPlanInput): Promise<RegistrationReportOption> {
  const due = registrationReportDue(input.tenantId, input.previous, input.now, input.hours);
  if (due.read || !input.previous?.lastSnapshotId) return { mode: "read" };
  const carried = carriedReport(await input.snapshot(input.previous.lastSnapshotId));
  if (!carried) return { mode: "read" };
  const methods = input.previous.methods;
  return { mode: "skip", carried, readIf: (now) => methodsChanged(methods, now) };
}
