import { readFile } from "node:fs/promises";
import { errorMessage } from "../lib/errors/text.js";

/** A mistake in how the command was called or configured: exit 64 with what to fix. */
export class UsageError extends Error {
  readonly code = "UsageError";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A file the operator named, as text; one that cannot be read is a usage error saying why. */
export async function readNamedFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
  }
}
