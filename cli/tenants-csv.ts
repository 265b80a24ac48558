/**
 * A tenant registry as CSV (`drift-monitor tenants import`): parsed and validated as a whole,
 * pure. Every bad row is reported with its line number and what to fix, so an operator with a
 * thousand-row export fixes everything in one pass; the caller imports nothing unless every row
 * is good.
 *
 * Format: a header row naming the columns (any order, case-insensitive) — `tenantId`,
 * `displayName`, `account` required; `kind` (`connection`, the default, or `emergency-access`),
 * `recipients` (`;`-separated), `profile`, `enabled` optional — then one row per monitored
 * account: a tenant with several accounts has several rows, in the order its accounts are listed,
 * and its displayName, recipients and enabled are given on its first row (later rows repeat them
 * or leave them empty). A row's `profile` defaults to DEFAULT_PROFILE for a connection
 * account, to `emergency-access` for an emergency-access one. RFC 4180 quoting ("a, b", "say ""hi""") is understood, so a display
 * name with a comma survives a spreadsheet round trip.
 *
 * `tenants discover` adds `gdapRoles` and `canConsent` (for people; import ignores them) and
 * `decide`: a row with a `decide` note and no `account` waits for a person and is skipped, listed
 * in `undecided`, not refused; once someone fills in `account`, the row imports.
 */
import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import { tenantRegistrationSchema, type RegisteredTenant } from "../lib/model/tenant.js";
import { DEFAULT_PROFILE_OF_KIND } from "../lib/model/account.js";
import { safeText } from "../lib/text/safe.js";

const REGISTRY_COLUMNS = ["tenantId", "displayName", "account", "kind", "recipients", "profile", "enabled"] as const;
export const DISCOVERY_COLUMNS = ["gdapRoles", "canConsent", "decide"] as const;
const CSV_COLUMNS = [...REGISTRY_COLUMNS, ...DISCOVERY_COLUMNS] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly CsvColumn[] = ["tenantId", "displayName", "account"];

interface CsvProblem {
  /** 1-based line of the file where the offending record starts (0 = the file as a whole). */
  readonly line: number;
  readonly message: string;
}

interface CsvOptions {
  /** The profile of a row that names none (DEFAULT_PROFILE). */
  readonly defaultProfile: string;
  /** The profile names that exist, so a typo is caught before anything is stored. */
  readonly profiles: readonly string[];
}

/** A row `tenants discover` left for a person: no account, and why. */
interface UndecidedRow {
  readonly line: number;
  readonly tenantId: string;
  readonly displayName: string;
  readonly decide: string;
}

/** A tenant as the file registers it (the store keys its accounts), with the line of its first row. */
type ImportedTenant = RegisteredTenant & { readonly line: number };

type CsvResult =
  | {
      readonly ok: true;
      readonly tenants: readonly ImportedTenant[];
      /** Absent when every row is settled. */
      readonly undecided?: readonly UndecidedRow[];
    }
  | { readonly ok: false; readonly problems: readonly CsvProblem[] };

interface Record_ {
  readonly line: number;
  readonly fields: string[];
}

/** What each malformed-quote error of csv-parse means to someone editing a spreadsheet export. */
const QUOTE_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed: add the closing double quote",
  INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with one: quote the whole field and double the inner quotes ("say ""hi""")',
  CSV_INVALID_CLOSING_QUOTE: 'a field has text after its closing quote: quote the whole field and double the inner quotes ("say ""hi""")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a field has text after its closing quote: quote the whole field and double the inner quotes ("say ""hi""")',
};

/** With `info`, csv-parse returns each record beside the counters at its end; its sync types do not say so. */
const parsedRows = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number(), empty_lines: z.number() }) }));
const errorPosition = z.object({ lines: z.number(), bytes_records: z.number() });

/** The 1-based line of the first non-blank character at or after a UTF-8 byte offset. */
function lineAtByte(src: string, byteOffset: number): number {
  const before = Buffer.from(src, "utf8").subarray(0, byteOffset).toString("utf8");
  const rest = src.slice(before.length);
  const blank = /^\s*/.exec(rest)?.[0] ?? "";
  return 1 + countLineBreaks(before) + countLineBreaks(blank);
}

function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * Splits CSV text into records, remembering the line each starts on. csv-parse does the work in
 * one linear pass and refuses malformed quoting instead of guessing what a stray quote meant.
 */
export function splitCsv(text: string): { records: Record_[]; problems: CsvProblem[] } {
  const src = text.replace(/^\uFEFF/, "");
  try {
    const rows = parsedRows.parse(
      parse(src, {
        info: true,
        trim: true,
        relax_column_count: true,
        skip_empty_lines: true,
        record_delimiter: ["\r\n", "\n", "\r"],
      }),
    );
    const records: Record_[] = [];
    let lastLine = 0;
    let lastEmpty = 0;
    for (const { record, info } of rows) {
      // A record starts after the previous one and the blank lines skipped since.
      records.push({ line: lastLine + 1 + (info.empty_lines - lastEmpty), fields: record });
      lastLine = info.lines;
      lastEmpty = info.empty_lines;
    }
    return { records, problems: [] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const message = QUOTE_PROBLEMS[error.code] ?? `the file is not valid CSV (${error.code})`;
    const at = errorPosition.parse(error);
    const line = error.code === "CSV_QUOTE_NOT_CLOSED" ? lineAtByte(src, at.bytes_records) : at.lines;
    return { records: [], problems: [{ line, message }] };
  }
}

const TRUE = new Set(["true", "yes", "y", "1"]);
const FALSE = new Set(["false", "no", "n", "0"]);

function parseEnabled(raw: string): boolean | string {
  const v = raw.trim().toLowerCase();
  if (v === "") return true;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return `enabled must be true or false (or yes/no, 1/0, or empty for true), got "${safeText(raw.trim())}"`;
}

function headerColumns(fields: readonly string[]): { columns: (CsvColumn | undefined)[]; problems: string[] } {
  const problems: string[] = [];
  const columns = fields.map((f) => {
    const name = f.trim();
    const column = CSV_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!column)
      problems.push(`unknown column "${name}": the columns are ${REGISTRY_COLUMNS.join(",")} (and, from tenants discover, ${DISCOVERY_COLUMNS.join(",")})`);
    return column;
  });
  for (const c of CSV_COLUMNS) {
    if (columns.filter((x) => x === c).length > 1) problems.push(`column "${c}" appears more than once`);
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) problems.push(`the header must name ${missing.map((m) => `"${m}"`).join(", ")}: expected ${REGISTRY_COLUMNS.join(",")}`);
  return { columns, problems };
}

/** One row that names an account, before its tenant's rows are put together. */
interface AccountRow {
  readonly line: number;
  readonly tenantId: string;
  readonly displayName: string;
  readonly recipients: string;
  readonly enabled: string;
  readonly account: { readonly ref: string; readonly kind?: string; readonly profile: string };
}

/** The columns every row of one tenant must agree on (a later row may leave them empty). */
const TENANT_COLUMNS = ["displayName", "recipients", "enabled"] as const;

function splitRecipients(raw: string): string[] {
  return raw
    .split(";")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** Rows of one tenant as its registration; every problem names the row (line) it comes from. */
function tenantOf(rows: readonly AccountRow[], options: CsvOptions): { tenant?: ImportedTenant; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const [first] = rows;
  if (!first) return { problems };
  for (const row of rows.slice(1)) {
    for (const column of TENANT_COLUMNS) {
      if (row[column] !== "" && row[column] !== first[column]) {
        problems.push({
          line: row.line,
          message:
            `${column} differs from line ${first.line}, the tenant's first row: ` +
            `give ${column} alike on every row of a tenant, or leave it empty after the first`,
        });
      }
    }
  }
  const enabled = parseEnabled(first.enabled);
  if (typeof enabled === "string") problems.push({ line: first.line, message: enabled });
  for (const row of rows) {
    if (!options.profiles.includes(row.account.profile))
      problems.push({ line: row.line, message: `profile "${row.account.profile}" is unknown: use one of ${options.profiles.join(", ")}` });
  }
  const parsed = tenantRegistrationSchema.safeParse({
    tenantId: first.tenantId,
    displayName: first.displayName,
    recipients: splitRecipients(first.recipients),
    enabled: typeof enabled === "boolean" ? enabled : true,
    accounts: rows.map((r) => r.account),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index, part] = issue.path;
      const row = field === "accounts" && typeof index === "number" ? (rows[index] ?? first) : first;
      const value = field === "tenantId" ? first.tenantId : part === "ref" ? row.account.ref : part === "kind" ? row.account.kind : undefined;
      const got = value === undefined ? "" : ` (got "${safeText(value)}")`;
      problems.push({ line: row.line, message: `${issue.message}${got}` });
    }
  }
  if (problems.length > 0 || !parsed.success) return { problems };
  return { tenant: { ...parsed.data, line: first.line }, problems };
}

export function parseTenantsCsv(text: string, options: CsvOptions): CsvResult {
  const { records, problems } = splitCsv(text);
  if (problems.length > 0) return { ok: false, problems };
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: [{ line: 0, message: `the file is empty: the first line must be the header ${CSV_COLUMNS.join(",")}` }] };
  const head = headerColumns(header.fields);
  if (head.problems.length > 0) return { ok: false, problems: head.problems.map((message) => ({ line: header.line, message })) };
  if (rows.length === 0) return { ok: false, problems: [{ line: 0, message: "the file has a header but no tenants" }] };

  const undecided: UndecidedRow[] = [];
  // Rows of one tenant, in file order: one row per monitored account.
  const byTenant = new Map<string, AccountRow[]>();
  const bad: CsvProblem[] = [];
  for (const row of rows) {
    if (row.fields.length !== head.columns.length) {
      bad.push({
        line: row.line,
        message: `has ${row.fields.length} field(s) but the header has ${head.columns.length}: quote a value that contains a comma ("Contoso, Ltd")`,
      });
      continue;
    }
    const value = (c: CsvColumn): string => {
      const i = head.columns.indexOf(c);
      return i < 0 ? "" : (row.fields[i] ?? "").trim();
    };
    if (value("decide") !== "" && value("account") === "") {
      undecided.push({ line: row.line, tenantId: value("tenantId"), displayName: value("displayName"), decide: value("decide") });
      continue;
    }
    const kind = value("kind");
    const accountRow: AccountRow = {
      line: row.line,
      tenantId: value("tenantId"),
      displayName: value("displayName"),
      recipients: value("recipients"),
      enabled: value("enabled"),
      account: {
        ref: value("account"),
        ...(kind === "" ? {} : { kind }),
        profile: value("profile") || (kind === "emergency-access" ? DEFAULT_PROFILE_OF_KIND[kind] : options.defaultProfile),
      },
    };
    // Rows are grouped by the tenant id as a GUID compares (case and spaces aside); a bad id stays its own group.
    const group = accountRow.tenantId.toLowerCase();
    byTenant.set(group, [...(byTenant.get(group) ?? []), accountRow]);
  }
  const out: ImportedTenant[] = [];
  for (const group of byTenant.values()) {
    const { tenant, problems: found } = tenantOf(group, options);
    bad.push(...found);
    if (tenant) out.push(tenant);
  }
  bad.sort((a, b) => a.line - b.line);
  return bad.length > 0 ? { ok: false, problems: bad } : { ok: true, tenants: out, ...(undecided.length > 0 ? { undecided } : {}) };
}

/** `line 4: …` lines, the file-level ones without a number. */
export function formatCsvProblems(problems: readonly CsvProblem[]): string {
  return problems.map((p) => (p.line > 0 ? `line ${p.line}: ${p.message}` : p.message)).join("\n");
}
