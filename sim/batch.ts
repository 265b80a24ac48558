/**
 * JSON batching: `POST /{version}/$batch` with up to 20 requests with relative URLs. The batch
 * answers 200 even when sub-requests fail; each sub-request gets its own status, headers and
 * body, faults included (clients must retry throttled sub-requests themselves).
 */
import type { JsonObject, JsonValue, SimResponse } from "./types.js";
import type { SimState } from "./state.js";
import type { GraphVersion } from "./handlers/context.js";
import { serveGraph } from "./graph.js";
import { badRequest, ok } from "./errors.js";

const MAX_BATCH_REQUESTS = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseRequests(body: JsonValue | undefined): SubRequest[] | string {
  if (!isObject(body) || !Array.isArray(body.requests)) return "Invalid batch payload format.";
  const out: SubRequest[] = [];
  for (const r of body.requests) {
    if (!isObject(r)) return "Invalid batch payload format.";
    const { id, method, url } = r;
    if (typeof id !== "string" || id === "") return "Request id is required and must be a string.";
    if (typeof method !== "string") return `Request ${id}: method is required.`;
    if (typeof url !== "string") return `Request ${id}: url is required.`;
    if (out.some((o) => o.id === id)) return `Request id '${id}' is duplicated. Each request in a batch must have a unique id.`;
    out.push({ id, method: method.toUpperCase(), url });
  }
  return out;
}

export function serveBatch(
  state: SimState,
  version: GraphVersion,
  body: JsonValue | undefined,
  tenantId: string,
  baseUrl: string,
  authorization?: string,
): SimResponse {
  const requests = parseRequests(body);
  if (typeof requests === "string") return badRequest(requests);
  if (requests.length === 0) return badRequest("The batch request must contain at least one request.");
  if (requests.length > MAX_BATCH_REQUESTS) {
    return badRequest(`The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  }
  state.countBatch(requests.length);
  const responses = requests.map((r) => {
    // Graph resolves sub-request URLs against the batch's version; an absolute URL is an error.
    const res = /^[a-z]+:\/\//i.test(r.url)
      ? badRequest("Batch request URLs must be relative.")
      : serveGraph(state, { version, method: r.method, target: r.url, tenantId, baseUrl, authorization });
    return { id: r.id, status: res.status, headers: res.headers, body: res.body ?? null };
  });
  return ok({ responses });
}
