import { Command } from "commander";
import { loadSettings } from "../../lib/config/settings.js";
import { getProfile, PROFILES } from "../../lib/checks/profiles.js";
import { inspect } from "../../lib/runner/inspect.js";
import { defaultInspectDeps } from "../../lib/runner/wiring.js";
import { formatReportText } from "../report/format-text.js";
import { exitCodeFor } from "../report/exit-code.js";
import { accountRefProblem, tenantIdProblem } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";

interface CheckOptions {
  tenant: string;
  account: string;
  profile?: string;
  json?: boolean;
}

export function checkCommand(io: CliIo): Command {
  return new Command("check")
    .description("check one tenant's connection account now and print the report")
    .requiredOption("--tenant <id>", "the tenant (directory) id, a GUID")
    .requiredOption("--account <upn-or-object-id>", "the connection account: its UPN or object id")
    .option("--profile <name>", `expectations to check against (${Object.keys(PROFILES).join(", ")}); default DEFAULT_PROFILE or strict`)
    .option("--json", "print the report as JSON (schemaVersion 1)")
    .action(async (opts: CheckOptions) => {
      const problems = [tenantIdProblem(opts.tenant), accountRefProblem(opts.account)].filter((p): p is string => p !== undefined);
      if (problems.length > 0) throw new UsageError(problems.join("\n"));
      const settings = loadSettings(io.env);
      const profileName = opts.profile ?? settings.defaultProfile;
      const profile = getProfile(profileName);
      if (!profile) throw new UsageError(`profile "${profileName}" is unknown: use one of ${Object.keys(PROFILES).join(", ")}`);
      const tenantId = opts.tenant.toLowerCase();
      const { report } = await inspect({ tenantId, accountRef: opts.account, profile }, defaultInspectDeps(settings, tenantId, new Date()));
      io.stdout(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatReportText(report));
      io.setExitCode(exitCodeFor(report));
    });
}
