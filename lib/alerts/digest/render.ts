/** The digest as a MessageDocument (then HTML and text like every alert). */
import { SEVERITY_LABEL, severityOfFinding } from "../../checks/severity.js";
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

/** The tenant's most severe finding, and how long its oldest has been failing. */
function driftedLine(l: TenantLine, now: Date): string {
  const worst = l.openFindings[0];
  if (!worst) return `${l.name}: drifted (checked ${formatTime(l.checkedAt)})`;
  const oldest = l.openFindings.reduce((a, f) => (f.since < a ? f.since : a), worst.since);
  const headline = failingHeadline({ ...worst, reason: null, remediation: null, evidence: [] });
  const acked = l.openFindings.filter((f) => f.state === "acknowledged").length;
  const held = acked > 0 ? ` (${acked} acknowledged)` : "";
  const shown = standingText(worst.standing);
  const age = `oldest failing for ${formatAge(oldest, now)}`;
  const severity = SEVERITY_LABEL[severityOfFinding(worst.checkId)];
  return `${l.name}: ${plural(l.openFindings.length, "open finding")}${held}, ${age} — ${severity}: ${headline}${shown ? ` [${shown}]` : ""}`;
}

const digestId = (day: string): string => `digest-${day}`;

const tenantsIn = (lines: readonly TenantLine[]): number => new Set(lines.map((l) => l.tenantId)).size;

/** "2 tenants", or "2 tenants, 3 accounts" when some tenant has several lines. */
function counted(lines: readonly TenantLine[]): string {
  const tenants = tenantsIn(lines);
  return tenants === lines.length ? plural(tenants, "tenant") : `${plural(tenants, "tenant")}, ${plural(lines.length, "account")}`;
}

function digestDocument(s: DigestSummary, options: DigestOptions = {}): MessageDocument {
  const consent = options.consent ?? [];
  const now = new Date(s.generatedAt);
  const watched = s.watchedTenants;
  const accounts = s.drifted.length + s.degraded.length + s.compliant.length;
  const onlyConnections = s.drifted.every((l) => l.accountLabel === null);
  const accountsNote = accounts === watched ? "" : ` (${plural(accounts, "monitored account")})`;
  const blocks: Block[] = [];
  if (s.drifted.length > 0) {
    blocks.push({
      title: `Drifted — ${counted(s.drifted)}`,
      tone: "danger",
      lead: onlyConnections
        ? "The connection account of these tenants fails a requirement; each has had its own alert with the steps to fix it."
        : "These accounts fail a requirement; each has had its own alert with the steps to fix it.",
      facts: [],
      lists: [{ title: "Tenants", items: capped(s.drifted.map((l) => driftedLine(l, now))) }],
      steps: [],
      links: [],
    });
  }
  if (s.degraded.length > 0) {
    blocks.push({
      title: `Monitoring degraded — ${counted(s.degraded)}`,
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
  if (consent.length > 0) {
    blocks.push({
      title: "Permissions to grant — this version needs more",
      tone: "warning",
      lead: "Drift Monitor now needs Microsoft Graph permissions some tenants have not granted; the checks that need them are skipped there.",
      facts: [],
      lists: [{ title: "Tenants", items: [...consent] }],
      steps: ["drift-monitor doctor --all lists the tenants; drift-monitor tenants consent --tenant <id> (or the consent-url link) grants them."],
      links: [],
    });
  }
  if (s.neverChecked.length > 0) {
    blocks.push({
      title: `Not checked yet — ${plural(new Set(s.neverChecked.map((t) => t.tenantId)).size, "tenant")}`,
      tone: "info",
      lead: "Registered and enabled, but no check has completed yet.",
      facts: [],
      lists: [{ title: "Tenants", items: capped(s.neverChecked.map((t) => t.displayName)) }],
      steps: [],
      links: [],
    });
  }
  blocks.push({
    title: `Compliant — ${counted(s.compliant)}`,
    tone: "success",
    lead: s.compliant.length > 0 ? "Every requirement holds for these tenants." : "No tenant is compliant right now.",
    facts: [],
    lists: s.compliant.length > 0 ? [{ title: "Tenants", items: capped(s.compliant.map((l) => l.name)) }] : [],
    steps: [],
    links: [],
  });

  const headline = [`${tenantsIn(s.drifted)} drifted`, `${tenantsIn(s.degraded)} degraded`, `${tenantsIn(s.compliant)} compliant`];
  if (s.deadLetters.length > 0) headline.push(`${plural(s.deadLetters.length, "undelivered alert")}`);
  if (consent.length > 0) headline.push("permissions to grant");
  const links: Link[] = options.dashboardUrl ? [{ label: "Open the Drift Monitor dashboard", url: options.dashboardUrl }] : [];
  const tone = s.drifted.length > 0 || s.deadLetters.length > 0 ? "danger" : s.degraded.length > 0 ? "warning" : "success";
  return {
    subject: `[Drift digest] ${s.day} — ${headline.join(", ")}`,
    preheader: headline.join(" · "),
    heading: `Daily summary — ${s.day}`,
    tone,
    intro: [`The state of ${plural(watched, "watched tenant")}${accountsNote} as of ${formatTime(s.generatedAt)}.`],
    facts: [
      { label: "Tenants watched", value: String(watched) },
      ...(accounts === watched ? [] : [{ label: "Accounts watched", value: String(accounts) }]),
      { label: "Drifted", value: String(tenantsIn(s.drifted)) },
      { label: "Monitoring degraded", value: String(tenantsIn(s.degraded)) },
      { label: "Compliant", value: String(tenantsIn(s.compliant)) },
      { label: "Open findings", value: String(s.openFindings) },
      { label: "Undelivered alerts", value: String(s.deadLetters.length) },
    ],
    blocks,
    links,
    footer: ["You receive this daily summary because your address is on Drift Monitor's global alert list (ALERT_TO)."],
  };
}

/** `consent`: the once-per-upgrade summary's sentences (consent-summary.ts), when this digest carries it. */
interface DigestOptions {
  readonly dashboardUrl?: string | undefined;
  readonly consent?: readonly string[];
}

export function renderDigest(s: DigestSummary, options: DigestOptions = {}): RenderedEmail {
  return renderDocument(digestId(s.day), digestDocument(s, options));
}
