/**
 * The tenants API as plain functions: a request is method + path + query + body text, a response
 * is a status and a JSON body. No Functions types here, so the routes are tested without the
 * host and the handler in functions/ only translates.
 *
 * Every body is JSON (errors too), and every value from a tenant goes out as a JSON string —
 * data, never markup — with `nosniff` so a browser does not guess otherwise.
 */
import type { z } from "zod";

export interface ApiRequest {
  readonly method: string;
  /** The path after `/api/tenants`, without leading or trailing slashes: "", "{id}", "{id}/check". */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The body as text; undefined when there is none. */
  readonly body: string | undefined;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Issue {
  /** Dotted field path ("recipients.1"); "" for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/** The largest body accepted: a tenant is well under 1 KiB; 50 recipients are a few KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  body,
  headers: { ...JSON_HEADERS, ...headers },
});

export const badRequest = (error: string, issues: readonly Issue[] = []): ApiResponse => json(400, { error, issues });
export const notFound = (error: string): ApiResponse => json(404, { error });
export const methodNotAllowed = (allowed: readonly string[]): ApiResponse =>
  json(405, { error: `method not allowed here; use ${allowed.join(", ")}` }, { allow: allowed.join(", ") });

export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
