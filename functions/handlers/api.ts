/**
 * HTTP (function key): the tenants API. Translates the Functions request into functions/api's plain
 * request and its answer back; the route is `tenants/{*rest}`, so `rest` is the path after
 * /api/tenants. An unexpected failure answers 500 with the invocation id to look up, never the
 * error itself (it may name storage internals).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { handleApiRequest } from "../api/handle.js";
import { JSON_HEADERS } from "../api/http.js";
import { apiDeps } from "../app/api-deps.js";
import { getApp } from "../app/app.js";
import { errorText } from "../../lib/errors/text.js";

export const API_ROUTE = "tenants/{*rest}";

export async function api(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const text = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
    const response = await handleApiRequest(
      { method: request.method, path: request.params.rest ?? "", query: request.query, body: text === "" ? undefined : text },
      apiDeps(getApp()),
    );
    return { status: response.status, jsonBody: response.body, headers: { ...response.headers } };
  } catch (error) {
    context.error(`api: ${request.method} ${request.url} failed: ${errorText(error)}`);
    return { status: 500, jsonBody: { error: "internal error", invocationId: context.invocationId }, headers: { ...JSON_HEADERS } };
  }
}
