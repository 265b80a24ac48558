/**
 * Reading a request body with a byte limit. A declared Content-Length above the limit is refused
 * before a byte is read; without one (chunked), the stream is read with a counter and reading
 * stops at the first chunk past the limit. A 50 MB PUT never sits in memory.
 */
import { json, MAX_BODY_BYTES, type ApiResponse } from "./http.js";

type BodyRead = { readonly ok: true; readonly text: string | undefined } | { readonly ok: false; readonly response: ApiResponse };

const tooLarge = (limit: number): BodyRead => ({ ok: false, response: json(413, { error: `the body is larger than ${limit} bytes` }) });

/** The body as text (undefined when empty), or the 413 answer. */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  contentLength: string | null,
  limit: number = MAX_BODY_BYTES,
): Promise<BodyRead> {
  const declared = contentLength === null || contentLength.trim() === "" ? undefined : Number(contentLength);
  if (declared !== undefined && (!Number.isFinite(declared) || declared > limit)) {
    await body?.cancel().catch(() => undefined);
    return tooLarge(limit);
  }
  if (body === null) return { ok: true, text: undefined };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return { ok: true, text: text === "" ? undefined : text };
}
