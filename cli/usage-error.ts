/** A mistake in how the command was called or configured: exit 64 with what to fix. */
export class UsageError extends Error {
  readonly code = "UsageError";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
