/**
 * A local Azure Communication Services Email endpoint (test only, 127.0.0.1), speaking the REST
 * contract the SDK uses:
 *
 * - `POST /emails:send?api-version=…` with the HMAC-SHA256 signature of the access key checked,
 *   answers 202 with `Operation-Location` and `operation-id` headers and `{ id, status: "Running" }`.
 *   The `Operation-Id` header names the operation; a second POST with the same id is answered with
 *   the existing operation and is NOT a second email (what makes a retry safe).
 * - `GET /emails/operations/{id}?api-version=…` answers `Running` a configurable number of times,
 *   then `Succeeded` (or `Failed` for a recipient the test marks as rejected).
 * - Scripted faults for the next POSTs: 429 with Retry-After, 500, 400.
 * - Rate limits like an Azure-managed sender domain's (`limit`): N sends per window of the test's
 *   clock, the rest answered 429 (with or without Retry-After); several at once (per minute and
 *   per hour, as ACS counts them), each window counting only the sends it let through.
 * - Operations the service accepts and then fails (`failOperations`), as for a rejected recipient.
 * - A service that never answers (`hang`): POSTs are read and left open until the caller gives up.
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface AcceptedEmail {
  readonly operationId: string;
  readonly senderAddress: string;
  readonly subject: string;
  readonly to: readonly string[];
  readonly html: string;
  readonly plainText: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The test clock's time of acceptance, when a rate limit is set (its `now`). */
  readonly at?: number;
}

export type ScriptedFault =
  | { readonly status: 429; readonly retryAfterSeconds?: number }
  | { readonly status: 500 | 503 }
  | { readonly status: 400; readonly code?: string }
  /** 401 whose message quotes the access key, as a careless upstream might. */
  | { readonly status: 401; readonly echoKey: true };

export interface RateLimit {
  /** Sends let through per window. */
  readonly perWindow: number;
  readonly windowMs: number;
  /** The test's clock (ms). */
  readonly now: () => number;
  /** Retry-After on the 429s: always (seconds to the window's end), never, or every other one. */
  readonly retryAfter: "always" | "never" | "alternate";
}

interface AcsFakeOptions {
  /** GETs answered `Running` before the final status (default 1). */
  readonly runningPolls?: number;
  /** Recipients the service accepts and then fails (the operation ends `Failed`). */
  readonly rejectRecipients?: readonly string[];
}

export interface AcsFake {
  readonly endpoint: string;
  readonly connectionString: string;
  /** Distinct emails accepted: one per operation id. */
  readonly accepted: AcceptedEmail[];
  /** Every request, in order (method, path, operation id header, answer). */
  readonly requests: Array<{ method: string; path: string; operationId?: string; status: number }>;
  /** Faults answered to the next POSTs, in order (before the body is looked at). */
  script(...faults: ScriptedFault[]): void;
  /** Throttles POSTs from now on (undefined: no limit; several: all must let a send through). Scripted faults come first. */
  limit(rate: RateLimit | readonly RateLimit[] | undefined): void;
  /** The next `n` new operations are accepted and then end `Failed`. */
  failOperations(n: number): void;
  /** While on, every POST is read and never answered (a service that hangs); off again with false. */
  hang(on: boolean): void;
  stop(): Promise<void>;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const error = (code: string, message: string) => ({ error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

interface Operation {
  readonly id: string;
  polls: number;
  readonly fail: boolean;
}

export async function startAcsFake(options: AcsFakeOptions = {}): Promise<AcsFake> {
  const accessKey = randomBytes(32).toString("base64");
  const accepted: AcceptedEmail[] = [];
  const requests: AcsFake["requests"] = [];
  const faults: ScriptedFault[] = [];
  const operations = new Map<string, Operation>();
  const runningPolls = options.runningPolls ?? 1;
  const rejected = new Set((options.rejectRecipients ?? []).map((r) => r.toLowerCase()));
  let rates: Array<{ rate: RateLimit; window: { index: number; sent: number; throttled: number } }> = [];
  let failing = 0;
  let hanging = false;

  /** The 429 the rate limits answer (the first window that is full), or undefined when this POST may pass (counted in every window). */
  function throttle(): { retryAfter?: string } | undefined {
    for (const { rate, window } of rates) {
      const now = rate.now();
      const index = Math.floor(now / rate.windowMs);
      if (index !== window.index) Object.assign(window, { index, sent: 0 });
      if (window.sent < rate.perWindow) continue;
      window.throttled++;
      const seconds = String(Math.max(1, Math.ceil(((index + 1) * rate.windowMs - now) / 1000)));
      const withHeader = rate.retryAfter === "always" || (rate.retryAfter === "alternate" && window.throttled % 2 === 1);
      return withHeader ? { retryAfter: seconds } : {};
    }
    for (const { window } of rates) window.sent++;
    return undefined;
  }

  /** The signature the SDK's CommunicationAccessKeyCredentialPolicy computes. */
  function authorised(req: IncomingMessage, url: URL, body: string): boolean {
    const date = req.headers["x-ms-date"];
    const hash = req.headers["x-ms-content-sha256"];
    const auth = req.headers.authorization;
    if (typeof date !== "string" || typeof hash !== "string" || typeof auth !== "string") return false;
    if (createHash("sha256").update(body).digest("base64") !== hash) return false;
    const query = url.searchParams.toString();
    const pathAndQuery = query ? `${url.pathname}?${query}` : url.pathname;
    const toSign = `${req.method}\n${pathAndQuery}\n${date};${req.headers.host};${hash}`;
    const signature = createHmac("sha256", Buffer.from(accessKey, "base64")).update(toSign).digest("base64");
    return auth === `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = await readBody(req);
      const operationHeader = typeof req.headers["operation-id"] === "string" ? req.headers["operation-id"] : undefined;
      const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        requests.push({ method: req.method ?? "", path: url.pathname, operationId: operationHeader, status });
        json(res, status, payload, headers);
      };
      if (!API_VERSION.test(url.searchParams.get("api-version") ?? "")) return answer(400, error("MissingApiVersionParameter", "api-version is required"));
      if (!authorised(req, url, body)) return answer(401, error("Denied", "Denied by the HMAC check"));

      if (req.method === "POST" && url.pathname === "/emails:send") {
        if (hanging) {
          requests.push({ method: "POST", path: url.pathname, operationId: operationHeader, status: 0 });
          return;
        }
        const fault = faults.shift();
        if (fault?.status === 429) {
          return answer(
            429,
            error("TooManyRequests", "Too many requests"),
            fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) },
          );
        }
        if (fault?.status === 401) return answer(401, error("Denied", `The access key ${accessKey} was rejected (accesskey=${accessKey})`));
        if (fault) return answer(fault.status, error(fault.status === 400 ? (fault.code ?? "BadRequest") : "InternalServerError", "scripted fault"));
        const limited = throttle();
        if (limited)
          return answer(
            429,
            error("TooManyRequests", "rate limit of the sender domain"),
            limited.retryAfter === undefined ? {} : { "retry-after": limited.retryAfter },
          );
        let message: {
          senderAddress?: string;
          content?: { subject?: string; html?: string; plainText?: string };
          recipients?: { to?: Array<{ address?: string }> };
          headers?: Record<string, string>;
        };
        try {
          message = JSON.parse(body) as typeof message;
        } catch {
          return answer(400, error("BadRequest", "body is not JSON"));
        }
        const to = (message.recipients?.to ?? []).map((r) => r.address ?? "");
        if (!message.senderAddress || !message.content?.subject || to.length === 0 || to.some((a) => !a.includes("@"))) {
          return answer(400, error("BadRequest", "senderAddress, content.subject and recipients.to are required"));
        }
        if (operationHeader !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(operationHeader)) {
          return answer(400, error("InvalidOperationId", "Operation-Id must be a GUID"));
        }
        const id = operationHeader ?? randomUUID();
        if (!operations.has(id)) {
          const fail = failing > 0 || to.some((a) => rejected.has(a.toLowerCase()));
          if (failing > 0) failing--;
          operations.set(id, { id, polls: 0, fail });
          accepted.push({
            operationId: id,
            senderAddress: message.senderAddress,
            subject: message.content.subject,
            to,
            html: message.content.html ?? "",
            plainText: message.content.plainText ?? "",
            headers: message.headers ?? {},
            ...(rates[0] ? { at: rates[0].rate.now() } : {}),
          });
        }
        const location = `http://${req.headers.host}/emails/operations/${id}?api-version=${url.searchParams.get("api-version")}`;
        return answer(202, { id, status: "Running" }, { "operation-location": location, "operation-id": id });
      }

      const m = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && m?.[1]) {
        const op = operations.get(m[1]);
        if (!op) return answer(404, error("NotFound", "no such operation"));
        op.polls++;
        if (op.polls <= runningPolls) return answer(200, { id: op.id, status: "Running" });
        if (op.fail)
          return answer(200, { id: op.id, status: "Failed", error: { code: "RecipientRejected", message: "the recipient's mail server refused the message" } });
        return answer(200, { id: op.id, status: "Succeeded" });
      }
      return answer(404, error("NotFound", `${req.method} ${url.pathname}`));
    })().catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, error("FakeCrashed", String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}/`;
  return {
    endpoint,
    connectionString: `endpoint=${endpoint};accesskey=${accessKey}`,
    accepted,
    requests,
    script: (...f) => faults.push(...f),
    limit: (r) => {
      rates = (r === undefined ? [] : Array.isArray(r) ? r : [r]).map((rate: RateLimit) => ({ rate, window: { index: -1, sent: 0, throttled: 0 } }));
    },
    failOperations: (n) => {
      failing = n;
    },
    hang: (on) => {
      hanging = on;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
