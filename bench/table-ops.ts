/**
 * Counts Table Storage operations as HTTP requests to Azurite's table endpoint, through Node's
 * `http.client.request.start` diagnostics channel: whatever the store does (a transaction is one
 * request, a query page is one), it is counted where it goes on the wire.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";

interface TableOpCounter {
  readonly count: number;
  reset(): void;
  stop(): void;
}

export function countTableOps(tableUrl: string): TableOpCounter {
  const port = new URL(tableUrl).port;
  let count = 0;
  const onStart = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const host = request?.getHeader("host");
    if (typeof host === "string" && host.endsWith(`:${port}`)) count += 1;
  };
  subscribe("http.client.request.start", onStart);
  return {
    get count() {
      return count;
    },
    reset: () => {
      count = 0;
    },
    stop: () => unsubscribe("http.client.request.start", onStart),
  };
}
