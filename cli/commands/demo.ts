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
    .action(async (opts: { verbose?: boolean }) => {
      const tls = childTls(io.env);
      io.setExitCode(tls ? await runDemo(tls, io, { verbose: opts.verbose === true }) : await runInTrustedChild());
    });
}
