import { describe, expect, it } from "vitest";
import { buildMime, encodeHeaderWords, quotedPrintable } from "../../../lib/alerts/mime.js";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { decodeHeader, decodeQuotedPrintable, parseMime } from "./mime-parser.js";
import { HOSTILE, HOSTILE_POLICY, HOSTILE_TENANT, NOW, SAMPLES } from "./samples.js";

const crlf = (s: string) => s.replace(/\n/g, "\r\n");

function eml(alert = HOSTILE) {
  const r = renderAlert(alert, { now: NOW });
  const raw = buildMime({
    from: "alerts@example.com",
    fromName: "Drift Monitor",
    to: ["ops@contoso.com", "Second@Example.com"],
    subject: r.subject,
    text: r.text,
    html: r.html,
    messageId: r.messageId,
    date: NOW,
    headers: { "X-Drift-Monitor-Alert": alert.id },
  });
  return { r, raw };
}

describe("quoted-printable and header words", () => {
  it.each(["plain", "trailing space ", "= sign", "Ünïcødé 株式会社 — “quotes”", "x".repeat(200), "é".repeat(100), "line1\nline2\n"])("round-trips %j", (s) => {
    const encoded = quotedPrintable(s);
    for (const line of encoded.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
    expect(decodeQuotedPrintable(encoded)).toBe(crlf(s));
  });

  it.each(["ASCII subject", HOSTILE_TENANT, `${"株".repeat(60)} end`, "a".repeat(150)])("encodes subjects per RFC 2047: %j", (s) => {
    const h = encodeHeaderWords(s);
    for (const line of h.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
    expect(h).not.toMatch(/[^\x20-\x7e\r\n]/);
    expect(decodeHeader(h)).toBe(s);
  });
});

describe(".eml", () => {
  it("parses strictly as multipart/alternative with a text and an HTML part, values intact", () => {
    const { r, raw } = eml();
    const m = parseMime(raw);
    expect(m.subject).toBe(r.subject);
    expect(m.subject).toContain(HOSTILE_TENANT);
    expect(m.headers.get("message-id")).toBe(r.messageId);
    expect(m.headers.get("date")).toBe("Wed, 04 Mar 2026 06:30:00 +0000");
    expect(m.headers.get("to")).toBe("ops@contoso.com,\r\n Second@Example.com");
    expect(m.parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    expect(m.parts[0]?.body).toBe(crlf(r.text));
    expect(m.parts[1]?.body).toBe(crlf(r.html));
    expect(m.parts[0]?.body).toContain(HOSTILE_POLICY);
    expect(m.parts[1]?.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("is byte-identical when built again (a re-delivery overwrites with the same file)", () => {
    expect(eml().raw).toBe(eml().raw);
    expect(eml(SAMPLES.resolved).raw).not.toBe(eml().raw);
  });

  it("refuses an address that would break the header", () => {
    const r = renderAlert(HOSTILE, { now: NOW });
    expect(() =>
      buildMime({ from: "a@b.c", to: ["x@y.z\r\nBcc: evil@example.com"], subject: "s", text: r.text, html: r.html, messageId: r.messageId, date: NOW }),
    ).toThrow(/address header/);
  });

  it("the strict parser rejects broken MIME", () => {
    const { raw } = eml();
    expect(() => parseMime(raw.replace(/\r\n/g, "\n"))).toThrow(/CRLF/);
    expect(() => parseMime(raw.replace(/--=_drift_[0-9a-f]+--/, ""))).toThrow(/closing boundary/);
    expect(() => parseMime(raw.replace("Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: 8bit"))).toThrow(/transfer encoding/);
  });
});
