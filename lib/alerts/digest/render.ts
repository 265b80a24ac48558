/** The digest as a MessageDocument (then HTML and text like every alert). */
import { formatAge, formatTime, plural } from "../format.js";
import { standingText } from "../../status/standing-text.js";
import { renderDocument, type RenderedEmail } from "../render/index.js";
import type { Block, Link, MessageDocument } from "../render/document.js";
import { failingHeadline } from "../render/findings.js";
import { AGE_BUCKETS, type DigestSummary, type TenantLine } from "./summary.js";

/** Long estates: name the first ones, count the rest (an email is not a dashboard). */
const MAX_LISTED = 50;

function capped(items: string[]): string[] {
  return items.length > MAX_LISTED ? [...items.slice(0, MAX_LISTED), `… and ${items.length - MAX_LISTED} more`] : items;
}

function driftedLine(l: TenantLine, now: Date): string {
  const oldest = l.openFindings[0];
  if (!oldest) return `${l.name}: drifted (checked ${formatTime(l.checkedAt)})`;
  const headline = failingHeadline({ ...oldest, reason: null, remediation: null, evidence: [] });
  const acked = l.openFindings.filter((f) => f.state === "acknowledged").length;
  const held = acked > 0 ? ` (${acked} acknowledged)` : "";
  const shown = standingText(oldest.standing);
  const age = formatAge(oldest.since, now);
  return `${l.name}: ${plural(l.openFindings.length, "open finding")}${held}, oldest failing for ${age} — ${headline}${shown ? ` [${shown}]` : ""}`;
}

const digestId = (day: string): string => `digest-${day}`;

function digestDocument(s: DigestSummary, options: { dashboardUrl?: string } = {}): MessageDocument {
  const now = new Date(s.generatedAt);
  const watched = s.drifted.length + s.degraded.length + s.compliant.length;
  const blocks: Block[] = [];
  if (s.drifted.length > 0) {
    blocks.push({
      title: `Drifted — ${plural(s.drifted.length, "tenant")}`,
      tone: "danger",
      lead: "The connection account of these tenants fails a requirement; each has had its own alert with the steps to fix it.",
      facts: [],
      lists: [{ title: "Tenants", items: capped(s.drifted.map((l) => driftedLine(l, now))) }],
      steps: [],
      links: [],
    });
  }
  if (s.degraded.length > 0) {
    blocks.push({
      title: `Monitoring degraded — ${plural(s.degraded.length, "tenant")}`,
      tone: "warning",
      lead: "These tenants could not be verified on their last check, so drift there would go unnoticed.",
      facts: [],
      lists: [
        {
          title: "Tenants",
          items: capped(
            s.degraded.map(
              (l) =>
                `${l.name}: unknown for ${plural(l.unknownRuns, "check")}` +
                (l.unknownSince ? ` since ${formatTime(l.unknownSince)}` : "") +
                (l.unknownReasons[0] ? ` — ${l.unknownReasons[0]}` : ""),
            ),
          ),
        },
      ],
      steps: [],
      links: [],
    });
  }
  if (s.openFindings > 0) {
    blocks.push({
      title: `Open findings by age — ${s.openFindings}`,
      tone: "info",
      lead: "How long the open findings across the estate have been failing.",
      facts: AGE_BUCKETS.map((b) => ({ label: b, value: String(s.findingsByAge[b]) })),
      lists: [],
      steps: [],
      links: [],
    });
  }
  if (s.deadLetters.length > 0) {
    blocks.push({
      title: `Undelivered alerts — ${s.deadLetters.length}`,
      tone: "danger",
      lead: "These alerts were given up after repeated delivery failures; the people they were for have not been told.",
      facts: [],
      lists: [
        {
          title: "Alerts",
          items: capped(
            s.deadLetters.map(
              (d) =>
                `${d.tenantName}: ${d.kinds.join(", ")} of ${formatTime(d.createdAt)}, ${plural(d.attempts, "attempt")}` +
                (d.sentChannels.length > 0 ? ` (delivered by ${d.sentChannels.join(", ")})` : "") +
                ` — ${d.lastError ?? "no error recorded"} [alert ${d.alertId}]`,
            ),
          ),
        },
      ],
      steps: [
        "Fix the cause the errors name: the sender (ALERT_FROM on a domain connected to the Communication Services resource), the access key or " +
          "the managed identity's role, or a recipient address.",
        "Then requeue them with drift-monitor alerts requeue (they stay in the Monitor table, dead-lettered) so the next sweep sends them.",
      ],
      links: [],
    });
  }
  if (s.neverChecked.length > 0) {
    blocks.push({
      title: `Not checked yet — ${plural(s.neverChecked.length, "tenant")}`,
      tone: "info",
      lead: "Registered and enabled, but no check has completed yet.",
      facts: [],
      lists: [{ title: "Tenants", items: capped(s.neverChecked.map((t) => t.displayName)) }],
      steps: [],
      links: [],
    });
  }
  blocks.push({
    title: `Compliant — ${plural(s.compliant.length, "tenant")}`,
    tone: "success",
    lead: s.compliant.length > 0 ? "Every requirement holds for these tenants." : "No tenant is compliant right now.",
    facts: [],
    lists: s.compliant.length > 0 ? [{ title: "Tenants", items: capped(s.compliant.map((l) => l.name)) }] : [],
    steps: [],
    links: [],
  });

  const headline = [`${s.drifted.length} drifted`, `${s.degraded.length} degraded`, `${s.compliant.length} compliant`];
  if (s.deadLetters.length > 0) headline.push(`${plural(s.deadLetters.length, "undelivered alert")}`);
  const links: Link[] = options.dashboardUrl ? [{ label: "Open the Drift Monitor dashboard", url: options.dashboardUrl }] : [];
  const tone = s.drifted.length > 0 || s.deadLetters.length > 0 ? "danger" : s.degraded.length > 0 ? "warning" : "success";
  return {
    subject: `[Drift digest] ${s.day} — ${headline.join(", ")}`,
    preheader: headline.join(" · "),
    heading: `Daily summary — ${s.day}`,
    tone,
    intro: [`The state of ${plural(watched, "watched tenant")} as of ${formatTime(s.generatedAt)}.`],
    facts: [
      { label: "Tenants watched", value: String(watched) },
      { label: "Drifted", value: String(s.drifted.length) },
      { label: "Monitoring degraded", value: String(s.degraded.length) },
      { label: "Compliant", value: String(s.compliant.length) },
      { label: "Open findings", value: String(s.openFindings) },
      { label: "Undelivered alerts", value: String(s.deadLetters.length) },
    ],
    blocks,
    links,
    footer: ["You receive this daily summary because your address is on Drift Monitor's global alert list (ALERT_TO)."],
  };
}

export function renderDigest(s: DigestSummary, options: { dashboardUrl?: string } = {}): RenderedEmail {
  return renderDocument(digestId(s.day), digestDocument(s, options));
}
