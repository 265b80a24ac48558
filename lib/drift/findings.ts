/**
 * The findings part of a run's diff: every tracked finding and every new failure moved by the state
 * machine (lib/drift/finding-states.ts), which decides the state it moves to and the email it earns;
 * this file only writes that down, as the stored finding and the transition. Pure.
 */
import type { Report } from "../model/report.js";
import type { FindingRef, TrackedFinding, Transition } from "../model/state.js";
import { isMailedKind } from "../model/state.js";
import type { FindingState } from "../model/finding-state.js";
import type { FindingRule } from "./finding-states.js";
import { ruleFor } from "./finding-states.js";
import { isOpen, stateOf, storedAs } from "./finding-stored.js";
import type { Seen } from "./observe.js";
import { failingFindings, fingerprintOf, observeTracked } from "./observe.js";
import { NO_STANDINGS, standingOf, type Standings } from "./standing.js";

const RETIRED_REASON = "check retired in this version";

/** Which findings moved this run: what diff reports next to the state it writes. */
export interface FindingMoves {
  /** Findings that started failing this run (including re-openings, quiet or not). */
  readonly opened: FindingRef[];
  /** Findings that stopped failing this run (including silent ones, and ones no longer checked). */
  readonly resolved: FindingRef[];
  /** Findings open after this run (failing, or held while their check cannot be judged). */
  readonly stillOpen: FindingRef[];
}

interface FindingsResult extends FindingMoves {
  /** The findings to keep, sorted by key. */
  readonly next: TrackedFinding[];
  readonly transitions: Transition[];
}

function refOf(t: TrackedFinding, extra: Partial<FindingRef> = {}): FindingRef {
  return {
    key: t.key,
    checkId: t.checkId,
    subject: t.subject,
    subjectName: t.subjectName,
    summary: t.summary,
    reason: null,
    remediation: null,
    evidence: [],
    since: t.since,
    ...extra,
  };
}

/** What the machine reads: a report's observation of the finding, or a late run (no verdict). */
type Input = Seen | { readonly kind: "late" };

/** The finding after the move: `null` when it is no longer tracked. */
function movedFinding(t: TrackedFinding, rule: FindingRule, seen: Input, now: string): TrackedFinding | null {
  if (rule.to === "untracked" || rule.to === "retired") return null;
  // A change is told to the ticket and the lifecycle webhook, not mailed: the reminder period runs on.
  const sent = rule.send !== null && isMailedKind(rule.send);
  const newEpisode = rule.send === "drift-detected";
  const resolvedAt = isOpen(rule.to) ? null : isOpen(rule.from) ? now : sent ? (t.resolvedAt ?? now) : t.resolvedAt;
  // A loud re-opening starts the period in which a pass is held back; any other email ends it.
  const reopenedAt = newEpisode && rule.to === "reopened" ? { reopenedAt: now } : sent ? { reopenedAt: null } : {};
  // What holds it back is kept only while it is held back; a run that cannot judge it keeps the last.
  const { standing: was, ...rest } = t;
  const held = rule.to === "acknowledged" || rule.to === "excepted" ? ("standing" in seen ? seen.standing : was) : undefined;
  const standing = held ? { standing: held } : {};
  return {
    ...rest,
    ...("ref" in seen ? { subjectName: seen.ref.subjectName, summary: seen.ref.summary, lastFailedAt: now } : {}),
    ...standing,
    ...storedAs(rule.to),
    state: rule.to,
    since: newEpisode ? now : t.since,
    resolvedAt,
    lastAlertedAt: sent ? now : t.lastAlertedAt,
    flaps: sent ? 0 : t.flaps + (rule.flap ? 1 : 0),
    ...reopenedAt,
  };
}

/** Why an acknowledged finding alerts again: its acknowledgement ran out, or no longer covers it. */
function ackEnded(t: TrackedFinding, now: string): { acknowledgement?: string } {
  const ack = t.state === "acknowledged" && t.standing?.kind === "acknowledged" ? t.standing : undefined;
  if (!ack) return {};
  const why = ack.until <= now ? `expired at ${ack.until}` : "no longer covers it: the finding changed, or the acknowledgement was withdrawn";
  return { acknowledgement: `acknowledged by ${ack.by} ("${ack.reason}"), which ${why}` };
}

/** The email the move earns, if any. */
function emailOf(t: TrackedFinding, rule: FindingRule, seen: Input, next: TrackedFinding | null, now: string): Transition | null {
  if (rule.send === null) return null;
  if (rule.send === "check-retired") return { kind: "check-retired", key: `check-retired|${t.key}`, finding: refOf(t), reason: RETIRED_REASON };
  if (rule.send === "resolved") {
    const summary = seen.kind === "passing" ? seen.check.summary : t.summary;
    return { kind: "resolved", key: `resolved|${t.key}|${now}`, finding: refOf(t, { summary }), resolvedAt: next?.resolvedAt ?? now };
  }
  if (!("ref" in seen)) throw new Error(`finding state machine: ${rule.send} on ${seen.kind}`);
  if (rule.send === "finding-changed") return { kind: "finding-changed", key: `finding-changed|${t.key}|${now}`, finding: seen.ref };
  if (rule.send === "reminder") {
    const flaps = t.flaps + (rule.flap ? 1 : 0);
    return { kind: "reminder", key: `reminder|${t.key}|${now}`, finding: seen.ref, lastAlertedAt: t.lastAlertedAt, flaps, ...ackEnded(t, now) };
  }
  const previouslyResolvedAt = rule.to === "reopened" && t.resolvedAt ? { previouslyResolvedAt: t.resolvedAt } : {};
  return { kind: "drift-detected", key: `drift-detected|${t.key}|${now}`, finding: { ...seen.ref, since: now }, ...previouslyResolvedAt };
}

/** A finding not tracked yet, as the machine's `untracked` state sees it: failing now, nothing sent. */
function untracked(ref: FindingRef, now: string): TrackedFinding {
  return {
    key: ref.key,
    checkId: ref.checkId,
    subject: ref.subject,
    subjectName: ref.subjectName,
    status: "open",
    since: now,
    lastFailedAt: now,
    lastAlertedAt: now,
    lastHeard: "failing",
    resolvedAt: null,
    flaps: 0,
    reopenedAt: null,
    summary: ref.summary,
  };
}

/** The check's summary this run, for the list of resolved findings: what it says now. */
const summaryNow = (t: TrackedFinding, seen: Seen): string => (seen.kind === "passing" || seen.kind === "unchecked" ? seen.check.summary : t.summary);

/** One finding through the machine: the rule that applies, the finding it leaves (null: untracked) and the email it earns. */
function step(t: TrackedFinding, from: FindingState | "untracked", input: Input, now: Date, periodMs: number) {
  const at = now.toISOString();
  const rule = ruleFor(from, input.kind, now.getTime() - Date.parse(t.lastAlertedAt) >= periodMs);
  const next = movedFinding(t, rule, input, at);
  return { rule, next, email: emailOf(t, rule, input, next, at) };
}

/**
 * A failure as the machine observes it: covered by an acknowledgement or exception, else failing,
 * or `changed` when it fails for something else than `fingerprint` (a stored finding's; absent: a
 * new failure, or a row written before fingerprints were kept, which is no change).
 */
function observed(seen: Seen, since: string, report: Report, standings: Standings, now: Date, fingerprint?: string): Seen {
  if (seen.kind !== "failing") return seen;
  const standing = standingOf(seen.ref, since, report, standings, now);
  if (standing) return { kind: standing.kind, ref: seen.ref, standing };
  return fingerprint !== undefined && fingerprint !== fingerprintOf(seen.ref, report) ? { kind: "changed", ref: seen.ref } : seen;
}

export function stepFindings(
  tracked: readonly TrackedFinding[],
  report: Report,
  now: Date,
  periodMs: number,
  standings: Standings = NO_STANDINGS,
): FindingsResult {
  const at = now.toISOString();
  const out: FindingsResult = { next: [], transitions: [], opened: [], resolved: [], stillOpen: [] };
  const failing = failingFindings(report);
  const move = (t: TrackedFinding, from: FindingState | "untracked", seen: Seen) => {
    const { rule, next, email } = step(t, from, seen, now, periodMs);
    if (next) out.next.push("ref" in seen ? { ...next, fingerprint: fingerprintOf(seen.ref, report) } : next);
    if (email) out.transitions.push(email);
    const ref = !("ref" in seen) ? refOf(t) : rule.send === "drift-detected" ? { ...seen.ref, since: at } : seen.ref;
    if (isOpen(rule.to) && !isOpen(rule.from)) out.opened.push(ref);
    if (isOpen(rule.to)) out.stillOpen.push(ref);
    if (isOpen(rule.from) && !isOpen(rule.to)) out.resolved.push(refOf(t, { summary: summaryNow(t, seen) }));
  };
  const keys = new Set<string>();
  for (const t of tracked) {
    keys.add(t.key);
    move(t, stateOf(t), observed(observeTracked(report, failing, t), t.since, report, standings, now, t.fingerprint));
  }
  for (const [key, current] of failing) {
    if (keys.has(key)) continue;
    const ref: FindingRef = { ...current, since: at };
    move(untracked(ref, at), "untracked", observed({ kind: "failing", ref }, at, report, standings, now));
  }
  out.next.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/**
 * A late run records no verdict; what that means for each finding is the machine's `late` rows.
 * They hold whatever the period, so a late run needs no reminder period: it never counts as elapsed.
 */
export function lateFindings(tracked: readonly TrackedFinding[], now: Date): Pick<FindingsResult, "next" | "transitions"> {
  const out: Pick<FindingsResult, "next" | "transitions"> = { next: [], transitions: [] };
  for (const t of tracked) {
    const { next, email } = step(t, stateOf(t), { kind: "late" }, now, Number.POSITIVE_INFINITY);
    if (next) out.next.push(next);
    if (email) out.transitions.push(email);
  }
  return out;
}
