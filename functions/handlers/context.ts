/**
 * Building the host's objects outside the host (tests, the in-process demo). @azure/functions is a
 * bundled CommonJS module whose classes Node's ESM loader cannot see as named exports, so
 * `import { InvocationContext } from "@azure/functions"` fails under plain Node or tsx (vitest hides
 * this); the default import works everywhere.
 */
import functions, { type HttpRequest, type InvocationContext, type InvocationContextInit, type Timer } from "@azure/functions";

export function invocationContext(init: InvocationContextInit = {}): InvocationContext {
  return new functions.InvocationContext(init);
}

/** A timer argument as the host passes it on schedule. */
export function timerInfo(now: Date = new Date(), isPastDue = false): Timer {
  const at = now.toISOString();
  return { isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: at, next: at, lastUpdated: at } };
}

/** An HttpRequest as the host builds it for the tenants API: `path` is what follows /api/tenants. */
export function apiRequest(
  method: string,
  path = "",
  options: { body?: unknown; query?: Record<string, string>; api?: "tenants" | "estate" } = {},
): HttpRequest {
  const rest = path.replace(/^\/+|\/+$/g, "");
  const url = new URL(`http://127.0.0.1/api/${options.api ?? "tenants"}${rest ? `/${rest}` : ""}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new functions.HttpRequest({
    method,
    url: url.toString(),
    params: rest ? { rest } : {},
    query: options.query ?? {},
    ...(body === undefined ? {} : { body: { string: body }, headers: { "content-type": "application/json" } }),
  });
}
