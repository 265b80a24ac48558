/**
 * Everything the demo starts (Azurite, the simulator) is registered here as it starts, and
 * stopped in reverse order however the demo ends: normally, on an error, or on Ctrl-C / SIGTERM /
 * the parent going away. A second signal while stopping is ignored rather than cutting the
 * clean-up short, so no Azurite is left listening behind the demo.
 */
import { errorMessage } from "../../lib/errors/text.js";

export class Resources {
  private readonly stops: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;

  add(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
  }

  /** Stops everything once; later calls wait for the same clean-up. */
  stopAll(log: (line: string) => void = () => {}): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          log(`could not stop ${name}: ${errorMessage(error)}\n`);
        }
      }
    })();
    return this.stopping;
  }
}

/**
 * Runs `main` with `resources` stopped at the end. A signal, the parent going away, or an error
 * nothing caught (e.g. EPIPE when stdout is piped into `head`) stops them too, then exits: 130 for
 * a signal (the shell's code for an interrupted command), 1 for an error.
 */
export async function withCleanup(resources: Resources, main: () => Promise<number>, log: (line: string) => void): Promise<number> {
  let ending = false;
  const end = (why: string, code: number) => {
    if (ending) return;
    ending = true;
    try {
      log(`\n${why}: stopping what the demo started…\n`);
    } catch {
      // stderr may be gone too; stopping matters more than saying so
    }
    void resources.stopAll(() => {}).finally(() => process.exit(code));
  };
  const onSignal = (signal: NodeJS.Signals) => end(signal, 130);
  // The parent (see trusted-child.ts) talks to us over IPC; if it dies, nobody would stop us.
  const onDisconnect = () => end("the parent process is gone", 130);
  const onFatal = (error: unknown) => end(errorMessage(error), 1);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("disconnect", onDisconnect);
  process.on("uncaughtException", onFatal);
  try {
    return await main();
  } finally {
    await resources.stopAll(log);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    process.off("disconnect", onDisconnect);
    process.off("uncaughtException", onFatal);
    // An open IPC channel would keep this process alive after the demo is done.
    if (process.connected) process.disconnect();
  }
}
