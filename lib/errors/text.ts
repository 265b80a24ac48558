/**
 * Errors as text for logs, stored rows and answers. `catch` hands over `unknown` (a library may
 * throw a string or a plain object), so every place that shows an error needs the same fallback;
 * it lives here once instead of as a dozen inline copies. Both are redacted (see redact.ts): an
 * upstream error may echo a secret.
 */
import { redact } from "./redact.js";

/** The message alone: for text that already says what failed ("could not read x: <message>"). */
export const errorMessage = (error: unknown): string => redact(error instanceof Error ? error.message : String(error));

/** `Name: message`: for host logs, where the error's class (RestError, StoreError…) tells the operator what kind of failure it was. */
export const errorText = (error: unknown): string => redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
