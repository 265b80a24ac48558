/**
 * Everything the demo starts (Azurite, the simulator) is registered here as it starts, and
 * stopped in reverse order however the demo ends: normally, on an error, or on Ctrl-C / SIGTERM /
 * the parent going away. A second signal while stopping is ignored rather than cutting the
 * clean-up short, so no Azurite is left listening behind the demo.
 */
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
          log(`could not stop ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    })();
    return this.stopping;
  }
}

/**
 * Runs `main` with `resources` stopped at the end; a signal stops them and exits 130 (the shell's
 * code for an interrupted command).
 */
export async function withCleanup(resources: Resources, main: () => Promise<number>, log: (line: string) => void): Promise<number> {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    log(`\n${signal}: stopping what the demo started…\n`);
    void resources.stopAll(log).finally(() => process.exit(130));
  };
  // The parent (see trusted-child.ts) talks to us over IPC; if it dies, nobody would stop us.
  const onDisconnect = () => onSignal("SIGHUP");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("disconnect", onDisconnect);
  try {
    return await main();
  } finally {
    await resources.stopAll(log);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    process.off("disconnect", onDisconnect);
    // An open IPC channel would keep this process alive after the demo is done.
    if (process.connected) process.disconnect();
  }
}
