/** One JSON POST of a webhook channel, with its idempotency key, a deadline and no redirect; a failure to get an answer is a retryable outcome. */
import { errorMessage } from "../../errors/text.js";
import type { SendOutcome } from "./types.js";

interface JsonPost {
  readonly url: string;
  readonly body: unknown;
  readonly idempotencyKey: string;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
  /** Names the channel in an error, without the URL's secret. */
  readonly where: string;
}

/** The response, or why there was none (a timeout says so: the next send would likely hang too). */
export async function postJson(p: JsonPost): Promise<Response | Extract<SendOutcome, { ok: false }>> {
  try {
    return await p.fetch(p.url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "idempotency-key": p.idempotencyKey },
      body: JSON.stringify(p.body),
      signal: AbortSignal.timeout(p.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError" ? ({ timedOut: true } as const) : {};
    return { ok: false, retryable: true, ...timedOut, error: `${p.where}: ${errorMessage(error)}` };
  }
}
