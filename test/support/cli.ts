/** `drift-monitor` run in-process, as the CLI tests drive it: the exit code and everything it printed. */
import { runCli } from "../../cli/program.js";
import type { CliIo } from "../../cli/io.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCliCaptured(argv: readonly string[], env: CliIo["env"] = {}, now?: () => Date): Promise<CliRun> {
  let out = "";
  let err = "";
  const io: CliIo = { env, stdout: (t) => (out += t), stderr: (t) => (err += t), setExitCode: () => {}, ...(now ? { now } : {}) };
  const code = await runCli(argv, io);
  return { code, out, err };
}
