/**
 * What `tenants consent` finished, one JSON line per tenant appended as each ends, so a run that
 * crashes keeps what it did and a rerun skips those tenants. A tenant half done has no line: the
 * rerun plans it again from what Graph holds, so nothing is assigned twice. Lines carry a schema
 * version; one that does not parse (a torn last line) is ignored.
 */
import { appendFile, readFile } from "node:fs/promises";
import { z } from "zod";

const lineSchema = z.object({ v: z.literal(1), tenantId: z.string(), outcome: z.enum(["consented", "already"]), at: z.string() });

export interface ProgressFile {
  readonly finished: ReadonlySet<string>;
  record(tenantId: string, outcome: "consented" | "already", at: Date): Promise<void>;
}

export async function openProgressFile(path: string): Promise<ProgressFile> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw e;
  });
  const finished = new Set<string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (parsed.success) finished.add(parsed.data.tenantId.toLowerCase());
    } catch {
      // A torn line from a crash mid-write: that tenant is planned again.
    }
  }
  return {
    finished,
    record: (tenantId, outcome, at) =>
      appendFile(path, JSON.stringify({ v: 1, tenantId: tenantId.toLowerCase(), outcome, at: at.toISOString() }) + "\n", { encoding: "utf8", mode: 0o600 }),
  };
}
