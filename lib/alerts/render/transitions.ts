/** One Block per transition: what changed, since when, the evidence, and what to do. */
import type { OutboxAlert, Transition } from "../../model/state.js";
import { formatAge, formatTime, plural } from "../format.js";
import { SEVERITY_LABEL, severityOfTransition } from "../../checks/severity.js";
import type { Block } from "./document.js";
import { checkTitle, failingHeadline, failingLead, findingFacts, findingLinks, findingLists, fixSteps } from "./findings.js";
import { emergencySignInBlock } from "./emergency-sign-in.js";
import { describeMethod } from "./methods.js";

const CONSENT_STEPS = [
  "Read the reasons above: a 401 or 403 names the permission that is missing; a refused token means the app's consent was revoked or the tenant blocks it.",
  "Grant admin consent again: Entra admin center → Identity → Applications → Enterprise applications → the Drift Monitor app → Permissions → " +
    "Grant admin consent.",
  "If a licence was removed (Entra ID P1 for sign-in logs and reports), those checks are skipped rather than unknown once the licence gap is confirmed.",
  "Nothing else is sent while this lasts; a Monitoring restored message follows when checks succeed again.",
];

const NOT_CHECKED_STEPS = [
  "Nothing is wrong with the tenant as far as Drift Monitor knows; its checks are waiting for Graph's throttling budget.",
  "If other apps in the tenant read Conditional Access or the sign-in logs heavily, they share the tenant's budget: spread their schedules.",
  "If this repeats for many tenants, the estate outgrows the schedule: lengthen DRIFT_SCHEDULE or see docs/scale.md.",
];

/** Kinds that ask for action: their block says how urgent, in words (the tone's colour is never the only sign). */
const SHOWS_SEVERITY = new Set<Transition["kind"]>(["drift-detected", "reminder", "early-warning", "security-notice", "emergency-sign-in"]);

export function transitionBlock(t: Transition, alert: OutboxAlert, now: Date): Block {
  const block = blockOf(t, alert, now);
  const severity = SHOWS_SEVERITY.has(t.kind) ? severityOfTransition(t) : null;
  if (severity === null) return block;
  return { ...block, facts: [{ label: "Severity", value: SEVERITY_LABEL[severity] }, ...block.facts] };
}

function blockOf(t: Transition, alert: OutboxAlert, now: Date): Block {
  const upn = alert.accountUserPrincipalName;
  switch (t.kind) {
    case "drift-detected":
      return {
        title: `Drift detected — ${checkTitle(t.finding.checkId)}`,
        tone: "danger",
        lead: t.previouslyResolvedAt
          ? `Broke again after it was reported fixed (${formatTime(t.previouslyResolvedAt)}): ${failingLead(t.finding)}`
          : failingLead(t.finding),
        facts: [{ label: "Failing since", value: formatTime(t.finding.since) }, ...findingFacts(t.finding)],
        lists: findingLists(t.finding),
        steps: fixSteps(t.finding, upn, alert.tenantId),
        links: findingLinks(t.finding, alert.tenantId),
      };
    case "reminder": {
      const flaps =
        t.flaps > 0
          ? ` It passed and failed again ${plural(t.flaps, "time")} since the last message about it (${formatTime(t.lastAlertedAt)}).`
          : ` The last message about it was sent ${formatTime(t.lastAlertedAt)}.`;
      const acked = t.acknowledgement ? ` It was ${t.acknowledgement}.` : "";
      return {
        title: `Still failing — ${checkTitle(t.finding.checkId)}`,
        tone: "danger",
        lead: `Still failing after ${formatAge(t.finding.since, now)}: ${failingLead(t.finding)}${flaps}${acked}`,
        facts: [{ label: "Failing since", value: formatTime(t.finding.since) }, ...findingFacts(t.finding)],
        lists: findingLists(t.finding),
        steps: fixSteps(t.finding, upn, alert.tenantId),
        links: findingLinks(t.finding, alert.tenantId),
      };
    }
    case "finding-changed":
      // Not mailed (lib/alerts/mailed.ts); a block all the same, for any view that lists every transition.
      return {
        title: `Changed — ${checkTitle(t.finding.checkId)}`,
        tone: "danger",
        lead: `Still failing, now for this: ${failingLead(t.finding)}`,
        facts: [{ label: "Failing since", value: formatTime(t.finding.since) }, ...findingFacts(t.finding)],
        lists: findingLists(t.finding),
        steps: fixSteps(t.finding, upn, alert.tenantId),
        links: findingLinks(t.finding, alert.tenantId),
      };
    case "resolved": {
      const f = t.finding;
      const what =
        f.checkId === "conditional-access" && f.subject !== ""
          ? `The Conditional Access policy "${f.subjectName ?? f.subject}" no longer blocks the connection account.`
          : `Fixed: ${f.summary}.`.replace(/\.\.$/, ".");
      return {
        title: `Resolved — ${checkTitle(f.checkId)}`,
        tone: "success",
        lead: `${what} Nothing more to do.`,
        facts: [
          { label: "Failing since", value: formatTime(f.since) },
          { label: "Resolved at", value: formatTime(t.resolvedAt) },
          ...findingFacts(f).filter((x) => x.label !== "Why"),
        ],
        lists: [],
        steps: [],
        links: [],
      };
    }
    case "check-retired":
      return {
        title: `Check retired — ${checkTitle(t.finding.checkId)}`,
        tone: "info",
        lead:
          `This finding is closed: ${t.reason}. It was failing when last checked (${failingHeadline(t.finding)}). ` +
          "Nothing more is sent about it; if the check was renamed or split, the check that replaces it reports its own findings from now on.",
        facts: [{ label: "Failing since", value: formatTime(t.finding.since) }, ...findingFacts(t.finding).filter((x) => x.label !== "Why")],
        lists: [],
        steps: [],
        links: [],
      };
    case "monitoring-degraded":
      return {
        title: "Monitoring degraded",
        tone: "warning",
        lead:
          `Drift Monitor could not verify this tenant in ${plural(t.unknownRuns, "consecutive check")} since ${formatTime(t.since)}. Until this is ` +
          `fixed, drift of the connection account would go unnoticed.`,
        facts: [
          { label: "Unknown since", value: formatTime(t.since) },
          { label: "Checks in a row", value: String(t.unknownRuns) },
        ],
        lists: t.reasons.length > 0 ? [{ title: "What could not be read", items: t.reasons.map((r) => `${checkTitle(r.checkId)}: ${r.reason}`) }] : [],
        steps: CONSENT_STEPS,
        links: [],
      };
    case "not-checked":
      return {
        title: "Not checked since " + formatTime(t.lastCheckedAt),
        tone: "warning",
        lead:
          `Drift Monitor has not been able to check this tenant since ${formatTime(t.lastCheckedAt)}: ` +
          `every check since ${formatTime(t.lateSince)} was held back by Microsoft Graph's throttling and carried to the next run. ` +
          "The last verdict still stands, but a change since then would go unnoticed.",
        facts: [
          { label: "Last checked", value: formatTime(t.lastCheckedAt) },
          { label: "Late since", value: formatTime(t.lateSince) },
          { label: "Why", value: t.reason },
        ],
        lists: [],
        steps: NOT_CHECKED_STEPS,
        links: [],
      };
    case "monitoring-restored":
      return {
        title: "Monitoring restored",
        tone: "success",
        lead: `Drift Monitor can verify this tenant again (it could not since ${formatTime(t.degradedSince)}). The tenant is now ${t.status}.`,
        facts: [
          { label: "Degraded since", value: formatTime(t.degradedSince) },
          { label: "Tenant status now", value: t.status },
        ],
        lists: [],
        steps: [],
        links: [],
      };
    case "early-warning":
      // A warning mailed once before it can become a drift (lib/drift/early-warnings.ts).
      return {
        title: `Early warning — ${checkTitle(t.finding.checkId)}`,
        tone: "warning",
        lead: `${failingLead(t.finding)} This is not a drift yet; this message is sent once.`,
        facts: findingFacts(t.finding),
        lists: findingLists(t.finding),
        steps: fixSteps(t.finding, upn, alert.tenantId),
        links: findingLinks(t.finding, alert.tenantId),
      };
    case "security-notice": {
      const lists = [
        { title: "Added", items: t.added.map(describeMethod) },
        { title: "Removed", items: t.removed.map(describeMethod) },
        { title: "Registered now", items: t.methods.length > 0 ? t.methods.map(describeMethod) : ["none"] },
      ].filter((l) => l.items.length > 0);
      return {
        title: "Security notice — the account's MFA methods changed",
        tone: "warning",
        lead:
          `The authentication methods registered on ${upn ?? "the connection account"} changed. A new method on a Global Administrator service ` +
          `account is a security event: confirm that someone on your team made this change.`,
        facts: [],
        lists,
        steps: [
          "If the change was planned, nothing needs to be done.",
          "If nobody on your team made it: reset the account's password, revoke its sessions (Entra admin center → Identity → Users → the " +
            "account → Revoke sessions) and delete the unknown method (the account → Authentication methods).",
          "Review the account's sign-in and audit logs for the time of the change.",
        ],
        links: [],
      };
    }
    case "emergency-sign-in":
      return emergencySignInBlock(t.signIn, upn);
  }
}
