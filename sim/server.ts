/**
 * The Microsoft Graph simulator: an HTTPS server (node:https, no framework) that serves the
 * Graph requests Drift Monitor makes, under /v1.0 and /beta, plus the Entra token endpoint and a
 * control API under /_sim/. See docs/contracts.md for the interface other parts rely on.
 */
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Estate, JsonValue, SimResponse } from "./types.js";
import { SimState } from "./state.js";
import { makeSelfSignedCertificate, type SimTls } from "./cert.js";
import { mintToken as mint, tenantFromAuthorization } from "./tokens.js";
import { serveGraph } from "./graph.js";
import { serveBatch } from "./batch.js";
import { serveIdentity } from "./identity.js";
import type { IdTokenClaims } from "./sign-in.js";
import { serveControl } from "./control.js";
import { badRequest, graphError, unauthorized } from "./errors.js";
import { loadSampleEstate } from "./estate/index.js";
import type { RateLimits } from "./rate-limit.js";
import { exchangeOf, recorderFrom, type Recorder } from "./record.js";

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; the sim is meant for loopback only. */
  host?: string;
  /** PEM certificate and key; without them the sim makes its own self-signed pair. */
  tls?: SimTls;
  /** Tenant data; default the sample estate (a fresh copy per simulator). */
  estate?: Estate;
  /** Delay before every HTTP response. */
  latencyMs?: number;
  /** The sim's clock (sign-in times are relative to it); default the real clock. */
  now?: () => Date;
  /** Emulate Graph's per-tenant throttling budgets (off by default). */
  rateLimits?: RateLimits;
  /** Called with every Graph request and its answer (sim/record.ts); default: the SIM_RECORD_FILE environment variable's file, if set. */
  record?: Recorder;
  /** Eventual consistency: for this long after a write, reads still answer the old value (default 0: at once). */
  writeVisibilityMs?: number;
}

export interface RunningSimulator {
  /** e.g. https://127.0.0.1:51234 — use it as GRAPH_ENDPOINT and as authorityHost. */
  url: string;
  /** The certificate the sim serves, to trust it (NODE_EXTRA_CA_CERTS or a `ca` option). */
  caPem: string;
  state: SimState;
  /** A bearer token for the tenant, as the token endpoint would issue; `roles`: its application permissions (default the sim's read-only consented set). */
  mintToken(tenantId: string, options?: { roles?: readonly string[] }): string;
  /** A person's delegated token for `tenantId`: a partner's admin agent (`homeTenantId`, `userId`) in a customer (GDAP) or in the partner. */
  mintDelegatedToken(tenantId: string, delegated: { homeTenantId: string; userId: string }): string;
  /** A signed ID token, as Entra issues one after a person signs in (sign-in.ts; verifiable against the sim's keys). */
  mintIdToken(claims: IdTokenClaims): string;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? "127.0.0.1";
  const tls = options.tls ?? (await makeSelfSignedCertificate());
  const state = new SimState(options.estate ?? loadSampleEstate(), {
    now: options.now,
    latencyMs: options.latencyMs,
    rateLimits: options.rateLimits,
    writeVisibilityMs: options.writeVisibilityMs,
  });
  const record = recorderFrom(options.record, process.env);
  const server = createServer({ cert: tls.cert, key: tls.key, keepAlive: true }, (req, res) => {
    void handle(state, req, res, () => url, record);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    caPem: tls.cert,
    state,
    mintToken: (tenantId: string, mintOptions?: { roles?: readonly string[] }) => mint(tenantId, { now: state.now(), roles: mintOptions?.roles }),
    mintDelegatedToken: (tenantId, delegated) => mint(tenantId, { now: state.now(), delegated }),
    mintIdToken: (claims: IdTokenClaims) => state.signIn.mint(url, claims, state.now()),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): JsonValue | undefined | Error {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

const isLoopback = (address: string | undefined): boolean => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

async function handle(state: SimState, req: IncomingMessage, res: ServerResponse, simUrl: () => string, record?: Recorder): Promise<void> {
  try {
    const body = await readBody(req);
    // Links the sim writes (next links, metadata) use the host the client addressed.
    const baseUrl = req.headers.host ? `https://${req.headers.host}` : simUrl();
    const url = new URL(req.url ?? "/", baseUrl);
    const method = (req.method ?? "GET").toUpperCase();
    const response = route(state, method, url, body, req, baseUrl);
    if (record) {
      const json = parseJson(body);
      const exchange = exchangeOf(method, req.url ?? "/", json instanceof Error ? body : json, response);
      if (exchange) record(exchange);
    }
    if (!url.pathname.startsWith("/_sim") && state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
    write(res, response, req.headers["client-request-id"]);
  } catch (err) {
    write(res, graphError(500, "InternalServerError", err instanceof Error ? err.message : String(err)), undefined);
  }
}

function route(state: SimState, method: string, url: URL, body: string, req: IncomingMessage, baseUrl: string): SimResponse {
  if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) {
    if (!isLoopback(req.socket.remoteAddress)) return graphError(403, "Forbidden", "The control API answers loopback clients only.");
    const json = parseJson(body);
    if (json instanceof Error) return badRequest(`Invalid JSON: ${json.message}`);
    return serveControl(state, method, url, json);
  }
  const identity = serveIdentity(state, method, url, body, baseUrl);
  if (identity) {
    state.countHttp(identity.tenantId);
    if (identity.isTokenRequest) state.countRequest(identity.tenantId, "token");
    return identity.response;
  }
  const graph = /^\/(v1\.0|beta)(\/.*)$/i.exec(url.pathname);
  if (!graph) {
    state.countHttp(undefined);
    return graphError(404, "NotFound", `The simulator serves /v1.0, /beta, /{tenant}/oauth2/v2.0/token and /_sim; not ${url.pathname}.`);
  }
  const version = graph[1]!.toLowerCase() === "beta" ? "beta" : "v1.0";
  const auth = tenantFromAuthorization(req.headers.authorization);
  if ("error" in auth) {
    state.countHttp(undefined);
    return unauthorized(auth.error);
  }
  state.countHttp(auth.tenantId);
  const rest = req.url!.slice(req.url!.toLowerCase().indexOf(`/${version}`) + version.length + 1);
  if (/^\/\$batch(\?|$)/i.test(rest)) {
    if (method !== "POST") return badRequest("$batch accepts POST only.");
    const json = parseJson(body);
    if (json instanceof Error) return badRequest("Invalid batch payload format.");
    return serveBatch(state, version, json, auth.tenantId, baseUrl, req.headers.authorization);
  }
  const json = method === "POST" || method === "PATCH" ? parseJson(body) : undefined;
  if (json instanceof Error) return badRequest(`Invalid JSON: ${json.message}`);
  return serveGraph(state, { version, method, target: rest, tenantId: auth.tenantId, baseUrl, authorization: req.headers.authorization, body: json });
}

function write(res: ServerResponse, response: SimResponse, clientRequestId: string | string[] | undefined): void {
  const headers: Record<string, string> = { ...response.headers };
  if (typeof clientRequestId === "string") headers["client-request-id"] = clientRequestId;
  const text = response.body === undefined || response.status === 204 ? "" : JSON.stringify(response.body);
  res.writeHead(response.status, { ...headers, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
