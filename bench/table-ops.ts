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

/** What one worker's Table requests were, and how long its standings reads took (bench/README.md, workers mode). */
export interface TableTally {
  /** Every request to the table endpoint (a transaction or a query page is one). */
  readonly ops: number;
  /** Queries of acknowledgements or exceptions (any partition): what `record` reads per check. */
  readonly standingsReads: number;
  /** Of those, the estate-wide exceptions' partition. */
  readonly estateExceptionReads: number;
  /** Summed time from each standings query's request to its answer, ms. */
  readonly standingsReadMs: number;
}

/** The store's standings filters (lib/store/monitor/standings.ts), as they are sent: `RowKey gt 'ack|'` or `'exception|'`. */
const STANDINGS_QUERY = /RowKey gt '(ack|exception)\|'/;
const ESTATE_QUERY = /PartitionKey eq '~estate'/;

/** Tallies this process's Table requests to `tableUrl` through Node's http diagnostics channels. */
export function tallyTableOps(tableUrl: string): { snapshot(): TableTally; stop(): void } {
  const port = new URL(tableUrl).port;
  const started = new WeakMap<ClientRequest, number>();
  const tally = { ops: 0, standingsReads: 0, estateExceptionReads: 0, standingsReadMs: 0 };
  const onStart = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const host = request?.getHeader("host");
    if (!request || typeof host !== "string" || !host.endsWith(`:${port}`)) return;
    tally.ops += 1;
    let path: string;
    try {
      path = decodeURIComponent(request.path);
    } catch {
      return;
    }
    if (!STANDINGS_QUERY.test(path)) return;
    tally.standingsReads += 1;
    if (ESTATE_QUERY.test(path)) tally.estateExceptionReads += 1;
    started.set(request, performance.now());
  };
  const onFinish = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const at = request && started.get(request);
    if (at === undefined) return;
    tally.standingsReadMs += performance.now() - at;
    started.delete(request!);
  };
  subscribe("http.client.request.start", onStart);
  subscribe("http.client.response.finish", onFinish);
  return {
    snapshot: () => ({ ...tally, standingsReadMs: Math.round(tally.standingsReadMs) }),
    stop: () => {
      unsubscribe("http.client.request.start", onStart);
      unsubscribe("http.client.response.finish", onFinish);
    },
  };
}
