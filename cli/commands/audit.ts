/**
 * `drift-monitor audit export`: every change to acknowledgements and exceptions (who, when, what,
 * before and after), of one tenant (with the estate-wide entries) or of the whole estate, as CSV
 * or JSON.
 */
import { Command, Option } from "commander";
import { stringify } from "csv-stringify/sync";
import type { AuditEntry } from "../../lib/model/standing.js";
import { auditTrail } from "../../lib/standings/operate.js";
import { safeJson } from "../../lib/text/safe.js";
import type { CliIo } from "../io.js";
import { operateDeps, tenantArg } from "../standings/common.js";
import { openStore } from "../store.js";

const COLUMNS = ["at", "by", "scope", "action", "subject", "before", "after"] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula
 * (OWASP "CSV Injection"); `by`, a reason or a policy name is an operator's or a tenant's text, so
 * such a cell gets a leading apostrophe, which spreadsheets show as text.
 */
export const spreadsheetSafe = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const csvOf = (entries: readonly AuditEntry[]): string =>
  stringify(
    entries.map((e) =>
      [e.at, e.by, e.scope, e.action, e.subject, e.before ? JSON.stringify(e.before) : "", e.after ? JSON.stringify(e.after) : ""].map(spreadsheetSafe),
    ),
    { header: true, columns: [...COLUMNS] },
  );

export function auditCommand(io: CliIo): Command {
  const cmd = new Command("audit").description("The audit trail of acknowledgements and exceptions");
  cmd
    .command("export")
    .description("Export the audit trail, newest first")
    .option("--tenant <id>", "one tenant's entries and the estate-wide ones (default: every tenant's)")
    .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"))
    .action(async (opts: { tenant?: string; format: "csv" | "json" }) => {
      const entries =
        opts.tenant !== undefined
          ? await auditTrail(operateDeps(io), tenantArg(opts.tenant))
          : (await openStore(io).store.standings.listAllAudit()).sort((a, b) => b.at.localeCompare(a.at));
      io.stdout(opts.format === "json" ? `${safeJson(entries)}\n` : csvOf(entries));
    });
  return cmd;
}
