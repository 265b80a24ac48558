import { Command } from "commander";
import { loadSettings, SettingsError } from "../../lib/config/settings.js";
import { getProfile, PROFILES } from "../../lib/checks/profiles.js";
import { inspect } from "../../lib/runner/inspect.js";
import { defaultInspectDeps } from "../../lib/runner/wiring.js";
import { formatReportText } from "../report/format-text.js";
import { exitCodeFor } from "../report/exit-code.js";
import { accountRefProblem, tenantIdProblem } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";
import { openStore } from "../store.js";
import { safeJson } from "../../lib/text/safe.js";

/**
 * The app's shared Graph budget ledger when storage is configured: a `check` next to a running
 * app spends the same app-wide report budget. Only when configured explicitly: the store's
 * default (the local emulator) is not "the app's storage", and `check` needs nothing else of it,
 * so without storage settings it paces on its own as before.
 */
function sharedBudget(io: CliIo) {
  const configured = ["AzureWebJobsStorage", "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__tableServiceUri"].some((k) => io.env[k]?.trim());
  if (!configured) return undefined;
  try {
    return openStore(io).store.budget;
  } catch (error) {
    if (error instanceof SettingsError) return undefined;
    throw error;
  }
}

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
      const { report } = await inspect({ tenantId, accountRef: opts.account, profile }, defaultInspectDeps(settings, tenantId, new Date(), sharedBudget(io)));
      io.stdout(opts.json ? safeJson(report) : formatReportText(report));
      io.setExitCode(exitCodeFor(report));
    });
}
