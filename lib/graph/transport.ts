/**
 * One HTTP round trip through the Graph client, answered as plain data. The client is asked for
 * the raw Response so that a 4xx/5xx is an answer to classify, not an exception, and the body
 * is parsed here: the client's loosely typed results never leave this file.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { ResponseType } from "@microsoft/microsoft-graph-client";
import { RoundTripCounter } from "./client.js";
import type { GraphVersion } from "./requests.js";

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  readonly body: unknown;
}

export interface Transport {
  get(version: GraphVersion, url: string): Promise<RawAnswer>;
  post(version: GraphVersion, url: string, body: unknown): Promise<RawAnswer>;
  /** HTTP requests that went on the wire so far (retries by the client's middleware included). */
  readonly roundTrips: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function isResponse(value: unknown): value is Response {
  return typeof value === "object" && value !== null && typeof (value as Response).status === "number" && typeof (value as Response).text === "function";
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A transport over one client. Round trips are counted by the client's counting middleware when
 * it has one (createGraphClient), else one per call (a client built elsewhere).
 */
export function graphTransport(client: Client, options: { timeoutMs?: number } = {}): Transport {
  const counter = new RoundTripCounter();
  let calls = 0;
  const send = async (version: GraphVersion, url: string, method: "GET" | "POST", body?: unknown): Promise<RawAnswer> => {
    calls += 1;
    const request = client
      .api(url)
      .version(version)
      .responseType(ResponseType.RAW)
      .middlewareOptions([counter])
      .option("signal", AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const res: unknown = method === "GET" ? await request.get() : await request.post(body);
    if (!isResponse(res)) throw new Error("The Graph client did not return a raw response");
    return { status: res.status, headers: res.headers, body: await readBody(res) };
  };
  return {
    get: (version, url) => send(version, url, "GET"),
    post: (version, url, body) => send(version, url, "POST", body),
    get roundTrips() {
      return Math.max(counter.count, calls);
    },
  };
}
