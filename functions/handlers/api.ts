/**
 * HTTP (function key): the tenants API and the estate API. Translates the Functions request into
 * functions/api's plain request and its answer back; the routes are `tenants/{*rest}` and
 * `estate/{*rest}`, so `rest` is the path after /api/tenants or /api/estate. The body is read with a byte limit (413 past it, see functions/api/body.ts). An
 * unexpected failure answers 500 with the invocation id to look up, never the error itself (it may
 * name storage internals). Logs name the method and the route only: the URL's query carries the
 * function key (`?code=`).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { readBodyLimited } from "../api/body.js";
import { handleApiRequest, type ApiDeps } from "../api/handle.js";
import { handleEstateRequest } from "../api/estate.js";
import { JSON_HEADERS, type ApiRequest, type ApiResponse } from "../api/http.js";
import { apiDeps } from "../app/api-deps.js";
import { getApp } from "../app/app.js";
import { errorText } from "../../lib/errors/text.js";

export const API_ROUTE = "tenants/{*rest}";
/** The estate-wide exceptions and their audit trail (functions/api/estate.ts), behind the same keys. */
export const ESTATE_API_ROUTE = "estate/{*rest}";

type Handle = (req: ApiRequest, deps: ApiDeps) => Promise<ApiResponse>;

/** One HTTP function over `handle`: `/api/<prefix>/{rest}` is what the log says instead of the URL. */
function apiFunction(prefix: string, handle: Handle) {
  const routeOf = (request: HttpRequest): string => `/api/${prefix}${request.params.rest ? `/${request.params.rest}` : ""}`;
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      let body: string | undefined;
      if (request.method !== "GET" && request.method !== "DELETE") {
        const read = await readBodyLimited(request.body, request.headers.get("content-length"));
        if (!read.ok) return { status: read.response.status, jsonBody: read.response.body, headers: { ...read.response.headers } };
        body = read.text;
      }
      const response = await handle({ method: request.method, path: request.params.rest ?? "", query: request.query, body }, apiDeps(getApp()));
      return { status: response.status, jsonBody: response.body, headers: { ...response.headers } };
    } catch (error) {
      context.error(`api: ${request.method} ${routeOf(request)} failed: ${errorText(error)}`);
      return { status: 500, jsonBody: { error: "internal error", invocationId: context.invocationId }, headers: { ...JSON_HEADERS } };
    }
  };
}

export const api = apiFunction("tenants", handleApiRequest);
export const estateApi = apiFunction("estate", handleEstateRequest);
