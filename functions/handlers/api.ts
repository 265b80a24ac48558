/**
 * HTTP (function key): the tenants API. Translates the Functions request into functions/api's plain
 * request and its answer back; the route is `tenants/{*rest}`, so `rest` is the path after
 * /api/tenants. The body is read with a byte limit (413 past it, see functions/api/body.ts). An
 * unexpected failure answers 500 with the invocation id to look up, never the error itself (it may
 * name storage internals). Logs name the method and the route only: the URL's query carries the
 * function key (`?code=`).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { readBodyLimited } from "../api/body.js";
import { handleApiRequest } from "../api/handle.js";
import { JSON_HEADERS } from "../api/http.js";
import { apiDeps } from "../app/api-deps.js";
import { getApp } from "../app/app.js";
import { errorText } from "../../lib/errors/text.js";

export const API_ROUTE = "tenants/{*rest}";

/** `/api/tenants/{rest}`: what the log says instead of the URL. */
const routeOf = (request: HttpRequest): string => `/api/tenants${request.params.rest ? `/${request.params.rest}` : ""}`;

export async function api(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    let body: string | undefined;
    if (request.method !== "GET" && request.method !== "DELETE") {
      const read = await readBodyLimited(request.body, request.headers.get("content-length"));
      if (!read.ok) return { status: read.response.status, jsonBody: read.response.body, headers: { ...read.response.headers } };
      body = read.text;
    }
    const response = await handleApiRequest({ method: request.method, path: request.params.rest ?? "", query: request.query, body }, apiDeps(getApp()));
    return { status: response.status, jsonBody: response.body, headers: { ...response.headers } };
  } catch (error) {
    context.error(`api: ${request.method} ${routeOf(request)} failed: ${errorText(error)}`);
    return { status: 500, jsonBody: { error: "internal error", invocationId: context.invocationId }, headers: { ...JSON_HEADERS } };
  }
}
