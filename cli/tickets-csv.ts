/**
 * The tenant → PSA company mapping as CSV (`drift-monitor tickets map import`): a header naming
 * `tenantId`, `psa` (connectwise, autotask or halo) and `companyId` and/or `companyName` (any
 * order, case-insensitive), then one tenant per row. Validated as a whole, pure: every bad row is
 * reported with its line, and nothing is imported unless every row is good.
 */
import { tenantMappingSchema, type TenantMapping } from "../lib/tickets/store.js";
import { safeText } from "../lib/text/safe.js";
import { splitCsv } from "./tenants-csv.js";

const COLUMNS = ["tenantId", "psa", "companyId", "companyName"] as const;
type Column = (typeof COLUMNS)[number];

type Result =
  { readonly ok: true; readonly mappings: readonly TenantMapping[] } | { readonly ok: false; readonly problems: readonly { line: number; message: string }[] };

export function parseMappingCsv(text: string): Result {
  const split = splitCsv(text);
  if (split.problems.length > 0) return { ok: false, problems: split.problems };
  const [header, ...rows] = split.records;
  if (!header) return { ok: false, problems: [{ line: 0, message: `the file is empty: the header is ${COLUMNS.join(",")}` }] };
  const columns = header.fields.map((f) => COLUMNS.find((c) => c.toLowerCase() === f.trim().toLowerCase()));
  const unknown = header.fields.filter((_f, i) => columns[i] === undefined);
  if (unknown.length > 0 || !columns.includes("tenantId") || !columns.includes("psa")) {
    const known = `the header is ${COLUMNS.join(",")} (tenantId and psa required, companyId or companyName per row)`;
    const message = unknown.length > 0 ? `${known}; unknown: ${safeText(unknown.join(", "))}` : known;
    return { ok: false, problems: [{ line: header.line, message }] };
  }
  const problems: { line: number; message: string }[] = [];
  const mappings: TenantMapping[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const raw: Partial<Record<Column, string>> = {};
    columns.forEach((c, i) => {
      const v = row.fields[i]?.trim();
      if (c && v) raw[c] = v;
    });
    const parsed = tenantMappingSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ line: row.line, message: parsed.error.issues.map((i) => i.message).join("; ") });
      continue;
    }
    const before = seen.get(parsed.data.tenantId);
    if (before !== undefined) problems.push({ line: row.line, message: `tenant ${parsed.data.tenantId} is mapped already on line ${before}` });
    seen.set(parsed.data.tenantId, row.line);
    mappings.push(parsed.data);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mappings };
}
