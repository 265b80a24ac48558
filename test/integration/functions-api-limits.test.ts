/**
 * The tenants API's handler at its edges: the function key in the URL never reaches a log, and a
 * body past the limit is refused (413) before it is read whole.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import functions, { type HttpRequest, type HttpRequestInit } from "@azure/functions";
import { setApp } from "../../functions/app/index.js";
import { api } from "../../functions/handlers/index.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { MAX_BODY_BYTES } from "../../functions/api/http.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { quietContext, testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(() => setApp(undefined));

const tenantId = sampleTenant("Fabrikam").tenantId;
const url = `http://127.0.0.1/api/tenants/${tenantId}?code=SECRET-FUNCTION-KEY`;

/** A request over a native Request, as the host builds one for a streamed body. */
function streamedRequest(method: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): HttpRequest {
  const nativeRequest = new Request(url, { method, body, headers, duplex: "half" } as RequestInit);
  return new functions.HttpRequest({ method, url, params: { rest: tenantId }, nativeRequest } as HttpRequestInit);
}

/** An endless body in 16 KiB chunks that counts the bytes pulled from it. */
function countingStream(chunk = 16 * 1024): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

describe("tenants API handler limits", () => {
  it("logs the method and route of a failed request, never the URL's function key", async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    const broken =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;" +
      "QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;";
    setApp(testApp(sim, clock, { AzureWebJobsStorage: broken }, { storeOptions: { clientOptions: { retryOptions: { maxRetries: 0 } } } }));
    const logged: string[] = [];
    const context = invocationContext({ logHandler: (_level, ...args) => void logged.push(args.map(String).join(" ")) });
    const request = new functions.HttpRequest({ method: "GET", url, params: { rest: tenantId }, query: { code: "SECRET-FUNCTION-KEY" } });
    const answer = await api(request, context);
    expect(answer.status).toBe(500);
    expect(logged.join("\n")).toContain(`api: GET /api/tenants/${tenantId} failed`);
    expect(logged.join("\n")).not.toContain("SECRET-FUNCTION-KEY");
    expect(logged.join("\n")).not.toContain("code=");
  });

  it("refuses a declared oversize body (413) without reading it", async () => {
    const { stream, pulled } = countingStream();
    const request = streamedRequest("PUT", stream, { "content-length": String(50 * 1024 * 1024) });
    const answer = await api(request, quietContext());
    expect(answer.status).toBe(413);
    expect(answer.jsonBody).toEqual({ error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
    expect(pulled()).toBe(0);
  });

  it("stops reading a chunked body at the first chunk past the limit (413)", async () => {
    const chunk = 16 * 1024;
    const { stream, pulled } = countingStream(chunk);
    const answer = await api(streamedRequest("PUT", stream), quietContext());
    expect(answer.status).toBe(413);
    expect(pulled()).toBeGreaterThan(MAX_BODY_BYTES);
    expect(pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * chunk);
  });
});
