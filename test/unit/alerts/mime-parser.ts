/**
 * A small, strict MIME reader for the tests: it refuses what a lenient mail client would paper
 * over (bare LF, long lines, a bad quoted-printable escape, a missing part or header, invalid
 * UTF-8), so "it parses" means the `.eml` is well-formed, not just readable.
 */
interface ParsedPart {
  readonly contentType: string;
  readonly charset: string;
  readonly encoding: string;
  readonly body: string;
}

interface ParsedMessage {
  readonly headers: ReadonlyMap<string, string>;
  readonly subject: string;
  readonly boundary: string;
  readonly parts: readonly ParsedPart[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(message: string): never {
  throw new Error(`MIME: ${message}`);
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split("\r\n")) {
    if (/^[ \t]/.test(line)) {
      if (!last) fail("continuation line before any header");
      headers.set(last, `${headers.get(last) ?? ""}\r\n${line}`);
      continue;
    }
    const m = /^([!-9;-~]+):[ \t]?(.*)$/.exec(line);
    if (!m?.[1]) fail(`not a header line: ${JSON.stringify(line.slice(0, 60))}`);
    last = m[1].toLowerCase();
    if (headers.has(last)) fail(`duplicate header ${m[1]}`);
    headers.set(last, m[2] ?? "");
  }
  return headers;
}

/** RFC 2047: encoded words (B or Q, UTF-8 only), whitespace between adjacent words dropped. */
export function decodeHeader(value: string): string {
  const unfolded = value.replace(/\r\n[ \t]/g, " ");
  if (/[^\x20-\x7e]/.test(unfolded)) fail("raw non-ASCII in a header");
  return unfolded.replace(/(\?=)\s+(=\?)/g, "$1$2").replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
    if (charset.toUpperCase() !== "UTF-8") fail(`charset ${charset}`);
    const bytes =
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          );
    return utf8.decode(bytes);
  });
}

export function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const lines = body.split("\r\n");
  lines.forEach((line, i) => {
    if (line.length > 76) fail(`quoted-printable line of ${line.length} characters`);
    if (/[ \t]$/.test(line)) fail("quoted-printable line ends in whitespace");
    let soft = false;
    for (let j = 0; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === 61) {
        if (j === line.length - 1) {
          soft = true;
          break;
        }
        const hex = line.slice(j + 1, j + 3);
        if (!/^[0-9A-F]{2}$/.test(hex)) fail(`bad escape =${hex}`);
        bytes.push(parseInt(hex, 16));
        j += 2;
      } else if ((c >= 33 && c <= 126) || c === 32 || c === 9) {
        bytes.push(c);
      } else {
        fail(`raw byte ${c} in quoted-printable`);
      }
    }
    if (!soft && i < lines.length - 1) bytes.push(13, 10);
  });
  return utf8.decode(Uint8Array.from(bytes));
}

function decodeBody(encoding: string, body: string): string {
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  if (encoding === "base64") {
    if (!/^[A-Za-z0-9+/=\r\n]*$/.test(body)) fail("bad base64");
    return utf8.decode(Buffer.from(body.replace(/\r\n/g, ""), "base64"));
  }
  return fail(`transfer encoding ${encoding}`);
}

export function parseMime(raw: string): ParsedMessage {
  if (/\r(?!\n)|(?<!\r)\n/.test(raw)) fail("line ends must be CRLF");
  for (const line of raw.split("\r\n")) if (line.length > 998) fail("a line is longer than 998 characters");
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) fail("no blank line after the headers");
  const headers = parseHeaders(raw.slice(0, split));
  for (const required of ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"]) {
    if (!headers.has(required)) fail(`missing ${required} header`);
  }
  if (headers.get("mime-version") !== "1.0") fail("MIME-Version must be 1.0");
  if (!/^<[^<>@\s]+@[^<>@\s]+>$/.test(headers.get("message-id") ?? "")) fail("Message-ID is not <id@domain>");
  const ct = /^multipart\/alternative;(?:\r\n)?\s*boundary="([^"]+)"$/.exec(headers.get("content-type") ?? "");
  if (!ct?.[1]) fail("Content-Type must be multipart/alternative with a quoted boundary");
  const boundary = ct[1];
  const body = raw.slice(split + 4);
  const delimiter = `\r\n--${boundary}`;
  const close = `${delimiter}--`;
  const closeAt = body.indexOf(close);
  if (closeAt < 0) fail("no closing boundary");
  if (body.slice(closeAt + close.length).replace(/^\r\n/, "") !== "") fail("text after the closing boundary");
  const sections = `\r\n${body.slice(0, closeAt)}`.split(delimiter).slice(1);
  if (sections.length === 0) fail("no parts");
  const parts = sections.map((section) => {
    if (!section.startsWith("\r\n")) fail("boundary line has trailing text");
    const s = section.slice(2);
    const at = s.indexOf("\r\n\r\n");
    if (at < 0) fail("part without headers");
    const ph = parseHeaders(s.slice(0, at));
    const type = /^(text\/(?:plain|html));\s*charset=(?:"?)([A-Za-z0-9-]+)"?$/.exec(ph.get("content-type") ?? "");
    if (!type?.[1] || !type[2]) fail(`unexpected part Content-Type ${ph.get("content-type")}`);
    if (type[2].toUpperCase() !== "UTF-8") fail("charset must be UTF-8");
    const encoding = (ph.get("content-transfer-encoding") ?? "").toLowerCase();
    return { contentType: type[1], charset: type[2], encoding, body: decodeBody(encoding, s.slice(at + 4)) };
  });
  return { headers, subject: decodeHeader(headers.get("subject") ?? ""), boundary, parts };
}
