/**
 * A Graph client whose last middleware answers from a function instead of the network, for
 * unit tests of the batch runner and the collector. Records every request it served.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { Client } from "@microsoft/microsoft-graph-client";

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

export interface SubAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

type Responder = (req: SeenRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

export function fakeClient(respond: Responder): { client: Client; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const terminal: Middleware = {
    async execute(context: Context): Promise<void> {
      const url = typeof context.request === "string" ? context.request : context.request.url;
      const method = context.options?.method ?? "GET";
      const raw = context.options?.body;
      const body: unknown = typeof raw === "string" ? JSON.parse(raw) : undefined;
      const req = { method, url, body };
      seen.push(req);
      const a = respond(req);
      context.response = new Response(a.body === undefined ? null : JSON.stringify(a.body), {
        status: a.status,
        headers: { "content-type": "application/json", ...(a.headers ?? {}) },
      });
    },
  };
  return { client: Client.initWithMiddleware({ middleware: terminal, baseUrl: "https://graph.test" }), seen };
}

interface BatchRequestBody {
  requests: Array<{ id: string; method: string; url: string }>;
}

/** A responder for `$batch` that answers each sub-request with `answer(version, url, id)`. */
export function batchResponder(answer: (version: string, url: string, id: string) => SubAnswer, other?: Responder): Responder {
  return (req) => {
    const m = /^https:\/\/graph\.test\/(v1\.0|beta)\/\$batch$/.exec(req.url);
    if (!m || req.method !== "POST") {
      if (other) return other(req);
      return { status: 404, body: { error: { code: "NotFound", message: req.url } } };
    }
    const version = m[1] ?? "";
    const body = req.body as BatchRequestBody;
    return {
      status: 200,
      body: { responses: body.requests.map((r) => ({ id: r.id, ...answer(version, r.url, r.id) })) },
    };
  };
}
