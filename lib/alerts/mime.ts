/**
 * An email as an RFC 5322 / MIME message (`.eml`): multipart/alternative with a plain-text and
 * an HTML part, both UTF-8 and quoted-printable, CRLF line ends, lines under 78 characters, and
 * an RFC 2047 encoded subject when it is not plain ASCII. Deterministic: the boundary and the
 * Date come from the content and the injected clock, so a re-delivery writes the same bytes.
 */
import { createHash } from "node:crypto";
import { oneLine } from "./escape.js";

interface MimeMessage {
  readonly from: string;
  readonly fromName?: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly date: Date;
  /** Extra headers (ASCII names and values), e.g. the alert id. */
  readonly headers?: Readonly<Record<string, string>>;
}

const CRLF = "\r\n";

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text; line breaks become CRLF hard breaks. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const bytes = Buffer.from(line, "utf8");
    const tokens: string[] = [];
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      tokens.push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`);
    });
    // Soft breaks: at most 76 characters per encoded line including the trailing "=".
    let current = "";
    for (const t of tokens) {
      if (current.length + t.length > 75) {
        out.push(`${current}=`);
        current = "";
      }
      current += t;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

/** RFC 2047 encoded-words (base64), each at most 75 characters, never splitting a character. */
export function encodeHeaderWords(value: string): string {
  const clean = oneLine(value);
  if (/^[\x20-\x7e]*$/.test(clean)) {
    const folded = foldAscii(clean);
    // A word too long to fold is encoded instead, so every line stays under 78 characters.
    if (folded.split(CRLF).every((l) => l.length <= 76)) return folded;
  }
  const words: string[] = [];
  let chunk = "";
  // 39 bytes of UTF-8 → 52 base64 characters + 12 of framing = 64: with "Subject: " in front, 73.
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch, "utf8") > 39) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join(`${CRLF} `);
}

/** Folds a long ASCII header value at spaces so no line passes 78 characters where avoidable. */
function foldAscii(value: string): string {
  const lines: string[] = [];
  let current = "";
  for (const word of value.split(" ")) {
    if (current && current.length + 1 + word.length > 70) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  lines.push(current);
  return lines.join(`${CRLF} `);
}

/** RFC 5322 date-time in UTC: "Thu, 01 Jan 2026 06:00:00 +0000". */
function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, "+0000");
}

const ADDRESS = /^[^\s<>(),;:"@]+@[^\s<>(),;:"@]+$/;

function address(a: string): string {
  if (!ADDRESS.test(a)) throw new Error(`"${oneLine(a).slice(0, 60)}" cannot be written as an address header`);
  return a;
}

export function buildMime(m: MimeMessage): string {
  const text = quotedPrintable(m.text);
  const html = quotedPrintable(m.html);
  // "=_" never occurs in quoted-printable output ("=" is always followed by hex or a line end).
  const boundary = `=_drift_${createHash("sha256").update(m.messageId).update(text).update(html).digest("hex").slice(0, 24)}`;
  const from = m.fromName ? `${encodeHeaderWords(m.fromName)} <${address(m.from)}>` : address(m.from);
  const headers = [
    `From: ${from}`,
    `To: ${m.to.length > 0 ? m.to.map(address).join(`,${CRLF} `) : "undisclosed-recipients:;"}`,
    `Subject: ${encodeHeaderWords(m.subject)}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: ${m.messageId}`,
    "MIME-Version: 1.0",
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${oneLine(v)}`),
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
  ];
  return [
    ...headers,
    "",
    "This is a multi-part message in MIME format.",
    `--${boundary}`,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    text,
    `--${boundary}`,
    "Content-Type: text/html; charset=UTF-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    html,
    `--${boundary}--`,
    "",
  ].join(CRLF);
}
