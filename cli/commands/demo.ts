import { Command } from "commander";
import { childTls, runInTrustedChild } from "../demo/trusted-child.js";
import { runDemo } from "../demo/run-demo.js";
import type { CliIo } from "../io.js";

export function demoCommand(io: CliIo): Command {
  return new Command("demo")
    .description("run the monitor against the built-in Graph simulator and its sample estate")
    .action(async () => {
      const tls = childTls(io.env);
      io.setExitCode(tls ? await runDemo(tls, io) : await runInTrustedChild());
    });
}
