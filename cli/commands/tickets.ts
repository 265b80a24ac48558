/**
 * `drift-monitor tickets map import <csv>` / `tickets map show <tenantId>`: which PSA company each
 * tenant's findings open tickets in (cli/tickets-csv.ts has the format). Stored in the Tickets
 * table beside each finding's ticket record.
 */
import { Command } from "commander";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { openTicketStore } from "../../lib/tickets/store.js";
import { safeText } from "../../lib/text/safe.js";
import type { CliIo } from "../io.js";
import { formatCsvProblems } from "../tenants-csv.js";
import { parseMappingCsv } from "../tickets-csv.js";
import { readNamedFile, UsageError } from "../usage-error.js";

export function ticketsCommand(io: CliIo): Command {
  const tickets = new Command("tickets").description("tickets in the MSP's PSA (ConnectWise Manage, Autotask, HaloPSA): see docs/tickets.md");
  const map = new Command("map").description("the PSA company of each tenant");
  map
    .command("import")
    .description("map every tenant in a CSV file (header: tenantId,psa,companyId,companyName); nothing is imported unless every row is valid")
    .argument("<csv>", "the CSV file")
    .action(async (file: string) => {
      const text = await readNamedFile(file);
      const parsed = parseMappingCsv(text);
      if (!parsed.ok) throw new UsageError(`${file}: nothing imported; fix these and run again:\n${formatCsvProblems(parsed.problems)}`);
      await openTicketStore(loadStoreSettings(io.env).storage).importMappings(parsed.mappings);
      io.stdout(`mapped ${parsed.mappings.length} tenant(s) from ${file}\n`);
      io.setExitCode(0);
    });
  map
    .command("show")
    .description("the PSA company a tenant is mapped to")
    .argument("<tenantId>", "the tenant's id")
    .action(async (tenantId: string) => {
      const m = await openTicketStore(loadStoreSettings(io.env).storage).mapping(tenantId);
      if (!m) io.stdout(`tenant ${safeText(tenantId)} is mapped to no PSA company: its findings open no tickets\n`);
      else io.stdout(`tenant ${m.tenantId}: ${m.psa} company ${safeText(m.companyId ?? m.companyName ?? "")}\n`);
      io.setExitCode(0);
    });
  for (const sub of map.commands) sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  tickets.addCommand(map.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  return tickets;
}
