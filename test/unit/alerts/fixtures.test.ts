/**
 * A rendering of every message type is kept under test/fixtures/emails (`.eml` to open in a mail
 * client, `.html` to open in a browser). This test renders them again with a fixed clock and
 * compares byte for byte; `UPDATE_EMAIL_FIXTURES=1 npx vitest run test/unit/alerts/fixtures.test.ts`
 * rewrites them after an intended change (then review the diff).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderDigest } from "../../../lib/alerts/digest/render.js";
import { summariseEstate } from "../../../lib/alerts/digest/summary.js";
import { buildMime } from "../../../lib/alerts/mime.js";
import { renderAlert, type RenderedEmail } from "../../../lib/alerts/render/index.js";
import { parseMime } from "./mime-parser.js";
import { DIGEST_INPUT, HOSTILE, NOW, SAMPLES } from "./samples.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/emails");
const UPDATE = process.env.UPDATE_EMAIL_FIXTURES === "1";
const DASHBOARD = "https://drift-monitor.example.com/dashboard";

const renderings: Array<[string, RenderedEmail]> = [
  ...Object.entries(SAMPLES).map(([name, alert]): [string, RenderedEmail] => [name, renderAlert(alert, { now: NOW, dashboardUrl: DASHBOARD })]),
  ["escaping", renderAlert(HOSTILE, { now: NOW })],
  ["digest", renderDigest(summariseEstate(DIGEST_INPUT), { dashboardUrl: DASHBOARD })],
];

function emlOf(r: RenderedEmail): string {
  return buildMime({
    from: "DoNotReply@drift-monitor.example.com",
    fromName: "Drift Monitor",
    to: ["ops@contoso.com"],
    subject: r.subject,
    text: r.text,
    html: r.html,
    messageId: r.messageId,
    date: NOW,
  });
}

describe("email fixtures", () => {
  it.each(renderings)("%s matches test/fixtures/emails", (name, r) => {
    const files: Array<[string, string]> = [
      [`${name}.eml`, emlOf(r)],
      [`${name}.html`, r.html],
    ];
    for (const [file, content] of files) {
      const path = join(DIR, file);
      if (UPDATE || !existsSync(path)) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(path, content, "utf8");
      }
      expect(readFileSync(path, "utf8"), `${file} differs: re-render with UPDATE_EMAIL_FIXTURES=1 and review`).toBe(content);
    }
    const parsed = parseMime(readFileSync(join(DIR, `${name}.eml`), "utf8"));
    expect(parsed.parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
  });
});
