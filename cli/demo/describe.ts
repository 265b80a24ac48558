/** One line per transition, for the demo's output: what changed, about what. */
import type { Transition } from "../../lib/model/state.js";

const KIND: Record<Transition["kind"], string> = {
  "drift-detected": "drift detected",
  resolved: "resolved",
  "check-retired": "check retired",
  reminder: "reminder",
  "monitoring-degraded": "monitoring degraded",
  "not-checked": "not checked",
  "monitoring-restored": "monitoring restored",
  "security-notice": "security notice",
  "emergency-sign-in": "emergency access sign-in",
  "early-warning": "early warning",
  "finding-changed": "finding changed",
};

export function transitionLine(t: Transition): string {
  switch (t.kind) {
    case "drift-detected":
    case "resolved":
    case "check-retired":
    case "reminder":
    case "finding-changed":
    case "early-warning": {
      const subject = t.finding.subjectName ? ` "${t.finding.subjectName}"` : "";
      return `${KIND[t.kind]}: ${t.finding.checkId}${subject}: ${t.finding.summary}`;
    }
    case "monitoring-degraded":
      return `${KIND[t.kind]}: unknown for ${t.unknownRuns} runs (${t.reasons[0]?.reason ?? "no reason recorded"})`;
    case "not-checked":
      return `${KIND[t.kind]}: since ${t.lastCheckedAt} (${t.reason})`;
    case "monitoring-restored":
      return `${KIND[t.kind]}: now ${t.status}`;
    case "security-notice":
      return `${KIND[t.kind]}: registered methods changed (+${t.added.length}, -${t.removed.length})`;
    case "emergency-sign-in": {
      const outcome = t.signIn.errorCode === 0 ? "success" : `failure ${t.signIn.errorCode}`;
      return `${KIND[t.kind]}: ${t.signIn.createdDateTime} from ${t.signIn.ipAddress ?? "unknown IP"} (${outcome})`;
    }
  }
}
