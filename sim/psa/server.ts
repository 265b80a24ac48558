/**
 * A PSA simulator: an HTTPS server (node:https, no framework) speaking one vendor's documented
 * REST API (ConnectWise PSA, Autotask, HaloPSA) over a PsaSimState. Each vendor's routes live in
 * their own file; this one reads requests, checks credentials, applies injected faults and writes
 * answers. It imports nothing from lib/. See sim/psa/README.md.
 */
import { createServer } from "node:https";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { makeSelfSignedCertificate, type SimTls } from "../cert.js";
import type { JsonValue, SimResponse } from "../types.js";
import { json, type PsaRequest, type VendorRoutes } from "./routing.js";
import { PsaSimState, SAMPLE_COMPANIES, type PsaSimSeed, type PsaVendor, type SimStatus } from "./state.js";
import { connectwiseRoutes, CONNECTWISE_STATUSES } from "./connectwise.js";
import { autotaskRoutes, AUTOTASK_STATUSES } from "./autotask.js";
import { haloRoutes, HALO_STATUSES } from "./halo.js";

/** What each simulator accepts; defaults below. Tests pass the same values to the client. */
export interface PsaCredentials {
  readonly connectwise: { company: string; publicKey: string; privateKey: string; clientId: string };
  readonly autotask: { userName: string; secret: string; integrationCode: string };
  readonly halo: { clientId: string; clientSecret: string };
}

const SIM_CREDENTIALS: PsaCredentials = {
  connectwise: { company: "driftmsp", publicKey: "sim-public-key", privateKey: "sim-private-key-5b1f9c", clientId: "0d3c1a52-sim-client-id" },
  autotask: { userName: "api-user@driftmsp.example", secret: "sim-autotask-secret-7e2d", integrationCode: "SIMINTEGRATIONCODE000000001" },
  halo: { clientId: "sim-halo-client", clientSecret: "sim-halo-secret-91aa4c" },
};

export interface PsaSimulatorOptions {
  readonly vendor: PsaVendor;
  readonly tls?: SimTls;
  readonly port?: number;
  readonly credentials?: Partial<PsaCredentials>;
  readonly seed?: PsaSimSeed;
}

export interface RunningPsaSimulator {
  readonly vendor: PsaVendor;
  /** https://127.0.0.1:PORT; the vendor's API base is below it (see `apiBase`). */
  readonly url: string;
  /** Where the vendor's API lives, as a client would configure it. */
  readonly apiBase: string;
  readonly state: PsaSimState;
  readonly credentials: PsaCredentials;
  stop(): Promise<void>;
}

const VENDORS: Record<PsaVendor, { routes: (credentials: PsaCredentials) => VendorRoutes; prefix: string; statuses: readonly SimStatus[] }> = {
  connectwise: { routes: (c) => connectwiseRoutes(c.connectwise), prefix: "/v4_6_release/apis/3.0", statuses: CONNECTWISE_STATUSES },
  autotask: { routes: (c) => autotaskRoutes(c.autotask), prefix: "/atservicesrest/v1.0", statuses: AUTOTASK_STATUSES },
  halo: { routes: (c) => haloRoutes(c.halo), prefix: "", statuses: HALO_STATUSES },
};

export async function startPsaSimulator(options: PsaSimulatorOptions): Promise<RunningPsaSimulator> {
  const vendor = VENDORS[options.vendor];
  const credentials: PsaCredentials = { ...SIM_CREDENTIALS, ...options.credentials };
  const routes = vendor.routes(credentials);
  const state = new PsaSimState(options.vendor, {
    companies: options.seed?.companies ?? SAMPLE_COMPANIES,
    statuses: options.seed?.statuses ?? vendor.statuses,
  });
  const tls = options.tls ?? (await makeSelfSignedCertificate());
  const server = createServer({ cert: tls.cert, key: tls.key, keepAlive: true }, (req, res) => {
    state.inFlight += 1;
    state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
    void readBody(req).then(async (text) => {
      const origin = `https://${req.headers.host ?? "127.0.0.1"}`;
      const failed = (err: unknown): SimResponse => json(500, { message: `Simulator error: ${err instanceof Error ? err.message : String(err)}` });
      let response: Handled;
      try {
        response = handle(state, routes, vendor.prefix, req, text, origin);
      } catch (err) {
        response = failed(err);
      }
      if (response.before) {
        const work = response.before;
        await state.hold();
        try {
          response = work();
        } catch (err) {
          response = failed(err);
        }
      }
      if (response.held) await state.hold();
      if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
      state.inFlight -= 1;
      // The caller may be gone (killed while its answer was held): nothing to answer.
      if (res.destroyed) return;
      const body = response.body === undefined ? "" : JSON.stringify(response.body);
      res.writeHead(response.status, { "Content-Type": "application/json; charset=utf-8", ...response.headers, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    vendor: options.vendor,
    url,
    apiBase: `${url}${vendor.prefix}`,
    state,
    credentials,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
  });
}

/** `held`: answer after releaseHeld(); `before`: the work itself waits for releaseHeld(). */
type Handled = SimResponse & { held?: true; before?: () => SimResponse };

function handle(state: PsaSimState, routes: VendorRoutes, prefix: string, req: IncomingMessage, text: string, origin: string): Handled {
  const url = new URL(req.url ?? "/", origin);
  if (!url.pathname.toLowerCase().startsWith(prefix.toLowerCase())) return json(404, { message: `not under ${prefix || "/"}` });
  let parsed: JsonValue | undefined;
  const type = req.headers["content-type"] ?? "";
  if (text.trim() !== "" && type.includes("json")) {
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch {
      return json(400, { message: "The request body is not valid JSON." });
    }
  }
  const request: PsaRequest = {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname.slice(prefix.length),
    query: url.searchParams,
    headers: req.headers,
    json: parsed,
    text,
    origin,
  };
  const route = routes.route(state, request);
  if (!route) return json(404, { message: `No route for ${request.method} ${url.pathname}` });
  state.count(route.name);
  if (route.authenticated && !routes.authenticate(state, request)) return json(401, { code: "Unauthorized", message: "Authentication failed." });
  const fault = state.takeFault(route.name);
  if (fault?.kind === "429") return json(429, { message: "Rate limit exceeded." }, { "Retry-After": String(fault.retryAfterSeconds ?? 1) });
  if (fault?.kind === "400-echo") return json(400, { message: `Bad request. Headers: ${JSON.stringify(req.headers)} Body: ${text}` });
  if (fault?.kind === "5xx") return json(500, { message: "Internal server error (injected)." });
  if (fault?.kind === "hold-before") return { ...json(500, {}), before: route.run };
  const response = route.run();
  if (fault?.kind === "hold-after") return { ...response, held: true };
  return fault?.kind === "5xx-after" ? json(500, { message: "Internal server error after the change was saved (injected)." }) : response;
}
