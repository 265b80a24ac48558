/**
 * The consolidated message for the global recipients (ALERT_TO) and the chat webhook: every
 * tenant's changes of one delivery window in one message, grouped by how urgent they are (new
 * drift first, then degraded monitoring, then reminders and not-checked, then good news), each
 * with its tenant, what changed and the links to fix it in that tenant — a tenant's changes together,
 * account by account, each naming its account (and kind, when the alert carries it) when the
 * change is not of the tenant's first account or the tenant has several in the window. Long windows are capped:
 * the first MAX_ENTRIES changes are listed, the rest counted per group and left to the dashboard.
 * Pure: the same alerts and roll-up give the same bytes (a retried send is the same message).
 */
import type { OutboxAlert, Transition } from "../../model/state.js";
import { formatTime, plural } from "../format.js";
import { oneLine } from "../escape.js";
import type { Block, Link, MessageDocument, Tone } from "../render/document.js";
import { renderDocument, type RenderedEmail } from "../render/index.js";
import { transitionBlock } from "../render/transitions.js";
import { hasMailed, mailedAlert } from "../mailed.js";
import { KIND_LABEL, type AccountKind } from "../../model/account.js";

/** Changes listed in full in the email; a first run over a large estate lists these and counts the rest. */
export const MAX_ENTRIES = 40;
/**
 * In the chat webhook: Slack takes 50 blocks a message (two per change here) and a Teams card about
 * 28 KB, so the chat message lists fewer and counts the rest (limits noted in render/slack.ts and render/teams.ts).
 */
export const MAX_CHAT_ENTRIES = 10;

interface Group {
  readonly title: string;
  readonly tone: Tone;
}

/** In the order the message lists them (and delivery sends them): what needs action first. */
const GROUPS: readonly Group[] = [
  { title: "New drift", tone: "danger" },
  { title: "Monitoring degraded", tone: "warning" },
  { title: "Early warnings", tone: "warning" },
  { title: "Still failing or not checked", tone: "warning" },
  { title: "Resolved", tone: "success" },
];

/**
 * Every kind of change has its group: a kind left out would vanish from the summary (and the global
 * list would never hear of it, its alert marked done). The Record makes a new kind a compile error here.
 */
const GROUP_OF: Record<Transition["kind"], string> = {
  "drift-detected": "New drift",
  "security-notice": "New drift",
  "emergency-sign-in": "New drift",
  "monitoring-degraded": "Monitoring degraded",
  "early-warning": "Early warnings",
  reminder: "Still failing or not checked",
  "finding-changed": "Still failing or not checked",
  "not-checked": "Still failing or not checked",
  resolved: "Resolved",
  "check-retired": "Still failing or not checked",
  "monitoring-restored": "Resolved",
};

interface RollupInput {
  /** The roll-up's id: its ACS operation id, Message-ID, `.eml` name and webhook Idempotency-Key derive from it. */
  readonly id: string;
  readonly createdAt: string;
  /** The alerts it covers (any order: sorted here). */
  readonly alerts: readonly AccountAlert[];
  readonly dashboardUrl?: string;
}

/** An alert of one account: `accountKey` absent is the tenant's first account; the kind when the alert names it. */
type AccountAlert = OutboxAlert & { readonly accountKey?: string | undefined; readonly accountKind?: AccountKind | undefined };

interface Entry {
  readonly alert: AccountAlert;
  readonly transition: Transition;
}

const keyOf = (a: AccountAlert): string => a.accountKey ?? "";

/** Tenant, then account (its first account first), then alert: a tenant's changes read together, account by account. */
const byTenant = (a: Entry, b: Entry): number =>
  a.alert.tenantName.localeCompare(b.alert.tenantName) ||
  a.alert.tenantId.localeCompare(b.alert.tenantId) ||
  keyOf(a.alert).localeCompare(keyOf(b.alert)) ||
  a.alert.id.localeCompare(b.alert.id);

/** "Tenant", or "Tenant — emergency-access account bg@…" when the account needs naming. */
function who(alert: AccountAlert, several: ReadonlySet<string>): string {
  if (keyOf(alert) === "" && !several.has(alert.tenantId)) return alert.tenantName;
  const ref = alert.accountUserPrincipalName ?? `account ${keyOf(alert) || "(first)"}`;
  return `${alert.tenantName} — ${alert.accountKind ? `${KIND_LABEL[alert.accountKind]} ` : ""}${ref}`;
}

/** Tenants with changes of more than one account in this window. */
function withSeveralAccounts(alerts: readonly AccountAlert[]): Set<string> {
  const keys = new Map<string, Set<string>>();
  for (const a of alerts) keys.set(a.tenantId, (keys.get(a.tenantId) ?? new Set()).add(keyOf(a)));
  return new Set([...keys].filter(([, k]) => k.size > 1).map(([t]) => t));
}

const NO_DASHBOARD = "Set DASHBOARD_URL to link the full list; `drift-monitor status` shows it.";

export function rollupDocument(whole: RollupInput, maxEntries = MAX_ENTRIES): MessageDocument {
  const input = { ...whole, alerts: whole.alerts.filter(hasMailed).map(mailedAlert) };
  const now = new Date(input.createdAt);
  const grouped = GROUPS.map((g) => ({
    group: g,
    entries: input.alerts
      .flatMap((alert) => alert.transitions.map((transition) => ({ alert, transition })))
      .filter((e) => GROUP_OF[e.transition.kind] === g.title)
      .sort(byTenant),
  })).filter((g) => g.entries.length > 0);
  const total = grouped.reduce((n, g) => n + g.entries.length, 0);
  const tenants = new Set(input.alerts.map((a) => a.tenantId)).size;
  const several = withSeveralAccounts(input.alerts);
  const blocks: Block[] = [];
  let listed = 0;
  const left: string[] = [];
  for (const { group, entries } of grouped) {
    const shown = entries.slice(0, Math.max(0, maxEntries - listed));
    listed += shown.length;
    const groupTenants = new Set(entries.map((e) => e.alert.tenantId)).size;
    blocks.push({
      title: `${group.title} — ${plural(entries.length, "change")} in ${plural(groupTenants, "tenant")}`,
      tone: group.tone,
      lead:
        shown.length < entries.length
          ? `${shown.length} listed below; ${entries.length - shown.length} more on the dashboard.`
          : "Each listed below, with the link to fix it in its tenant.",
      facts: [],
      lists: [],
      steps: [],
      links: [],
    });
    for (const e of shown) {
      const b = transitionBlock(e.transition, e.alert, now);
      blocks.push({
        ...b,
        title: oneLine(`${who(e.alert, several)}: ${b.title}`),
        facts: [{ label: "Tenant id", value: e.alert.tenantId }, ...b.facts],
        lists: [],
        steps: [],
      });
    }
    if (shown.length < entries.length) left.push(`${entries.length - shown.length} ${group.title.toLowerCase()}`);
  }
  const links: Link[] = input.dashboardUrl ? [{ label: "Every tenant's changes on the Drift Monitor dashboard", url: input.dashboardUrl }] : [];
  if (left.length > 0) {
    blocks.push({
      title: `${plural(total - listed, "more change")} not listed`,
      tone: "info",
      lead: `Not listed here to keep this message short: ${left.join(", ")}. ${input.dashboardUrl ? "The dashboard lists them all." : NO_DASHBOARD}`,
      facts: [],
      lists: [],
      steps: [],
      links,
    });
  }
  const first = grouped[0];
  const counts = grouped.map((g) => `${g.entries.length} ${g.group.title.toLowerCase()}`).join(", ");
  return {
    subject: oneLine(`[Drift Monitor] ${plural(total, "change")} in ${plural(tenants, "tenant")}${first ? ` — ${counts}` : ""}`).slice(0, 240),
    preheader: counts,
    heading: `${plural(total, "change")} in ${plural(tenants, "tenant")}`,
    tone: first?.group.tone ?? "info",
    intro: [
      `Every tenant's changes not yet in a summary, as of ${formatTime(input.createdAt)}, the most urgent first. ` +
        "Each tenant's own recipients get its own email.",
    ],
    facts: [
      { label: "Tenants", value: String(tenants) },
      { label: "Changes", value: String(total) },
    ],
    blocks,
    links,
    footer: [`You receive this because your address is on Drift Monitor's global alert list (ALERT_TO).`, `Summary ${input.id}`],
  };
}

/** The email from the full document; the webhook (which renders `document`) from the shorter one. */
export function renderRollup(input: RollupInput): RenderedEmail {
  return { ...renderDocument(input.id, rollupDocument(input)), document: rollupDocument(input, MAX_CHAT_ENTRIES) };
}
