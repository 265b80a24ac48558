/** Queue message encoding and validation (functions/queue/messages.ts): what the trigger decodes is what was sent. */
import { describe, expect, it } from "vitest";
import { alertMessageSchema, decodeMessageText, encodeMessage, parseMessage, tenantCheckMessageSchema } from "../../functions/queue/index.js";

const message = { tenantId: "11111111-2222-4333-8444-555555555555", enqueuedAt: "2026-03-02T08:00:00.000Z", reason: "schedule" as const, leaseId: "l-1" };

describe("queue messages", () => {
  it("are base64 of JSON, which the trigger's decoding turns back into the JSON", () => {
    const text = encodeMessage(message);
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(decodeMessageText(text))).toEqual(message);
  });

  it("parse from the decoded text, the object the host parsed, or bytes", () => {
    for (const payload of [JSON.stringify(message), message, new TextEncoder().encode(JSON.stringify(message))]) {
      expect(parseMessage(tenantCheckMessageSchema, payload)).toEqual({ ok: true, message });
    }
  });

  it("normalise the tenant id and refuse what does not fit, saying which field", () => {
    expect(parseMessage(tenantCheckMessageSchema, { ...message, tenantId: message.tenantId.toUpperCase() })).toEqual({ ok: true, message });
    expect(parseMessage(tenantCheckMessageSchema, { ...message, reason: "whim" })).toMatchObject({ ok: false, error: expect.stringMatching(/^reason: /) });
    expect(parseMessage(tenantCheckMessageSchema, { ...message, enqueuedAt: "now" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^enqueuedAt: /),
    });
    expect(parseMessage(tenantCheckMessageSchema, "eyJ0ZW5hbnRJZCI6")).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseMessage(tenantCheckMessageSchema, null)).toMatchObject({ ok: false });
    expect(parseMessage(alertMessageSchema, { tenantId: message.tenantId, alertId: "../../etc" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^alertId: /),
    });
    expect(parseMessage(alertMessageSchema, { tenantId: message.tenantId, alertId: "0123456789abcdef0123456789abcdef" })).toMatchObject({ ok: true });
  });
});
