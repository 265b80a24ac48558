/** What the CLI touches of its process, injected so the commands run in tests in-process too. */
export interface CliIo {
  readonly env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  /** The clock of commands that record when an operator decided; absent: the system clock. */
  readonly now?: () => Date;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    setExitCode: (c) => {
      process.exitCode = c;
    },
  };
}
