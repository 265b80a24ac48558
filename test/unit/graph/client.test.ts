import { afterEach, describe, expect, it, vi } from "vitest";
import { createGraphClient, endpointHost } from "../../../lib/graph/client.js";
import { StaticTokenCredential } from "../../../lib/graph/credentials.js";
import { graphTransport } from "../../../lib/graph/transport.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

const settings = {
  graphEndpoint: "https://graph.test:8443",
  graphAuth: { mode: "token" as const, accessToken: "tok", authorityHost: "https://login.test" },
};

describe("createGraphClient", () => {
  it("uses the endpoint's hostname (no port) as a custom host", () => {
    expect(endpointHost("https://127.0.0.1:8443")).toBe("127.0.0.1");
    expect(endpointHost("https://Graph.Microsoft.com")).toBe("graph.microsoft.com");
  });

  it("sends the bearer token to GRAPH_ENDPOINT and retries a throttled top-level request, counting both trips", async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    vi.stubGlobal("fetch", async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      seen.push({ url, auth: headers.get("authorization") });
      if (seen.length === 1) return new Response(JSON.stringify({ error: { code: "TooManyRequests" } }), { status: 429, headers: { "Retry-After": "0" } });
      return new Response(JSON.stringify({ responses: [] }), { status: 200, headers: { "content-type": "application/json" } });
    });
    const client = createGraphClient({ tenantId: "t", settings, credential: new StaticTokenCredential("tok") });
    const transport = graphTransport(client);
    const answer = await transport.post("beta", "/$batch", { requests: [] });
    expect(answer.status).toBe(200);
    expect(seen).toEqual([
      { url: "https://graph.test:8443/beta/$batch", auth: "Bearer tok" },
      { url: "https://graph.test:8443/beta/$batch", auth: "Bearer tok" },
    ]);
    expect(transport.roundTrips).toBe(2);
  });
});
