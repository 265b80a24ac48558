/**
 * The estate as the dashboard lists it: one row per tenant built from the status read model
 * (read-model.ts), the tenants that need a look first (drifted, unknown or unreadable, late,
 * warning), filtered by status, check and profile, searched by name, id or the account's domain,
 * and cut into pages on the server. Pure, and linear in the estate, so 10,000 tenants are listed
 * in milliseconds (bench/dashboard.ts measures it); only the page shown is rendered.
 */
import { effectiveStatus } from "../drift/standing.js";
import { z } from "zod";
import { CHECK_IDS } from "../checks/registry.js";
import type { EstateRead } from "./read-model.js";

/** What a row can be filtered by: the statuses of views.ts, and `late` / `warning` (a compliant or any tenant whose checks are late / warn). */
export const ESTATE_FILTERS = ["drifted", "unknown", "unreadable", "late", "warning", "not-checked", "compliant"] as const;
export type EstateFilter = (typeof ESTATE_FILTERS)[number];
type RowStatus = "compliant" | "drifted" | "unknown" | "not-checked" | "unreadable";

export interface EstateRow {
  readonly tenantId: string;
  readonly displayName: string;
  /** The connection account's domain: what an operator searches a customer by. */
  readonly domain: string;
  readonly profile: string;
  readonly enabled: boolean;
  readonly status: RowStatus;
  readonly lateSince: string | null;
  readonly warnings: number;
  /** Checks that fail or could not be judged, in the report's order (stored ids: a retired check's too). */
  readonly failingChecks: readonly string[];
  /** Checks that do not pass (fail, warn, unknown): what the check filter (a known check id) matches. */
  readonly attentionChecks: readonly string[];
  readonly openFindings: number;
  /** Since when it is in its status, as far as the state tells (oldest open finding, unknown streak); null when not known. */
  readonly since: string | null;
  readonly lastChecked: string | null;
  readonly deadLettered: number;
}

/** Lower first: the tenants that need a look head the list. */
function rankOf(row: EstateRow): number {
  if (row.status === "drifted") return 0;
  if (row.status === "unknown" || row.status === "unreadable") return 1;
  if (row.lateSince) return 2;
  if (row.warnings > 0) return 3;
  if (row.status === "not-checked") return 4;
  return 5;
}

const domainOf = (upn: string): string => upn.slice(upn.lastIndexOf("@") + 1).toLowerCase();

const minIso = (values: readonly string[]): string | null => values.reduce<string | null>((min, v) => (min === null || v < min ? v : min), null);

export function estateRows(read: EstateRead): EstateRow[] {
  return read.tenants.map((t) => {
    const state = read.stateOf.get(t.tenantId);
    const unreadable = read.unreadableStateOf.has(t.tenantId);
    const report = state?.lastReport;
    const status: RowStatus = unreadable ? "unreadable" : state ? effectiveStatus(state) : "not-checked";
    const open = state?.findings.filter((f) => f.status === "open") ?? [];
    const checks = report?.checks ?? [];
    return {
      tenantId: t.tenantId,
      displayName: t.displayName,
      domain: domainOf(t.account),
      profile: t.profile,
      enabled: t.enabled,
      status,
      lateSince: state?.lateSince ?? null,
      warnings: report?.warnings ?? 0,
      failingChecks: checks.filter((c) => c.status === "fail" || c.status === "unknown").map((c) => c.id),
      attentionChecks: checks.filter((c) => c.status === "fail" || c.status === "warn" || c.status === "unknown").map((c) => c.id),
      openFindings: open.length,
      since: status === "drifted" ? minIso(open.map((f) => f.since)) : status === "unknown" ? (state?.unknownSince ?? null) : null,
      lastChecked: report?.checkedAt ?? null,
      deadLettered: read.deadLetteredOf.get(t.tenantId)?.length ?? 0,
    };
  });
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** The dashboard's query string, validated: unknown values are refused with what is allowed. */
export const estateQuerySchema = z.object({
  status: z.enum(ESTATE_FILTERS, { error: `status must be one of ${ESTATE_FILTERS.join(", ")}` }).optional(),
  check: z.enum(CHECK_IDS, { error: `check must be one of ${CHECK_IDS.join(", ")}` }).optional(),
  profile: z.string().trim().max(100, { error: "profile is at most 100 characters" }).optional(),
  q: z.string().trim().max(200, { error: "the search is at most 200 characters" }).optional(),
  page: z.coerce.number({ error: "page must be a whole number from 1" }).int({ error: "page must be a whole number from 1" }).min(1).default(1),
  size: z.coerce
    .number()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), { error: `size must be one of ${PAGE_SIZES.join(", ")}` })
    .default(50),
});
export type EstateQuery = z.infer<typeof estateQuerySchema>;

export type EstateCounts = Readonly<Record<EstateFilter, number>> & { readonly total: number };

export interface EstatePage {
  readonly counts: EstateCounts;
  /** Every profile in the estate (for the filter), sorted. */
  readonly profiles: readonly string[];
  /** How many rows match the filters. */
  readonly matching: number;
  readonly page: number;
  readonly pages: number;
  readonly rows: readonly EstateRow[];
}

function matches(row: EstateRow, f: EstateFilter): boolean {
  if (f === "late") return row.lateSince !== null;
  if (f === "warning") return row.warnings > 0;
  return row.status === f;
}

export function countRows(rows: readonly EstateRow[]): EstateCounts {
  const counts = Object.fromEntries(ESTATE_FILTERS.map((f) => [f, 0])) as Record<EstateFilter, number>;
  for (const row of rows) for (const f of ESTATE_FILTERS) if (matches(row, f)) counts[f]++;
  return { ...counts, total: rows.length };
}

/** Drifted, unknown, late and warning first; then by name, then id (stable for paging). */
const collator = new Intl.Collator("en");
export const byAttention = (a: EstateRow, b: EstateRow): number =>
  rankOf(a) - rankOf(b) || collator.compare(a.displayName, b.displayName) || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0);

export function estatePage(rows: readonly EstateRow[], query: EstateQuery): EstatePage {
  const needle = query.q?.toLowerCase();
  const filtered = rows.filter(
    (r) =>
      (query.status === undefined || matches(r, query.status)) &&
      (query.check === undefined || r.attentionChecks.includes(query.check)) &&
      (!query.profile || r.profile === query.profile) &&
      (!needle || r.displayName.toLowerCase().includes(needle) || r.tenantId.toLowerCase().includes(needle) || r.domain.includes(needle)),
  );
  filtered.sort(byAttention);
  const pages = Math.max(1, Math.ceil(filtered.length / query.size));
  const page = Math.min(query.page, pages);
  return {
    counts: countRows(rows),
    profiles: [...new Set(rows.map((r) => r.profile))].sort(),
    matching: filtered.length,
    page,
    pages,
    rows: filtered.slice((page - 1) * query.size, page * query.size),
  };
}
