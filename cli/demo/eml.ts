/**
 * Reads back the headers of an `.eml` file the local outbox wrote: enough to show a person (and
 * the demo's test) what each email is about without opening a mail client.
 */
import { readFile } from "node:fs/promises";

interface EmlHeaders {
  readonly subject: string;
  readonly to: string;
  readonly alertId: string | null;
}

/** RFC 2047 encoded-words, base64 (B) or quoted-printable (Q); the space between two words goes. */
function decodeHeaderWords(value: string): string {
  return value.replace(/(\?=)\s+(=\?)/g, "$1$2").replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, kind: string, text: string) => {
    const bytes =
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_q, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          );
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  });
}

function parseEmlHeaders(eml: string): EmlHeaders {
  const end = eml.search(/\r?\n\r?\n/);
  const head = (end < 0 ? eml : eml.slice(0, end)).replace(/\r?\n[ \t]/g, " ");
  const fields = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return {
    subject: decodeHeaderWords(fields.get("subject") ?? ""),
    to: decodeHeaderWords(fields.get("to") ?? ""),
    alertId: fields.get("x-drift-monitor-alert") ?? null,
  };
}

export async function readEmlHeaders(file: string): Promise<EmlHeaders> {
  return parseEmlHeaders(await readFile(file, "utf8"));
}
