/**
 * One HTTP round trip through the Graph client, answered as plain data. The client is asked for
 * the raw Response so that a 4xx/5xx is an answer to classify, not an exception, and the body
 * is parsed here: the client's loosely typed results never leave this file.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { ResponseType } from "@microsoft/microsoft-graph-client";
import { RoundTripCounter } from "./client.js";
import type { GraphVersion } from "./facts/definition.js";
import { redact } from "../errors/redact.js";

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

/** A transport that also writes (remediation's client only; the monitoring app never PATCHes). */
export interface WriteTransport extends Transport {
  patch(version: GraphVersion, url: string, body: unknown): Promise<RawAnswer>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The tenant's token could not be had. Entra answers with an AADSTS code (65001: consent not
 * granted or revoked; 700016: app not in the tenant; 7000215: bad secret): not a Graph outage
 * but a reason to act on, so it is told apart from a network failure.
 */
export class TokenAcquisitionError extends Error {
  constructor(
    message: string,
    readonly aadsts: string | undefined,
  ) {
    super(message);
    this.name = "TokenAcquisitionError";
  }
}

/** The client wraps a credential's error in a GraphError whose `code` is the original name. */
function asTokenError(error: unknown): TokenAcquisitionError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const aadsts = /AADSTS(\d+)/.exec(error.message)?.[1];
  const fromCredential = code === "AuthenticationError" || code === "CredentialUnavailableError" || error.name === "AuthenticationError";
  if (!aadsts && !fromCredential) return undefined;
  // The first line carries the code and the description; the trace ids after it are noise.
  const first = redact(error.message.split("\n")[0] ?? error.message);
  return new TokenAcquisitionError(first.length > 300 ? `${first.slice(0, 297)}...` : first, aadsts);
}

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
export function graphTransport(client: Client, options: { timeoutMs?: number } = {}): WriteTransport {
  const counter = new RoundTripCounter();
  let calls = 0;
  const send = async (version: GraphVersion, url: string, method: "GET" | "POST" | "PATCH", body?: unknown): Promise<RawAnswer> => {
    calls += 1;
    const request = client
      .api(url)
      .version(version)
      .responseType(ResponseType.RAW)
      .middlewareOptions([counter])
      .option("signal", AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    let res: unknown;
    try {
      res = method === "GET" ? await request.get() : method === "POST" ? await request.post(body) : await request.patch(body);
    } catch (error) {
      throw asTokenError(error) ?? error;
    }
    if (!isResponse(res)) throw new Error("The Graph client did not return a raw response");
    return { status: res.status, headers: res.headers, body: await readBody(res) };
  };
  return {
    get: (version, url) => send(version, url, "GET"),
    post: (version, url, body) => send(version, url, "POST", body),
    patch: (version, url, body) => send(version, url, "PATCH", body),
    get roundTrips() {
      return Math.max(counter.count, calls);
    },
  };
}
