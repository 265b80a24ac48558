/**
 * The shapes a vendor's routes share with the PSA simulator's server, and two small helpers.
 */
import type { IncomingMessage } from "node:http";
import type { JsonValue, SimResponse } from "../types.js";
import type { PsaSimState } from "./state.js";

export interface PsaRequest {
  readonly method: string;
  /** The path after the vendor's API base, e.g. `/service/tickets/1001`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage["headers"];
  readonly json: JsonValue | undefined;
  readonly text: string;
  /** https://host:port the client addressed. */
  readonly origin: string;
}

export interface PsaRoute {
  /** Counted and matched by faults: `tickets.create`, `companies.query`, … */
  readonly name: string;
  /** False for the calls a vendor answers without credentials (Autotask's zone lookup, Halo's token endpoint checks its own). */
  readonly authenticated: boolean;
  run(): SimResponse;
}

export interface VendorRoutes {
  /** Undefined when the request is not one the vendor serves (404). */
  route(state: PsaSimState, request: PsaRequest): PsaRoute | undefined;
  /** True when the request carries the credentials the simulator was started with. */
  authenticate(state: PsaSimState, request: PsaRequest): boolean;
}

export const json = (status: number, body: JsonValue | undefined, headers: Record<string, string> = {}): SimResponse => ({ status, headers, body });

/** `page` (1-based) of `items`, `pageSize` long, clamped to `max`; the vendors differ in how they say it. */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number, max: number): { items: T[]; hasMore: boolean } {
  const size = Math.min(Math.max(1, Number.isFinite(pageSize) ? pageSize : max), max);
  const p = Math.max(1, Number.isFinite(page) ? page : 1);
  return { items: items.slice((p - 1) * size, p * size), hasMore: p * size < items.length };
}
