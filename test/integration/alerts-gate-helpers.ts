/**
 * Set-up shared by the alerts-gate-*.test.ts files: a chat webhook whose behaviour the test switches
 * (answers, 429 with a given Retry-After, down), and the global summary's deliveries read back.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TableClient } from "@azure/data-tables";
import { createChannels } from "../../lib/alerts/channels/index.js";
import type { DeliveryDeps } from "../../lib/alerts/deliver.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, rollupDeps, type Harness } from "./alerts-delivery-helpers.js";

type HookMode = { readonly kind: "ok" } | { readonly kind: "throttled"; readonly retryAfter: string } | { readonly kind: "down" };

interface Hook {
  readonly url: string;
  mode: HookMode;
  /** The summary ids of the posts it accepted, in order. */
  readonly posted: string[];
  /** Every request it saw, accepted or not. */
  requests: number;
  stop(): Promise<void>;
}

async function startSwitchableHook(): Promise<Hook> {
  const hook = { mode: { kind: "ok" } as HookMode, posted: [] as string[], requests: 0 };
  const server = createServer((req, res) => {
    hook.requests++;
    if (hook.mode.kind === "down") {
      req.socket.destroy();
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      if (hook.mode.kind === "throttled") {
        res.writeHead(429, { "retry-after": hook.mode.retryAfter });
        res.end();
        return;
      }
      const payload = JSON.parse(body) as { metadata?: { event_payload?: { alert_id?: string } } };
      hook.posted.push(payload.metadata?.event_payload?.alert_id ?? "?");
      res.writeHead(200);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return Object.assign(hook, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

/** Runs `run` with a fresh webhook, stopped however it ends. */
export async function withHook(run: (hook: Hook) => Promise<void>): Promise<void> {
  const hook = await startSwitchableHook();
  try {
    await run(hook);
  } finally {
    await hook.stop();
  }
}

const GLOBAL = "noc@msp.example";

/** Delivery as the app wires it, with the global list, a Slack webhook, a quota high enough not to matter and `env` on top. */
export function gateDeps(h: Harness, hook: Hook, env: Record<string, string> = {}, acsTimeoutMs?: number): DeliveryDeps {
  const full = {
    ACS_CONNECTION_STRING: fake.connectionString,
    ALERT_TO: GLOBAL,
    ALERT_FROM: "alerts@msp.example",
    ALERT_WEBHOOK_URL: hook.url,
    ALERT_WEBHOOK_FORMAT: "slack",
    ALERT_EMAILS_PER_MINUTE: "1000",
    ALERT_EMAILS_PER_HOUR: "100000",
    ...env,
  };
  const channels = createChannels(loadAlertSettings(full), { pollIntervalMs: 5, now: () => new Date(h.clock.t), ...(acsTimeoutMs ? { acsTimeoutMs } : {}) });
  return rollupDeps(h, full, { channels });
}

const drift = SAMPLES["drift-detected"]!.transitions[0]!;

/** A drift alert of a fresh tenant with no recipients of its own, written now: only the summary tells anyone. */
export async function driftNow(h: Harness, name: string): Promise<string> {
  const { ids } = await h.write(alertOf("g", [drift], { createdAt: new Date(h.clock.t).toISOString(), tenantName: name, recipients: [] }));
  return ids[0]!;
}

/** The emails the global list got since `from` (an index into fake.accepted), as the summaries' subjects and texts. */
export const globalEmails = (from: number) => fake.accepted.slice(from).filter((e) => e.to.includes(GLOBAL));

/** The test's Monitor table, to read and write rows as they are stored. */
export const monitorTable = (h: Harness): TableClient => {
  const storage = loadStoreSettings(process.env).storage;
  if (storage.kind !== "connection-string") throw new Error("the tests run against Azurite's connection string");
  return TableClient.fromConnectionString(storage.connectionString, h.monitorTable, { allowInsecureConnection: true });
};
