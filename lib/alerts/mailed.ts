/**
 * Which transitions people hear of by email and in chat. All but `finding-changed`: an open
 * finding that now fails for something else (another reason, other evidence) is already known to
 * be failing, and the reminder at the end of its period says what it fails for by then. Mailing
 * every change would bring back the repeated alerts operators complain of (a sign-ins finding's
 * evidence changes with each new failed sign-in), so a change goes only where it is cheap and
 * wanted: a note on the finding's ticket and an `updated` event on the lifecycle webhook, the
 * per-row ("events") channels.
 */
import type { OutboxAlert, Transition } from "../model/state.js";
import { isMailedKind } from "../model/state.js";

const isMailed = (t: Pick<Transition, "kind">): boolean => isMailedKind(t.kind);

/** Whether the alert row has anything for email and chat; a row that has not goes through the "events" channels alone. */
export const hasMailed = (alert: Pick<OutboxAlert, "transitions">): boolean => alert.transitions.some(isMailed);

/** The alert as email and chat show it: its mailed transitions (all of them, should none be: it is never empty). */
export function mailedAlert<A extends Pick<OutboxAlert, "transitions">>(alert: A): A {
  const mailed = alert.transitions.filter(isMailed);
  return mailed.length === 0 || mailed.length === alert.transitions.length ? alert : { ...alert, transitions: mailed };
}
