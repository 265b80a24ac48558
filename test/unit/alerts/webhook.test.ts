import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannels } from "../../../lib/alerts/channels/index.js";
import { webhookChannel } from "../../../lib/alerts/channels/webhook.js";
import { loadAlertSettings } from "../../../lib/config/alert-settings.js";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { HOSTILE, HOSTILE_POLICY, NOW } from "./samples.js";

const rendered = renderAlert(HOSTILE, { now: NOW });

describe("chat payloads", () => {
  it("Slack: &, < and > escaped everywhere, so a name cannot ping or link", () => {
    const json = JSON.stringify(slackPayload(rendered.document));
    expect(json).not.toContain("<img");
    expect(json).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(json).toContain('Contoso &amp; \\"Partners\\" — Ünïcødé 株式会社');
    // Our own links are the only <…|…> tokens.
    const links = [...json.matchAll(/<(https:[^|>]+)\|/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/^https:\/\/entra\.microsoft\.com\//);
  });

  it("Teams: an Adaptive Card with Markdown-escaped values and our links as actions", () => {
    const payload = teamsPayload(rendered.document) as {
      attachments: Array<{ contentType: string; content: { body: unknown[]; actions: Array<{ url: string }> } }>;
    };
    const card = payload.attachments[0]!;
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const json = JSON.stringify(card.content.body);
    expect(json).toContain("\\\\<img src=x onerror=alert\\\\(1\\\\)\\\\>");
    expect(json).not.toMatch(/\[[^\]]*\]\(/); // no Markdown link can be formed from tenant text
    expect(card.content.actions.map((a) => a.url)).toContain(rendered.document.blocks[0]!.links[0]!.url);
  });
});

describe("webhook channel", () => {
  const received: Array<{ body: string; type: string | undefined; key: string | undefined }> = [];
  const answers: Array<{ status: number; headers?: Record<string, string>; body?: string }> = [];
  let url = "";
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ body, type: req.headers["content-type"], key: req.headers["idempotency-key"] as string | undefined });
      const a = answers.shift() ?? { status: 200 };
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? (a.status === 200 ? "ok" : "nope"));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/secret-token`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("posts the payload and reports 429 with its Retry-After, without the URL's secret", async () => {
    const channel = webhookChannel({ url, format: "slack", now: () => NOW });
    const msg = { rendered, from: "a@b.co", to: [], date: NOW };
    expect(await channel.send(msg)).toMatchObject({ ok: true });
    expect(JSON.parse(received[0]!.body)).toMatchObject({ text: expect.stringContaining("[Drift]") });
    expect(received[0]!.type).toMatch(/application\/json/);
    answers.push({ status: 429, headers: { "retry-after": "30" } });
    const r = await channel.send(msg);
    expect(r).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000, throttled: true });
    expect(JSON.stringify(r)).not.toContain("secret-token");
    answers.push({ status: 503 });
    expect(await channel.send(msg)).not.toHaveProperty("throttled");
    answers.push({ status: 404 });
    expect(await channel.send(msg)).toMatchObject({ ok: false, retryable: false });
    expect(received.at(-1)!.body).toContain(HOSTILE_POLICY.replace("<", "&lt;").replace(">", "&gt;"));
  });

  it("Teams: a 200 whose body says the connector throttled it (as Teams connectors answer) is a throttle, not a delivery", async () => {
    const teams = webhookChannel({ url, format: "teams", now: () => NOW });
    const msg = { rendered, from: "a@b.co", to: [], date: NOW };
    answers.push({ status: 200, body: "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi" });
    expect(await teams.send(msg)).toMatchObject({ ok: false, retryable: true, throttled: true });
    answers.push({ status: 200, body: "1" });
    expect(await teams.send(msg)).toMatchObject({ ok: true });
  });

  it.each(["slack", "teams"] as const)("%s: names the alert and its requeue generation in an Idempotency-Key header and in the payload", async (format) => {
    const channel = webhookChannel({ url, format, now: () => NOW });
    const start = received.length;
    await channel.send({ rendered: { ...rendered, generation: 2 }, from: "a@b.co", to: [], date: NOW });
    await channel.send({ rendered, from: "a@b.co", to: [], date: NOW });
    const [requeued, first] = received.slice(start);
    expect(requeued!.key).toBe(`${HOSTILE.id}.2`);
    expect(first!.key).toBe(`${HOSTILE.id}.0`);
    const body = JSON.parse(requeued!.body) as Record<string, unknown>;
    if (format === "slack") {
      expect(body.metadata).toEqual({
        event_type: "drift_monitor_alert",
        event_payload: { alert_id: HOSTILE.id, generation: 2, idempotency_key: `${HOSTILE.id}.2` },
      });
      expect(JSON.stringify((body.blocks as unknown[]).at(-1))).toContain(`Alert ${HOSTILE.id} · delivery 2`);
    } else {
      const card = (body.attachments as Array<{ content: { body: Array<Record<string, unknown>> } }>)[0]!.content;
      expect(card.body.at(-1)).toMatchObject({ type: "TextBlock", id: `drift-monitor-${HOSTILE.id}.2`, text: `Alert ${HOSTILE.id} · delivery 2` });
      expect(Object.keys(body).sort()).toEqual(["attachments", "summary", "type"]);
    }
  });
});

describe("a webhook URL App Service could not resolve from Key Vault", () => {
  const reference = "@Microsoft.KeyVault(VaultName=kv-x;SecretName=alert-webhook-url)";

  it("fails the webhook's sends, retryable and saying why, and holds no email", async () => {
    const settings = loadAlertSettings({ ALERT_WEBHOOK_URL: reference, ALERT_WEBHOOK_FORMAT: "slack" });
    expect(settings.webhook).toMatchObject({ format: "slack", unresolved: expect.stringContaining("SecretName=alert-webhook-url") });
    const channels = createChannels(settings);
    expect(channels.map((c) => c.name)).toEqual(["eml", "webhook"]);
    const msg = { rendered, from: "a@b.co", to: [], date: NOW };
    expect(await channels[1]!.send(msg)).toEqual({ ok: false, retryable: true, error: expect.stringMatching(/Key Vault reference the app could not resolve/) });
  });
});
