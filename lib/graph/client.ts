/**
 * The Microsoft Graph client for one tenant: @microsoft/microsoft-graph-client with the
 * tenant's TokenCredential, pointed at GRAPH_ENDPOINT. Its own middleware retries top-level
 * 429/503/504 (a `$batch` POST itself being throttled); throttled *sub*-requests are batch.ts's job.
 */
import type { TokenCredential } from "@azure/identity";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
// The package has no "exports" map, so ES modules must name the file.
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import type { Settings } from "../config/settings.js";
import { getCredential, type CredentialDeps } from "./credentials.js";

/** Scope of an app-only token for Microsoft Graph. For another endpoint (the simulator) the same scope is asked: it ignores it. */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

interface CreateGraphClientOptions {
  readonly tenantId: string;
  readonly settings: Pick<Settings, "graphEndpoint" | "graphAuth">;
  /** Use this credential instead of the one settings choose (tests, a caller with its own cache). */
  readonly credential?: TokenCredential;
  /** Injected pieces of the credential (a fake managed identity in tests). */
  readonly credentialDeps?: CredentialDeps;
  /** Top-level retries of the client's RetryHandler (default 3; its delays honour Retry-After). */
  readonly maxRetries?: number;
  /**
   * Told of every 429 Graph answered this client: a throttled request on the wire (each retry
   * counts) and each throttled sub-request of a `$batch` answer. For telemetry only.
   */
  readonly onThrottled?: (count: number) => void;
  /** First delay, in seconds, of the RetryHandler's backoff without Retry-After (default 3). */
  readonly retryDelaySeconds?: number;
}

/**
 * A per-request counter of HTTP round trips, passed as a middleware option. The counting
 * middleware sits after the RetryHandler, so a request the client retried counts each time it
 * went on the wire.
 */
export class RoundTripCounter {
  count = 0;
}

/** 429s in one answer: the answer's own, or its throttled sub-requests when it is a `$batch` answer. */
export async function throttledIn(request: Context["request"], response: Response): Promise<number> {
  if (response.status === 429) return 1;
  const url = typeof request === "string" ? request : request.url;
  if (!response.ok || !/\/\$batch(?:\?|$)/.test(url)) return 0;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const responses = typeof body === "object" && body !== null && "responses" in body && Array.isArray(body.responses) ? (body.responses as unknown[]) : [];
  return responses.filter((r) => typeof r === "object" && r !== null && "status" in r && r.status === 429).length;
}

class RoundTripCountingHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly onThrottled?: (count: number) => void) {}
  async execute(context: Context): Promise<void> {
    const counter = context.middlewareControl?.getMiddlewareOptions(RoundTripCounter);
    if (counter instanceof RoundTripCounter) counter.count += 1;
    if (!this.next) throw new Error("RoundTripCountingHandler must not be last in the chain");
    await this.next.execute(context);
    if (this.onThrottled && context.response) {
      const throttled = await throttledIn(context.request, context.response);
      if (throttled > 0) this.onThrottled(throttled);
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Hostname (no port, lower case) of the Graph endpoint: what `customHosts` must hold. */
export function endpointHost(graphEndpoint: string): string {
  return new URL(graphEndpoint).hostname.toLowerCase();
}

export function createGraphClient(options: CreateGraphClientOptions): Client {
  const { tenantId, settings } = options;
  const credential = options.credential ?? getCredential(tenantId, settings.graphAuth, options.credentialDeps);
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  const retry = new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 3);
  // The default chain (auth → retry → redirect → telemetry → HTTP) with the counter added
  // just before the wire.
  const middleware: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new RoundTripCountingHandler(options.onThrottled),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware,
    baseUrl: settings.graphEndpoint,
    defaultVersion: "v1.0",
    // The client attaches the bearer token only for Graph's own hosts and these: without it,
    // a request to GRAPH_ENDPOINT (the simulator, a national cloud proxy) goes out anonymous.
    customHosts: new Set([endpointHost(settings.graphEndpoint)]),
  });
}
