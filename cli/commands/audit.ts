/**
 * `drift-monitor audit export`: every change to acknowledgements and exceptions (who, when, what,
 * before and after), of one tenant (with the estate-wide entries) or of the whole estate, as CSV
 * or JSON. The CSV's last column names the account an entry is about by its UPN: an
 * acknowledgement's, a fix's, or an exception's that covers one account alone (empty: every account).
 */
import { Command, Option } from "commander";
import { stringify } from "csv-stringify/sync";
import type { AuditEntry } from "../../lib/model/standing.js";
import { parseMonitorPartition } from "../../lib/model/account.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { accountNameOf, auditAccountKey } from "../../lib/standings/account-of.js";
import { auditTrail } from "../../lib/standings/operate.js";
import { safeJson } from "../../lib/text/safe.js";
import type { CliIo } from "../io.js";
import { operateDeps, tenantArg } from "../standings/common.js";
import { openStore } from "../store.js";

const COLUMNS = ["at", "by", "scope", "action", "subject", "before", "after", "account"] as const;

/** The UPN of the account an entry is about; "" for an estate-wide one and an exception for every account. */
function accountOf(e: AuditEntry, tenants: ReadonlyMap<string, RegisteredTenant>): string {
  const key = auditAccountKey(e);
  return key === undefined ? "" : (accountNameOf(tenants.get(parseMonitorPartition(e.scope).tenantId), key) ?? "");
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula
 * (OWASP "CSV Injection"); `by`, a reason or a policy name is an operator's or a tenant's text, so
 * such a cell gets a leading apostrophe, which spreadsheets show as text.
 */
export const spreadsheetSafe = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const csvOf = (entries: readonly AuditEntry[], tenants: ReadonlyMap<string, RegisteredTenant>): string =>
  stringify(
    entries.map((e) =>
      [e.at, e.by, e.scope, e.action, e.subject, e.before ? JSON.stringify(e.before) : "", e.after ? JSON.stringify(e.after) : "", accountOf(e, tenants)].map(
        spreadsheetSafe,
      ),
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
      const { store } = openStore(io);
      const tenantId = opts.tenant !== undefined ? tenantArg(opts.tenant) : undefined;
      const entries =
        tenantId !== undefined ? await auditTrail(operateDeps(io), tenantId) : (await store.standings.listAllAudit()).sort((a, b) => b.at.localeCompare(a.at));
      if (opts.format === "json") return io.stdout(`${safeJson(entries)}\n`);
      const registered = tenantId !== undefined ? [await store.tenants.get(tenantId)] : await store.tenants.list();
      const tenants = new Map(registered.flatMap((t) => (t ? [[t.tenantId, t] as const] : [])));
      io.stdout(csvOf(entries, tenants));
    });
  return cmd;
}
