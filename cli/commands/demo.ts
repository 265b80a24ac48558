import { Command } from "commander";
import { childTls, runInTrustedChild } from "../demo/trusted-child.js";
import { runDemo } from "../demo/run-demo.js";
import type { CliIo } from "../io.js";

export function demoCommand(io: CliIo): Command {
  return new Command("demo")
    .description(
      "run the Functions app's handlers in this process against Azurite and the Graph simulator's sample estate, twice, with changes in between; " +
        "emails go to OUTBOX_DIR (default .outbox)",
    )
    .option("--verbose", "print every handler's log lines on stderr")
    .option("--keep", "leave Azurite, the simulator and the dashboard (on 127.0.0.1) running afterwards, until Ctrl-C")
    .action(async (opts: { verbose?: boolean; keep?: boolean }) => {
      const tls = childTls(io.env);
      io.setExitCode(tls ? await runDemo(tls, io, { verbose: opts.verbose === true, keep: opts.keep === true }) : await runInTrustedChild());
    });
}
