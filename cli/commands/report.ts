/**
 * `drift-monitor report --tenant <id> --html <file>`: the dashboard's tenant view as one
 * self-contained HTML file (stylesheet inlined under a CSP hash, no script, no check-now button),
 * for a customer's auditor. Read from the configured storage; no Graph call.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
import { createApp } from "../../functions/app/app.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { tenantView } from "../../functions/dashboard/views.js";
import { tenantHtml } from "../../lib/dashboard/tenant-page.js";
import { tenantIdSchema } from "../../lib/model/tenant.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";

export function reportCommand(io: CliIo): Command {
  return new Command("report")
    .description("write one tenant's dashboard page as a self-contained HTML file (from storage; no Graph call)")
    .requiredOption("--tenant <id>", "the tenant")
    .requiredOption("--html <file>", "where to write the page")
    .action(async (opts: { tenant: string; html: string }) => {
      const id = tenantIdSchema.safeParse(opts.tenant);
      if (!id.success) throw new UsageError(`${id.error.issues[0]?.message ?? "tenantId must be a GUID"} (got "${opts.tenant}")`);
      const app = createApp({ env: io.env });
      const deps = dashboardDeps(app, { access: { kind: "local" }, driftSchedule: io.env.DRIFT_SCHEDULE, log: (m) => io.stderr(`${m}\n`) });
      const view = await tenantView(deps, ".", id.data, { csrfToken: null, flash: null, standalone: true });
      if (!view) throw new UsageError(`tenant ${id.data} is neither registered nor monitored: \`drift-monitor tenants list\` shows the registered ones`);
      const file = resolve(opts.html);
      await writeFile(file, tenantHtml(view), "utf8");
      io.stdout(`Wrote ${file}\n`);
      io.setExitCode(0);
    });
}
