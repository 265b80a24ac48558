/**
 * `.eml` files in OUTBOX_DIR: the embedded default when no ACS is configured (local runs, the
 * demo, air-gapped installs). The file name is the row id, and the file is written to a temporary
 * name and renamed, so a re-delivery replaces the same file whole instead of adding a second one.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { safeRowId } from "../ids.js";
import { buildMime } from "../mime.js";
import type { Channel, OutgoingMessage, SendOutcome } from "./types.js";
import { errorMessage } from "../../errors/text.js";

export const emlFileName = (id: string): string => `${safeRowId(id)}.eml`;

export function emlChannel(outboxDir: string): Channel {
  return {
    name: "eml",
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const mime = buildMime({
        from: m.from,
        fromName: "Drift Monitor",
        to: m.to,
        subject: m.rendered.subject,
        text: m.rendered.text,
        html: m.rendered.html,
        messageId: m.rendered.messageId,
        date: m.date,
        headers: { "X-Drift-Monitor-Alert": m.rendered.id },
      });
      const file = join(outboxDir, emlFileName(m.rendered.id));
      try {
        await mkdir(outboxDir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, mime, "utf8");
        await rename(temp, file);
        return { ok: true, detail: `written to ${file}` };
      } catch (error) {
        return { ok: false, retryable: true, error: `could not write ${file}: ${errorMessage(error)}` };
      }
    },
  };
}
