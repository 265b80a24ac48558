/**
 * `drift-monitor dashboard [--port N]`: serves the dashboard from the configured storage on
 * 127.0.0.1 until Ctrl-C. Check now queues to the configured storage's tenant-checks queue, where
 * the Functions app (or `func start`) picks it up.
 */
import { Command } from "commander";
import { createApp } from "../../functions/app/app.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { remediationSettingsOrOff } from "../../functions/app/remediation.js";
import { startDashboardServer } from "../dashboard/server.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";

export function dashboardCommand(io: CliIo, waitForStop: () => Promise<void> = untilInterrupted): Command {
  return new Command("dashboard")
    .description("serve the dashboard (estate and tenant pages) on 127.0.0.1 from the configured storage, until Ctrl-C")
    .option("--port <n>", "the port to listen on (0: any free one)", "8787")
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${opts.port}"`);
      const app = createApp({ env: io.env });
      const log = (m: string) => io.stderr(`${m}\n`);
      const remediation = remediationSettingsOrOff(io.env, log);
      const deps = dashboardDeps(app, { access: { kind: "local" }, driftSchedule: io.env.DRIFT_SCHEDULE, log, remediation });
      const server = await startDashboardServer(deps, { port, onError: (m) => io.stderr(`${m}\n`) });
      io.stdout(`Dashboard: ${server.url} (127.0.0.1 only; Ctrl-C stops it)\n`);
      await waitForStop();
      await server.stop();
      io.setExitCode(0);
    });
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}
