import { describe, expect, it } from "vitest";
import { runBatch } from "../../../lib/graph/batch.js";
import { graphTransport } from "../../../lib/graph/transport.js";
import { batchResponder, fakeClient, type SubAnswer } from "./fake-graph.js";

function opts(random = () => 0.5) {
  const sleeps: number[] = [];
  return { sleeps, options: { sleep: async (ms: number) => void sleeps.push(ms), random, endpoint: "https://graph.test" } };
}

describe("runBatch", () => {
  it("sends up to 20 per batch and reports round trips", async () => {
    const { client, seen } = fakeClient(batchResponder(() => ({ status: 200, body: { ok: 1 } })));
    const t = graphTransport(client);
    const items = Array.from({ length: 45 }, (_, i) => ({ id: `r${i}`, url: `/x/${i}`, paged: false }));
    const res = await runBatch(t, "v1.0", items, opts().options);
    expect(res.size).toBe(45);
    expect([...res.values()].every((r) => r.ok)).toBe(true);
    expect(seen.map((s) => (s.body as { requests: unknown[] }).requests.length)).toEqual([20, 20, 5]);
    expect(t.roundTrips).toBe(3);
  });

  it("retries only throttled sub-requests, honouring Retry-After, and re-batches them together", async () => {
    const calls = new Map<string, number>();
    const { client, seen } = fakeClient(
      batchResponder((_v, url, id): SubAnswer => {
        const n = (calls.get(id) ?? 0) + 1;
        calls.set(id, n);
        if (id === "a" && n === 1) return { status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests" } } };
        if (id === "b" && n === 1) return { status: 429, body: { error: { code: "TooManyRequests" } } };
        if (id === "c" && n <= 2) return { status: 503 };
        return { status: 200, body: { url } };
      }),
    );
    const t = graphTransport(client);
    const { sleeps, options } = opts(() => 0);
    const res = await runBatch(
      t,
      "beta",
      [
        { id: "a", url: "/a", paged: false },
        { id: "b", url: "/b", paged: false },
        { id: "c", url: "/c", paged: false },
        { id: "d", url: "/d", paged: false },
      ],
      options,
    );
    expect([...res.values()].every((r) => r.ok)).toBe(true);
    // Round 2 carries a, b, c (wait = max(3000 Retry-After, 500 backoff)); round 3 only c.
    expect(seen.map((s) => (s.body as { requests: Array<{ id: string }> }).requests.map((r) => r.id))).toEqual([["a", "b", "c", "d"], ["a", "b", "c"], ["c"]]);
    expect(sleeps).toEqual([3000, 1000]);
    expect(seen.every((s) => s.url === "https://graph.test/beta/$batch")).toBe(true);
    expect(t.roundTrips).toBe(3);
  });

  it("gives up after maxAttempts and returns the last answer", async () => {
    const { client } = fakeClient(batchResponder(() => ({ status: 429, body: { error: { code: "TooManyRequests" } } })));
    const { sleeps, options } = opts();
    const res = await runBatch(graphTransport(client), "v1.0", [{ id: "a", url: "/a", paged: false }], {
      ...options,
      backoff: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    expect(res.get("a")).toMatchObject({ ok: false, kind: "http", status: 429, attempts: 3 });
    expect(sleeps).toHaveLength(2);
  });

  it("follows next links of several resources in one batch per round", async () => {
    const pages: Record<string, number> = { "/p": 3, "/q": 2, "/r": 1 };
    const { client, seen } = fakeClient(
      batchResponder((_v, url) => {
        const [path, query] = url.split("?");
        const page = query ? Number(/page=(\d+)/.exec(query)?.[1]) : 1;
        const total = pages[path ?? ""] ?? 1;
        return {
          status: 200,
          body: { value: [`${path}#${page}`], ...(page < total ? { "@odata.nextLink": `https://graph.test/v1.0${path}?page=${page + 1}` } : {}) },
        };
      }),
    );
    const t = graphTransport(client);
    const res = await runBatch(
      t,
      "v1.0",
      ["/p", "/q", "/r"].map((u) => ({ id: u, url: u, paged: true })),
      opts().options,
    );
    expect(res.get("/p")).toMatchObject({ ok: true, values: ["/p#1", "/p#2", "/p#3"] });
    expect(res.get("/q")).toMatchObject({ ok: true, values: ["/q#1", "/q#2"] });
    expect(res.get("/r")).toMatchObject({ ok: true, values: ["/r#1"] });
    expect(seen.map((s) => (s.body as { requests: Array<{ url: string }> }).requests.map((r) => r.url))).toEqual([
      ["/p", "/q", "/r"],
      ["/p?page=2", "/q?page=2"],
      ["/p?page=3"],
    ]);
    expect(t.roundTrips).toBe(3);
  });

  it("refuses a next link to another host", async () => {
    const { client } = fakeClient(batchResponder(() => ({ status: 200, body: { value: [], "@odata.nextLink": "https://elsewhere.test/v1.0/x?page=2" } })));
    const res = await runBatch(graphTransport(client), "v1.0", [{ id: "a", url: "/a", paged: true }], opts().options);
    expect(res.get("a")).toMatchObject({ ok: false, kind: "invalid" });
  });

  it("a failed batch answers for every request in it; a malformed one is invalid", async () => {
    const { client } = fakeClient(() => ({ status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } } }));
    const res = await runBatch(
      graphTransport(client),
      "v1.0",
      [
        { id: "a", url: "/a", paged: false },
        { id: "b", url: "/b", paged: false },
      ],
      opts().options,
    );
    expect([...res.values()]).toEqual([expect.objectContaining({ kind: "http", status: 401 }), expect.objectContaining({ kind: "http", status: 401 })]);

    const bad = fakeClient(() => ({ status: 200, body: { nope: true } }));
    const res2 = await runBatch(graphTransport(bad.client), "v1.0", [{ id: "a", url: "/a", paged: false }], opts().options);
    expect(res2.get("a")).toMatchObject({ ok: false, kind: "invalid" });
  });
});
