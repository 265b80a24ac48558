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
import { renderRollup } from "../../../lib/alerts/rollup/render.js";
import { DIGEST_INPUT, HOSTILE, NOW, SAMPLES } from "./samples.js";
import type { OutboxAlert } from "../../../lib/model/state.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/emails");
const UPDATE = process.env.UPDATE_EMAIL_FIXTURES === "1";
const DASHBOARD = "https://drift-monitor.example.com/dashboard";

/** A tenant of its own for each sample (the roll-up lists them by tenant), and the hostile one. */
const tenantOf = (alert: OutboxAlert, i: number): OutboxAlert => ({
  ...alert,
  tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  tenantName: `Tenant ${i}`,
});
const ROLLUP_ALERTS = [...Object.values(SAMPLES).map(tenantOf), HOSTILE];
/** A first run over a large estate: more changes than the message lists, counted per group. */
const MANY = Array.from({ length: 60 }, (_, i) => tenantOf(i % 4 === 3 ? SAMPLES.resolved! : SAMPLES["drift-detected"]!, i + 100));

const renderings: Array<[string, RenderedEmail]> = [
  ...Object.entries(SAMPLES).map(([name, alert]): [string, RenderedEmail] => [name, renderAlert(alert, { now: NOW, dashboardUrl: DASHBOARD })]),
  ["escaping", renderAlert(HOSTILE, { now: NOW })],
  ["digest", renderDigest(summariseEstate(DIGEST_INPUT), { dashboardUrl: DASHBOARD })],
  ["rollup", renderRollup({ id: "r20260304070000000aaaaaa000000", createdAt: NOW.toISOString(), alerts: ROLLUP_ALERTS, dashboardUrl: DASHBOARD })],
  ["rollup-capped", renderRollup({ id: "r20260304070000000bbbbbb000000", createdAt: NOW.toISOString(), alerts: MANY, dashboardUrl: DASHBOARD })],
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
