/** An outbox alert as a MessageDocument: header facts, one block per transition, a footer. */
import type { OutboxAlert } from "../../model/state.js";
import { formatTime, plural } from "../format.js";
import type { Link, MessageDocument } from "./document.js";
import { alertAccountName, alertSubject, byWorst, toneOf, worstTransition } from "./subject.js";
import { KIND_LABEL } from "../../model/account.js";
import { transitionBlock } from "./transitions.js";
import { mailedAlert } from "../mailed.js";

export interface RenderOptions {
  /** The render time (reminders say "failing for 3 days"); inject it so renderings are stable. */
  readonly now: Date;
  readonly dashboardUrl?: string;
}

const HEADINGS: Record<OutboxAlert["transitions"][number]["kind"], string> = {
  "drift-detected": "Drift detected",
  reminder: "Still failing",
  "monitoring-degraded": "Monitoring degraded",
  "not-checked": "Not checked",
  "security-notice": "Security notice",
  "emergency-sign-in": "Emergency access sign-in",
  "early-warning": "Early warning",
  resolved: "Resolved",
  "check-retired": "Check retired",
  "monitoring-restored": "Monitoring restored",
  "finding-changed": "Changed",
};

export function alertDocument(whole: OutboxAlert, options: RenderOptions): MessageDocument {
  const alert = mailedAlert(whole);
  const worst = worstTransition(alert.transitions);
  const blocks = [...alert.transitions].sort(byWorst).map((t) => transitionBlock(t, alert, options.now));
  const kind = alert.accountKind ?? "connection";
  const name = alertAccountName(alert);
  const what = kind === "connection" ? "the account its automation signs in with" : "an emergency-access (break-glass) account, which should never be used";
  const account = name ?? `the ${KIND_LABEL[kind]}`;
  const intro = [`${plural(alert.transitions.length, "change")} in tenant ${alert.tenantName} for ${account}, ${what}.`];
  const links: Link[] = options.dashboardUrl ? [{ label: "Open the Drift Monitor dashboard", url: options.dashboardUrl }] : [];
  return {
    subject: alertSubject(alert),
    preheader: blocks.map((b) => b.title).join(" · "),
    heading: `${HEADINGS[worst.kind]} — ${alert.tenantName}`,
    tone: toneOf(worst.kind),
    intro,
    facts: [
      { label: "Tenant", value: alert.tenantName },
      { label: "Tenant id", value: alert.tenantId },
      { label: kind === "connection" ? "Connection account" : "Emergency-access account", value: name ?? "(unknown)" },
      { label: "Tenant status", value: alert.tenantStatus },
      { label: "Checked at", value: formatTime(alert.createdAt) },
    ],
    blocks,
    links,
    footer: [
      `You receive this because your address is on the alert list of tenant ${alert.tenantName} in Drift Monitor, or on its global list.`,
      `Alert ${alert.id}`,
    ],
  };
}
