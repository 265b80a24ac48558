import { Command } from "commander";
import { loadSettings } from "../../lib/config/settings.js";
import { createGraphClient } from "../../lib/graph/client.js";
import { getCredential } from "../../lib/graph/credentials.js";
import { graphTransport } from "../../lib/graph/transport.js";
import { runDoctor } from "../doctor/run.js";
import { consentEstate, formatConsentEstate } from "../doctor/all.js";
import { openStore } from "../store.js";
import { formatDoctorText } from "../doctor/format-text.js";
import { EXIT } from "../report/exit-code.js";
import { accountRefProblem, tenantIdProblem } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";
import { safeJson } from "../../lib/text/safe.js";

interface DoctorOptions {
  tenant?: string;
  all?: boolean;
  account?: string;
  json?: boolean;
}

export function doctorCommand(io: CliIo): Command {
  return new Command("doctor")
    .description("try each Graph request the checks send, one at a time, and report per permission and licence what is granted, missing or not licensed")
    .option("--tenant <id>", "the tenant (directory) id, a GUID")
    .option("--all", "every registered tenant, from the store: the permissions each lacks (its last run read the app's grants), no Graph call")
    .option("--account <upn-or-object-id>", "the connection account; without it a placeholder id stands in")
    .option("--json", "print the findings as JSON")
    .action(async (opts: DoctorOptions) => {
      if (opts.all === true) {
        if (opts.tenant !== undefined || opts.account !== undefined) throw new UsageError("--all takes no --tenant or --account");
        const estate = await consentEstate(openStore(io).store);
        io.stdout(opts.json ? safeJson(estate) : formatConsentEstate(estate));
        io.setExitCode(estate.ok ? EXIT.compliant : EXIT.unknown);
        return;
      }
      if (opts.tenant === undefined) throw new UsageError("doctor needs --tenant <id>, or --all for the estate");
      const problems = [tenantIdProblem(opts.tenant), opts.account === undefined ? undefined : accountRefProblem(opts.account)].filter(
        (p): p is string => p !== undefined,
      );
      if (problems.length > 0) throw new UsageError(problems.join("\n"));
      const settings = loadSettings(io.env);
      const tenantId = opts.tenant.toLowerCase();
      // One credential for the token step and the client, so the doctor sees what the product sees.
      const credential = getCredential(tenantId, settings.graphAuth);
      const client = createGraphClient({ tenantId, settings, credential });
      const report = await runDoctor(
        { tenantId, accountRef: opts.account, clientId: settings.graphAuth.clientId, authorityHost: settings.graphAuth.authorityHost },
        { credential, transport: graphTransport(client), now: new Date() },
      );
      io.stdout(opts.json ? safeJson(report) : formatDoctorText(report));
      io.setExitCode(report.ok ? EXIT.compliant : EXIT.unknown);
    });
}
