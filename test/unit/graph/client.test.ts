import { afterEach, describe, expect, it, vi } from "vitest";
import { createGraphClient, endpointHost, throttledIn } from "../../../lib/graph/client.js";
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

  it("tells onThrottled of every 429: the throttled trip the client retried, and each throttled sub-request of the batch answer", async () => {
    let trips = 0;
    vi.stubGlobal("fetch", async () => {
      trips += 1;
      if (trips === 1) return new Response(JSON.stringify({ error: { code: "TooManyRequests" } }), { status: 429, headers: { "Retry-After": "0" } });
      const responses = [
        { id: "1", status: 200, body: {} },
        { id: "2", status: 429, headers: { "Retry-After": "1" }, body: {} },
        { id: "3", status: 429, body: {} },
        { id: "4", status: 503, body: {} },
      ];
      return new Response(JSON.stringify({ responses }), { status: 200, headers: { "content-type": "application/json" } });
    });
    const told: number[] = [];
    const client = createGraphClient({ tenantId: "t", settings, credential: new StaticTokenCredential("tok"), onThrottled: (n) => told.push(n) });
    const answer = await graphTransport(client).post("v1.0", "/$batch", { requests: [] });
    // The transport still reads the whole answer: counting read a copy.
    expect((answer.body as { responses: unknown[] }).responses).toHaveLength(4);
    expect(told).toEqual([1, 2]);
  });

  it.each([
    ["a 429 answer", "https://g/v1.0/users", 429, "", 1],
    ["a batch answer with no throttled sub-request", "https://g/v1.0/$batch", 200, JSON.stringify({ responses: [{ status: 200 }] }), 0],
    ["a batch answer that is not JSON", "https://g/beta/$batch", 200, "oops", 0],
    ["a 200 of another request, whatever its body", "https://g/v1.0/users", 200, JSON.stringify({ responses: [{ status: 429 }] }), 0],
  ])("throttledIn: %s", async (_what, url, status, body, expected) => {
    expect(await throttledIn(url, new Response(body === "" ? null : body, { status }))).toBe(expected);
  });
});
