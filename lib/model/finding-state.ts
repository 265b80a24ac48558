/**
 * The states a tracked finding can be in, as stored with it. What moves a finding from one to the
 * next is the table in lib/drift/finding-states.ts; read it there. The stored `status` and
 * `lastHeard` are projections of these states, kept for readers that only ask "open?".
 */
export const FINDING_STATES = [
  /** Failing; the recipients were told (drift-detected) and not reminded yet. */
  "open",
  /** Failing; the recipients were reminded at least once. */
  "reminded",
  /** Failed again after its resolved email; that re-opening was announced, the one a reminder period allows. */
  "reopened",
  /** Passing, but its resolved email waits for the end of the re-opening's period (the recipients last heard: failing). */
  "held-back",
  /** Passing, and the recipients were told; kept one period to recognise a flap. */
  "resolved",
  /** Failing again while the recipients last heard it resolved: only in rows written by the former flapping rule. */
  "reopened-quietly",
  /** Failing, and an operator acknowledged it (lib/model/standing.ts): no reminders while the acknowledgement holds and the cause is the same. */
  "acknowledged",
  /** Failing only as an approved exception allows (lib/model/standing.ts): not a drift while it stands, still evaluated and shown. */
  "excepted",
] as const;
export type FindingState = (typeof FINDING_STATES)[number];
