/**
 * The findings' state machine: one row per (state, what this run saw, has the reminder period since
 * the last email about it elapsed?) with the state it moves to and the email it earns. This table is
 * the rule; lib/drift/findings.ts only applies it, and test/unit/drift/finding-states.test.ts walks
 * every row. A new state (acknowledged, excepted, ticketed) or a new observation (an operator's
 * acknowledgement, its expiry) is a block of rows here plus the state's stored projection
 * (lib/drift/finding-stored.ts, a Record the compiler asks for), not a new branch of code: what a
 * move writes (the episode's start, the last email, flaps, resolvedAt) follows from its row.
 *
 * Why the flapping rows look as they do: "once when it breaks, once when it is fixed", without a
 * storm. A finding that fails again after its resolved email is announced at once (the recipients
 * were told it is fixed) but uses up the period: until it ends, a pass holds the resolved email back
 * and a further failure is a quiet flap. So one finding costs at most two drift-detected and one
 * resolved email per reminder period, however fast it flaps.
 */
import type { FindingState } from "../model/finding-state.js";

/**
 * What one run says about a finding: see lib/drift/observe.ts for how a report is read.
 * `acknowledged` and `excepted` are failures an operator's acknowledgement or an approved
 * exception covers this run (lib/drift/standing.ts); one that no longer covers is `failing` again.
 * `changed` is a failure for something else than the stored finding was last seen failing for
 * (its summary, cause, controls or evidence: lib/drift/observe.ts `fingerprintOf`).
 */
export const OBSERVATIONS = ["failing", "changed", "passing", "held", "unchecked", "retired", "late", "acknowledged", "excepted"] as const;
export type Observation = (typeof OBSERVATIONS)[number];

/**
 * Where a finding can be: a stored state, not tracked at all, or closed because its check is gone
 * from this version (it is then forgotten too, after one last email).
 */
export type MachineState = FindingState | "untracked" | "retired";

/**
 * The transitions a finding's move can earn. All but `finding-changed` are emails; that one is a
 * ticket note and a lifecycle event only (lib/alerts/mailed.ts says why).
 */
export type FindingEmail = "drift-detected" | "reminder" | "resolved" | "check-retired" | "finding-changed";

export interface FindingRule {
  readonly from: FindingState | "untracked";
  readonly seen: Observation;
  /** Whether `reminderHours` have passed since the last email about the finding; `any`: either. */
  readonly period: "elapsed" | "running" | "any";
  readonly to: MachineState;
  readonly send: FindingEmail | null;
  /** A failure after a held-back pass: counted as a flap, and the next reminder says how many. */
  readonly flap?: true;
  /** The rule in words: the table test is named by it. */
  readonly why: string;
}

type Rows = Omit<FindingRule, "from">[];

/** What holds for every state the recipients last heard is failing, apart from failing and passing. */
const toldFailing = (stay: FindingState): Rows => [
  { seen: "held", period: "any", to: stay, send: null, why: "cannot be judged: kept as it is, neither resolved nor reminded" },
  { seen: "unchecked", period: "any", to: "untracked", send: null, why: "no longer checked (licence, profile): dropped without an email" },
  { seen: "retired", period: "any", to: "retired", send: "check-retired", why: "its check is gone from this version: closed once" },
  { seen: "late", period: "any", to: stay, send: null, why: "a late run records no verdict" },
];

/** A failure an operator acknowledged, or an exception allows, in a state the recipients last heard failing. */
const heldBack = (): Rows => [
  { seen: "acknowledged", period: "any", to: "acknowledged", send: null, why: "acknowledged by an operator: reminders stop, shown as acknowledged" },
  { seen: "excepted", period: "any", to: "excepted", send: null, why: "an approved exception allows it: not a drift, still shown as excepted" },
];

const rowsOf = (from: FindingState | "untracked", rows: Rows): FindingRule[] => rows.map((r) => ({ from, ...r }));

/**
 * Failing for something else while the recipients know it is failing: within the period the change
 * is told to the ticket and the lifecycle webhook only (no email: the reminder carries it); once the
 * period is over it is the reminder that carries it, as for any failure.
 */
const changedWhileOpen = (stay: FindingState): Rows => [
  { seen: "changed", period: "running", to: stay, send: "finding-changed", why: "failing for something else within the period: noted, not mailed" },
  {
    seen: "changed",
    period: "elapsed",
    to: "reminded",
    send: "reminder",
    why: "failing for something else a period after the last email: the reminder says so",
  },
];

/** Where a change says nothing a failure would not (the recipients last heard it fixed, or it was held back): the `failing` rows again. */
const withChangedAsFailing = (rows: Rows): Rows => [...rows, ...rows.filter((r) => r.seen === "failing").map((r) => ({ ...r, seen: "changed" as const }))];

export const FINDING_RULES: readonly FindingRule[] = [
  ...rowsOf("untracked", [
    { seen: "failing", period: "any", to: "open", send: "drift-detected", why: "a new failure is announced" },
    { seen: "acknowledged", period: "any", to: "open", send: "drift-detected", why: "an acknowledgement of an earlier episode does not cover a new one" },
    { seen: "excepted", period: "any", to: "excepted", send: null, why: "a failure an exception allows is tracked and shown as excepted, not announced" },
  ]),
  ...rowsOf("open", [
    { seen: "failing", period: "running", to: "open", send: null, why: "still failing within the period: quiet" },
    { seen: "failing", period: "elapsed", to: "reminded", send: "reminder", why: "still failing a period after the last email" },
    { seen: "passing", period: "any", to: "resolved", send: "resolved", why: "fixed: announced" },
    ...toldFailing("open"),
    ...heldBack(),
    ...changedWhileOpen("open"),
  ]),
  ...rowsOf("reminded", [
    { seen: "failing", period: "running", to: "reminded", send: null, why: "still failing within the period: quiet" },
    { seen: "failing", period: "elapsed", to: "reminded", send: "reminder", why: "still failing a period after the last reminder" },
    { seen: "passing", period: "any", to: "resolved", send: "resolved", why: "fixed: announced" },
    ...toldFailing("reminded"),
    ...heldBack(),
    ...changedWhileOpen("reminded"),
  ]),
  ...rowsOf("reopened", [
    { seen: "failing", period: "running", to: "reopened", send: null, why: "still failing within the re-opening's period: quiet" },
    { seen: "failing", period: "elapsed", to: "reminded", send: "reminder", why: "still failing a period after the re-opening" },
    { seen: "passing", period: "running", to: "held-back", send: null, why: "fixed within the re-opening's period: the resolved email waits" },
    { seen: "passing", period: "elapsed", to: "resolved", send: "resolved", why: "fixed after the re-opening's period: announced" },
    ...toldFailing("reopened"),
    ...heldBack(),
    ...changedWhileOpen("reopened"),
  ]),
  ...rowsOf(
    "held-back",
    withChangedAsFailing([
      { seen: "failing", period: "running", to: "reopened", send: null, flap: true, why: "fails again: what the recipients last heard is true again" },
      {
        seen: "failing",
        period: "elapsed",
        to: "reminded",
        send: "reminder",
        flap: true,
        why: "fails at the end of the period: a reminder counting the flaps",
      },
      { seen: "passing", period: "running", to: "held-back", send: null, why: "still fixed within the period: the resolved email still waits" },
      { seen: "passing", period: "elapsed", to: "resolved", send: "resolved", why: "still fixed at the end of the period: the held-back resolved goes" },
      ...toldFailing("held-back"),
      ...heldBack(),
    ]),
  ),
  ...rowsOf(
    "resolved",
    withChangedAsFailing([
      { seen: "failing", period: "running", to: "reopened", send: "drift-detected", why: "breaks again after its resolved email: announced at once" },
      { seen: "failing", period: "elapsed", to: "open", send: "drift-detected", why: "breaks again a period after its resolved email: a new episode" },
      { seen: "passing", period: "running", to: "resolved", send: null, why: "kept one period to recognise a flap" },
      { seen: "passing", period: "elapsed", to: "untracked", send: null, why: "a period after its resolved email: forgotten" },
      { seen: "held", period: "running", to: "resolved", send: null, why: "kept one period to recognise a flap" },
      { seen: "held", period: "elapsed", to: "untracked", send: null, why: "a period after its resolved email: forgotten" },
      { seen: "unchecked", period: "any", to: "untracked", send: null, why: "no longer checked: forgotten" },
      { seen: "retired", period: "any", to: "untracked", send: null, why: "its check is gone and the recipients last heard it fixed: forgotten" },
      { seen: "late", period: "any", to: "resolved", send: null, why: "a late run records no verdict" },
      {
        seen: "acknowledged",
        period: "running",
        to: "reopened",
        send: "drift-detected",
        why: "the acknowledgement was of the episode told fixed: announced at once",
      },
      { seen: "acknowledged", period: "elapsed", to: "open", send: "drift-detected", why: "the acknowledgement was of the episode told fixed: a new episode" },
      { seen: "excepted", period: "any", to: "excepted", send: null, why: "back, but as an exception allows: shown as excepted" },
    ]),
  ),
  ...rowsOf(
    "reopened-quietly",
    withChangedAsFailing([
      { seen: "failing", period: "running", to: "reopened-quietly", send: null, why: "still failing within the period: quiet" },
      { seen: "failing", period: "elapsed", to: "reminded", send: "reminder", why: "still failing a period after the last email" },
      { seen: "passing", period: "any", to: "resolved", send: null, why: "fixed: silent, the recipients last heard it resolved" },
      { seen: "held", period: "any", to: "reopened-quietly", send: null, why: "cannot be judged: held" },
      { seen: "unchecked", period: "any", to: "untracked", send: null, why: "no longer checked (licence, profile): dropped without an email" },
      { seen: "retired", period: "any", to: "untracked", send: null, why: "its check is gone and the recipients last heard it fixed: forgotten" },
      { seen: "late", period: "any", to: "reopened-quietly", send: null, why: "a late run records no verdict" },
      { seen: "acknowledged", period: "any", to: "acknowledged", send: null, why: "acknowledged by an operator: no reminder" },
      { seen: "excepted", period: "any", to: "excepted", send: null, why: "an approved exception allows it: shown as excepted" },
    ]),
  ),
  ...rowsOf(
    "acknowledged",
    withChangedAsFailing([
      { seen: "acknowledged", period: "any", to: "acknowledged", send: null, why: "still acknowledged, same cause: no reminder" },
      {
        seen: "failing",
        period: "any",
        to: "reminded",
        send: "reminder",
        why: "the acknowledgement expired, was withdrawn or the cause changed: re-alerted once",
      },
      { seen: "passing", period: "any", to: "resolved", send: "resolved", why: "fixed while acknowledged: announced" },
      { seen: "excepted", period: "any", to: "excepted", send: null, why: "an approved exception now allows it: shown as excepted" },
      ...toldFailing("acknowledged"),
    ]),
  ),
  ...rowsOf(
    "excepted",
    withChangedAsFailing([
      { seen: "excepted", period: "any", to: "excepted", send: null, why: "the exception still allows it: shown as excepted, not mailed" },
      {
        seen: "failing",
        period: "any",
        to: "open",
        send: "drift-detected",
        why: "the exception expired or no longer covers it (controls changed): a drift again",
      },
      {
        seen: "acknowledged",
        period: "any",
        to: "open",
        send: "drift-detected",
        why: "the exception no longer covers it; an older acknowledgement does not carry over",
      },
      { seen: "passing", period: "any", to: "untracked", send: null, why: "what the exception allowed is gone: forgotten" },
      { seen: "held", period: "any", to: "excepted", send: null, why: "cannot be judged: kept as excepted" },
      { seen: "unchecked", period: "any", to: "untracked", send: null, why: "no longer checked: forgotten" },
      { seen: "retired", period: "any", to: "untracked", send: null, why: "its check is gone: forgotten" },
      { seen: "late", period: "any", to: "excepted", send: null, why: "a late run records no verdict" },
    ]),
  ),
];

/** The one rule for this state, observation and period; a missing or doubled row is a defect the table test catches. */
export function ruleFor(from: FindingState | "untracked", seen: Observation, elapsed: boolean): FindingRule {
  const matches = FINDING_RULES.filter((r) => r.from === from && r.seen === seen && (r.period === "any" || (r.period === "elapsed") === elapsed));
  const [rule] = matches;
  if (!rule || matches.length > 1) throw new Error(`finding state machine: ${matches.length} rules for ${from} + ${seen} (${elapsed ? "elapsed" : "running"})`);
  return rule;
}
