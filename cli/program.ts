import { Command, CommanderError } from "commander";
import { SettingsError } from "../lib/config/settings.js";
import { checkCommand } from "./commands/check.js";
import { consentUrlCommand } from "./commands/consent-url.js";
import { doctorCommand } from "./commands/doctor.js";
import { demoCommand } from "./commands/demo.js";
import { tenantsCommand } from "./commands/tenants.js";
import { runCommand } from "./commands/run.js";
import { statusCommand } from "./commands/status.js";
import { alertsCommand } from "./commands/alerts.js";
import { dashboardCommand } from "./commands/dashboard.js";
import { reportCommand } from "./commands/report.js";
import { findingsCommand } from "./commands/findings.js";
import { exceptionsCommand } from "./commands/exceptions.js";
import { auditCommand } from "./commands/audit.js";
import { ticketsCommand } from "./commands/tickets.js";
import { fixCommand } from "./commands/fix.js";
import { UsageError } from "./usage-error.js";
import { EXIT } from "./report/exit-code.js";
import type { CliIo } from "./io.js";
import { errorMessage } from "../lib/errors/text.js";
import { safeLines } from "../lib/text/safe.js";

export function buildProgram(io: CliIo): Command {
  const program = new Command("drift-monitor")
    .description("Watches the connection account of Microsoft 365 tenants for configuration drift")
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.addCommand(checkCommand(io));
  program.addCommand(consentUrlCommand(io));
  program.addCommand(doctorCommand(io));
  program.addCommand(tenantsCommand(io));
  program.addCommand(ticketsCommand(io));
  program.addCommand(runCommand(io));
  program.addCommand(statusCommand(io));
  program.addCommand(alertsCommand(io));
  program.addCommand(demoCommand(io));
  program.addCommand(dashboardCommand(io));
  program.addCommand(reportCommand(io));
  program.addCommand(findingsCommand(io));
  program.addCommand(exceptionsCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(fixCommand(io));
  // Nested commands (tenants add, alerts requeue) must not exit the process either.
  const wire = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
      wire(c);
    }
  };
  wire(program);
  return program;
}

/**
 * Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process.
 *
 * Tenant values are hostile (a policy name may carry terminal escape sequences or bidi overrides).
 * The formatters and the table show each value on one line with those as visible escapes
 * (lib/text/safe.ts); stdout is guarded once more here (only line breaks pass raw), as are error
 * messages. JSON output is made with safeJson, which the guard leaves as it is. stderr is not
 * guarded as a whole: the progress bar draws with its own escape sequences (its labels are escaped).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const scoped: CliIo = { ...io, stdout: (t) => io.stdout(safeLines(t)), setExitCode: (c) => (code = c) };
  try {
    await buildProgram(scoped).parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof SettingsError) {
      io.stderr(`drift-monitor: ${safeLines(err.message)}\n`);
      return EXIT.usage;
    }
    io.stderr(`drift-monitor: could not verify: ${safeLines(errorMessage(err))}\n`);
    return EXIT.unknown;
  }
}
