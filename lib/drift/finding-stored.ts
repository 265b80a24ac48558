/**
 * A finding's state as stored. Rows carry `state` explicitly; rows written before it was kept are
 * read by deriving it from the fields they have (`status`, `lastHeard`, `reopenedAt`). Every write
 * keeps those fields too, as projections of the state, for readers that only ask "open?". They
 * stay the authority on what they say: a `state` they contradict was left behind by a writer that
 * changed them without knowing it, so the state is derived again.
 */
import type { FindingState } from "../model/finding-state.js";
import type { TrackedFinding } from "../model/state.js";

const PROJECTION: Record<FindingState, Pick<TrackedFinding, "status" | "lastHeard">> = {
  open: { status: "open", lastHeard: "failing" },
  reminded: { status: "open", lastHeard: "failing" },
  reopened: { status: "open", lastHeard: "failing" },
  "held-back": { status: "resolved", lastHeard: "failing" },
  resolved: { status: "resolved", lastHeard: "resolved" },
  "reopened-quietly": { status: "open", lastHeard: "resolved" },
  // Still a drift, only silenced: open, and the recipients last heard it failing.
  acknowledged: { status: "open", lastHeard: "failing" },
  // Not a drift while the exception stands: counted with the passing ones.
  excepted: { status: "resolved", lastHeard: "resolved" },
};

type Derivable = Pick<TrackedFinding, "status" | "lastHeard" | "reopenedAt" | "since" | "lastAlertedAt" | "state">;

export function stateOf(t: Derivable): FindingState {
  if (t.state && PROJECTION[t.state].status === t.status && PROJECTION[t.state].lastHeard === t.lastHeard) return t.state;
  if (t.status === "resolved") return t.lastHeard === "failing" ? "held-back" : "resolved";
  if (t.lastHeard === "resolved") return "reopened-quietly";
  if (t.reopenedAt) return "reopened";
  // Every email about a failing episode but its first (drift-detected, at `since`) is a reminder.
  return t.lastAlertedAt === t.since ? "open" : "reminded";
}

/** The stored `status` (failing or held as failing: open) and `lastHeard` (what the recipients were last told) of a state. */
export const storedAs = (state: FindingState): Pick<TrackedFinding, "status" | "lastHeard"> => PROJECTION[state];

/** Whether a finding in this state counts as open (failing, or held while its check cannot be judged). */
export const isOpen = (state: FindingState | "untracked" | "retired"): boolean =>
  state !== "untracked" && state !== "retired" && PROJECTION[state].status === "open";
