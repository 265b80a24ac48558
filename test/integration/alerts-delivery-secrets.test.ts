/**
 * Delivery errors that echo a secret are stored and logged redacted: ACS answering with its own
 * access key, a webhook failing with a body that quotes its own URL (the path is the token).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { SAMPLES } from "../unit/alerts/samples.js";
import { fake, harness, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const HOOK_PATH = "/webhookb2/leak-test-TOKEN-5b7e1c";

/** A webhook that fails with a body quoting its own URL. */
async function echoingHook(): Promise<{ url: string; stop(): Promise<void> }> {
  let url = "";
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`no handler configured for ${url} (path ${HOOK_PATH})`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${HOOK_PATH}`;
  return { url, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("delivery errors carrying secrets", () => {
  it("ACS echoing its key and a webhook echoing its URL: outbox rows and logs keep the status, not the secret", async () => {
    const hook = await echoingHook();
    try {
      const h = harness();
      const { tenantId, ids } = await h.write(SAMPLES["drift-detected"]!);
      const logged: string[] = [];
      const deps = h.deps({
        env: { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_FORMAT: "teams" },
        backoff: { baseMs: 1_000, maxMs: 1_000 },
        log: (event) => logged.push(JSON.stringify(event)),
      });
      fake.script({ status: 401, echoKey: true });
      await deliverDue(deps);
      const row = await h.outbox.get(tenantId, ids[0]!);
      const key = /accesskey=(.+)$/.exec(fake.connectionString)![1]!;
      const all = [JSON.stringify(row), logged.join("\n")].join("\n");
      expect(all).toMatch(/ACS 401/);
      expect(all).toMatch(/answered 500/);
      expect(all).not.toContain(key);
      expect(all).not.toContain(HOOK_PATH);
      expect(all).not.toContain("leak-test-TOKEN");
    } finally {
      await hook.stop();
    }
  });
});
