/**
 * The estate as the dashboard lists it: one row per tenant built from the status read model
 * (read-model.ts), rolled up from its accounts (the worst account's status, every account's
 * checks and findings), the tenants that need a look first (drifted, unknown or unreadable, late,
 * warning), filtered by status, check and profile (any account's), searched by name, id or an
 * account's domain, and cut into pages on the server. The counts count accounts too. Pure, and linear in the estate, so 10,000 tenants are listed
 * in milliseconds (bench/dashboard.ts measures it); only the page shown is rendered.
 */
import { z } from "zod";
import { CHECK_IDS } from "../checks/registry.js";
import type { EstateRead } from "./read-model.js";
import { monitorPartition, type AccountKind } from "../model/account.js";
import { accountStatusOf, earliest, worstStatus } from "./accounts.js";

/** What a row can be filtered by: the statuses of views.ts, and `late` / `warning` (a compliant or any tenant whose checks are late / warn). */
export const ESTATE_FILTERS = ["drifted", "unknown", "unreadable", "late", "warning", "not-checked", "compliant"] as const;
export type EstateFilter = (typeof ESTATE_FILTERS)[number];
type RowStatus = "compliant" | "drifted" | "unknown" | "not-checked" | "unreadable";

/** One account of a row: its kind and its own status. */
export interface EstateAccount {
  readonly key: string;
  readonly ref: string;
  readonly kind: AccountKind;
  readonly status: RowStatus;
}

export interface EstateRow {
  readonly tenantId: string;
  readonly displayName: string;
  /** Its accounts' domains, space-separated: what an operator searches a customer by. */
  readonly domain: string;
  /** Its accounts' profiles, each once. */
  readonly profiles: readonly string[];
  /** In the registration's order. */
  readonly accounts: readonly EstateAccount[];
  readonly enabled: boolean;
  readonly status: RowStatus;
  readonly lateSince: string | null;
  readonly warnings: number;
  /** Checks that fail or could not be judged, in the report's order, of every account (stored ids: a retired check's too). */
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

/** A UPN's domain; an object id has none. */
const domainOf = (ref: string): string => (ref.includes("@") ? ref.slice(ref.lastIndexOf("@") + 1).toLowerCase() : "");

const once = <T>(values: readonly T[]): T[] => [...new Set(values)];

export function estateRows(read: EstateRead): EstateRow[] {
  return read.tenants.map((t) => {
    const accounts = t.accounts.map((a) => {
      const id = monitorPartition(t.tenantId, a.key);
      const state = read.stateOf.get(id);
      const status: RowStatus = accountStatusOf(state, read.unreadableStateOf.has(id));
      return { account: a, state, status, open: state?.findings.filter((f) => f.status === "open") ?? [], dead: read.deadLetteredOf.get(id)?.length ?? 0 };
    });
    const status = worstStatus(accounts.map((a) => a.status));
    const checks = accounts.flatMap((a) => a.state?.lastReport.checks ?? []);
    const ids = (wanted: readonly string[]) => once(checks.filter((c) => wanted.includes(c.status)).map((c) => c.id));
    const open = accounts.flatMap((a) => a.open);
    const checkedAll = accounts.every((a) => a.state !== undefined);
    return {
      tenantId: t.tenantId,
      displayName: t.displayName,
      domain: once(t.accounts.map((a) => domainOf(a.ref)).filter((d) => d !== "")).join(" "),
      profiles: once(t.accounts.map((a) => a.profile)),
      accounts: accounts.map((a) => ({ key: a.account.key, ref: a.account.ref, kind: a.account.kind, status: a.status })),
      enabled: t.enabled,
      status,
      lateSince: earliest(accounts.map((a) => a.state?.lateSince)),
      warnings: accounts.reduce((n, a) => n + (a.state?.lastReport.warnings ?? 0), 0),
      failingChecks: ids(["fail", "unknown"]),
      attentionChecks: ids(["fail", "warn", "unknown"]),
      openFindings: open.length,
      since:
        status === "drifted"
          ? earliest(open.map((f) => f.since))
          : status === "unknown"
            ? earliest(accounts.filter((a) => a.status === "unknown").map((a) => a.state?.unknownSince))
            : null,
      // The oldest account's last check: the tenant is as fresh as its stalest account.
      lastChecked: checkedAll ? earliest(accounts.map((a) => a.state?.lastReport.checkedAt)) : null,
      deadLettered: accounts.reduce((n, a) => n + a.dead, 0),
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

/** Tenants by filter and in all; `accounts`: their monitored accounts, in all, by kind and by status. */
export type EstateCounts = Readonly<Record<EstateFilter, number>> & {
  readonly total: number;
  readonly accounts: { readonly total: number; readonly byKind: Readonly<Record<AccountKind, number>>; readonly byStatus: Readonly<Record<RowStatus, number>> };
};

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
  const byKind: Record<AccountKind, number> = { connection: 0, "emergency-access": 0 };
  const byStatus: Record<RowStatus, number> = { compliant: 0, drifted: 0, unknown: 0, "not-checked": 0, unreadable: 0 };
  let accounts = 0;
  for (const row of rows) {
    for (const f of ESTATE_FILTERS) if (matches(row, f)) counts[f]++;
    for (const a of row.accounts) {
      accounts++;
      byKind[a.kind]++;
      byStatus[a.status]++;
    }
  }
  return { ...counts, total: rows.length, accounts: { total: accounts, byKind, byStatus } };
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
      (!query.profile || r.profiles.includes(query.profile)) &&
      (!needle || r.displayName.toLowerCase().includes(needle) || r.tenantId.toLowerCase().includes(needle) || r.domain.includes(needle)),
  );
  filtered.sort(byAttention);
  const pages = Math.max(1, Math.ceil(filtered.length / query.size));
  const page = Math.min(query.page, pages);
  return {
    counts: countRows(rows),
    profiles: once(rows.flatMap((r) => r.profiles)).sort(),
    matching: filtered.length,
    page,
    pages,
    rows: filtered.slice((page - 1) * query.size, page * query.size),
  };
}
