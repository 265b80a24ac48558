/** A roll-up step's outcome for people (the CLI's delivery summary, the sweep's log line). */
import type { RollupOutcome } from "./send.js";

export function rollupText(o: RollupOutcome): string {
  switch (o.status) {
    case "idle":
      return "nothing owed to the global summary";
    case "busy":
      return `summary not sent by this sender: ${o.reason}`;
    case "waiting":
      return `summary${o.id ? ` ${o.id}` : ""} of ${o.owed || "its"} alert(s) waits until ${o.until}: ${o.reason}`;
    case "no-audience":
      return `no ALERT_TO nor webhook: ${o.alerts} alert(s) go to their tenants' lists only`;
    case "sent":
      return `summary ${o.id} of ${o.alerts} alert(s) sent via ${o.channels.join(", ")}`;
    case "retrying":
      return `summary ${o.id} retries at ${o.until}: ${o.error}`;
    case "failed":
      return `summary ${o.id} of ${o.alerts} alert(s) dead-lettered: ${o.error}`;
  }
}
