/**
 * What monitoring remembers about a tenant between runs (the `state` row), the alert transitions
 * it decides (written to the outbox), and the snapshots it keeps as history. These are read back
 * from Table Storage, so each has a zod schema: a row that does not parse is an error, never a
 * silently empty state. The schemas here are the current shapes; stored rows are read through
 * stored.ts, which migrates older versions first.
 *
 * Check ids are plain strings throughout: a stored row outlives the check list that wrote it (a
 * check renamed or removed since must not make the row unreadable).
 */
import { z } from "zod";
import type { Report } from "./report.js";
import { missingFactSchema, reportSchema } from "./report-schema.js";
import { observedStateSchema } from "./observed.js";
import { FINDING_STATES } from "./finding-state.js";
import { findingStandingSchema } from "./standing.js";
import { emergencySignInMemorySchema, emergencySignInSchema } from "./emergency-sign-in.js";
import { accountKeySchema, ACCOUNT_KINDS } from "./account.js";

export type { FindingStanding } from "./standing.js";
export type { EmergencySignIn, EmergencySignInMemory } from "./emergency-sign-in.js";

// ---------------------------------------------------------------------------------------------
// Findings and transitions

/**
 * A finding monitoring keeps track of: one (check, subject) that failed. Kept while it fails and,
 * once resolved, for one reminder period more so a quick re-failure can be recognised as flapping
 * (and, when its resolved email is held back, until it is sent: status `resolved`, lastHeard
 * `failing`).
 */
export const trackedFindingSchema = z.object({
  /** `{checkId}|{subject}`: the tenant is the partition, so it is not repeated here. */
  key: z.string(),
  checkId: z.string(),
  /** The CA policy id for `conditional-access`, else empty. */
  subject: z.string(),
  /** The CA policy's name, for people; null for other checks. */
  subjectName: z.string().nullable(),
  status: z.enum(["open", "resolved"]),
  /** When this episode started failing (kept across quiet re-openings). */
  since: z.string(),
  /** The last run that saw it failing. */
  lastFailedAt: z.string(),
  /** The last email that mentioned it (drift detected, reminder or resolved). */
  lastAlertedAt: z.string(),
  /** What the recipients were last told about it. */
  lastHeard: z.enum(["failing", "resolved"]),
  resolvedAt: z.string().nullable(),
  /** Re-openings folded into silence since the last alert (the flapping rule). */
  flaps: z.number().int().nonnegative(),
  /**
   * Set when it failed again after a resolved email and a fresh drift-detected went out (the one
   * loud re-opening a reminder period allows); while set, a pass does not send "resolved" until
   * `reminderHours` after that email. Cleared by the next email about it. Absent in rows written
   * before this rule: read as null.
   */
  reopenedAt: z.string().nullable().optional(),
  summary: z.string(),
  /** Its state in the findings' state machine (lib/drift/finding-states.ts). Absent in older rows: derived from the fields above. */
  state: z.enum(FINDING_STATES).optional(),
  /** Set while it is `acknowledged` or `excepted`: by whom, why, until when (lib/drift/standing.ts). */
  standing: findingStandingSchema.optional(),
  /**
   * What it was failing for when last seen failing (lib/drift/observe.ts `fingerprintOf`): a run
   * that sees it failing for something else says so (`finding-changed`). Absent in rows written
   * before it was kept: the next failing run records it without calling it a change.
   */
  fingerprint: z.string().optional(),
});
export type TrackedFinding = z.infer<typeof trackedFindingSchema>;

/** What an email says about one finding. */
export const findingRefSchema = z.object({
  key: z.string(),
  checkId: z.string(),
  subject: z.string(),
  subjectName: z.string().nullable(),
  summary: z.string(),
  reason: z.string().nullable(),
  remediation: z.string().nullable(),
  evidence: z.array(z.string()),
  /** The check's facts Graph cannot give, as its report names them. */
  missingFacts: z.array(missingFactSchema).optional(),
  since: z.string(),
});
export type FindingRef = z.infer<typeof findingRefSchema>;

export const registeredMethodSchema = z.object({ id: z.string(), type: z.string(), label: z.string().nullable() });
export type RegisteredMethod = z.infer<typeof registeredMethodSchema>;

/**
 * One alert-worthy change. `key` identifies the transition itself (not the run), so the same
 * decision taken twice has the same key; the outbox row id is derived from the keys.
 */
export const transitionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("drift-detected"),
    key: z.string(),
    finding: findingRefSchema,
    /** When the recipients were told it was fixed, if it broke again after that. */
    previouslyResolvedAt: z.string().optional(),
  }),
  z.object({ kind: z.literal("resolved"), key: z.string(), finding: findingRefSchema, resolvedAt: z.string() }),
  /** An open finding of a check this version no longer has (renamed, split or removed): closed once. Key `check-retired|{findingKey}`. */
  z.object({ kind: z.literal("check-retired"), key: z.string(), finding: findingRefSchema, reason: z.string() }),
  z.object({
    kind: z.literal("reminder"),
    key: z.string(),
    finding: findingRefSchema,
    lastAlertedAt: z.string(),
    /** How often it passed and failed again since the last alert (0 = failing throughout). */
    flaps: z.number().int().nonnegative(),
    /** Set when it alerts again after an operator's acknowledgement: why it no longer holds. */
    acknowledgement: z.string().optional(),
  }),
  /**
   * An open finding now failing for something else (its summary, cause, controls or evidence): a note on its ticket and an
   * `updated` lifecycle event, never mailed (isMailedKind). Key `finding-changed|{findingKey}|{now}`.
   */
  z.object({ kind: z.literal("finding-changed"), key: z.string(), finding: findingRefSchema }),
  z.object({
    kind: z.literal("monitoring-degraded"),
    key: z.string(),
    unknownRuns: z.number().int().positive(),
    since: z.string(),
    reasons: z.array(z.object({ checkId: z.string(), reason: z.string() })),
  }),
  z.object({
    /** Checks kept being throttled (late, not unknown) for two schedule periods: no verdict since `lastCheckedAt`. */
    kind: z.literal("not-checked"),
    key: z.string(),
    lastCheckedAt: z.string(),
    lateSince: z.string(),
    reason: z.string(),
  }),
  z.object({
    kind: z.literal("monitoring-restored"),
    key: z.string(),
    degradedSince: z.string(),
    status: z.enum(["compliant", "drifted", "unknown"]),
  }),
  /**
   * A warning worth one email before it becomes a drift: sessions revoked, a
   * Microsoft-managed policy that will be enforced soon. Sent once per warning (its check and
   * summary, lib/drift/early-warnings.ts), never repeated while the warning stands.
   */
  z.object({ kind: z.literal("early-warning"), key: z.string(), finding: findingRefSchema }),
  z.object({
    kind: z.literal("security-notice"),
    key: z.string(),
    added: z.array(registeredMethodSchema),
    removed: z.array(registeredMethodSchema),
    methods: z.array(registeredMethodSchema),
  }),
  /** A sign-in of an emergency access account, successful or not: each one is mailed once. Key `emergency-sign-in|{signInId}`. */
  z.object({ kind: z.literal("emergency-sign-in"), key: z.string(), signIn: emergencySignInSchema }),
]);
export type Transition = z.infer<typeof transitionSchema>;
export type TransitionKind = Transition["kind"];
/** Whether email and chat carry a transition of this kind: all but `finding-changed` (lib/alerts/mailed.ts says why). */
export const isMailedKind = (kind: TransitionKind): boolean => kind !== "finding-changed";

// ---------------------------------------------------------------------------------------------
// State

export const tenantStateSchema = z.object({
  /** 2: findings may be `acknowledged` or `excepted`, which version 1 cannot read (stored.ts reads a 1 as it is). */
  schemaVersion: z.literal(2),
  tenantId: z.string(),
  /**
   * The monitored account this state is of (lib/model/account.ts): "" or absent for the tenant's
   * first account, whose partition is the tenant id. Optional, so rows written before a tenant had
   * several accounts read as the first account's with no migration.
   */
  accountKey: accountKeySchema.optional(),
  /** Increments on every write; part of outbox row ids. */
  version: z.number().int().nonnegative(),
  updatedAt: z.string(),
  lastReport: reportSchema,
  findings: z.array(trackedFindingSchema),
  consecutiveUnknown: z.number().int().nonnegative(),
  /** First run of the current unknown streak. */
  unknownSince: z.string().nullable(),
  /**
   * The schedule period last counted in `consecutiveUnknown` (lib/drift/diff.ts `period`): a
   * message delivered twice is one period, not two. Absent in rows written before it was kept.
   */
  unknownPeriod: z.string().nullable().optional(),
  /** The run (queue message) that wrote this state: a redelivery of that message is skipped. Absent: unknown. */
  lastRunId: z.string().nullable().optional(),
  /**
   * Set while checks are late: throttled by Graph, or no budget in time. A late run records no
   * verdict (the last report stands, nothing turns unknown); the next recorded run clears these.
   */
  lateSince: z.string().nullable().optional(),
  lateReason: z.string().nullable().optional(),
  /** When "not checked since" was sent for the current late stretch (once per stretch). */
  notCheckedAlertedAt: z.string().nullable().optional(),
  /** Set when "monitoring degraded" was sent, cleared (with "monitoring restored") on recovery. */
  degradedAlertedAt: z.string().nullable(),
  /** The account's registered methods, sorted; null until they could be read once. */
  methods: z.array(registeredMethodSchema).nullable(),
  /**
   * The object id of the account `methods` belong to: when the connection account changes, the
   * new account's methods are a new baseline, not a change. Absent in rows written before it was
   * kept: the last report's account is assumed.
   */
  methodsAccountId: z.string().nullable().optional(),
  /** The early warnings already sent and still standing (`{checkId}|{summary}`). Absent in rows written before: none. */
  earlyWarnings: z.array(z.string()).optional(),
  /** The exception notices already mailed (`{exceptionId}|{expiresAt}|{expiring|expired}`), while the exception is kept. */
  exceptionNotices: z.array(z.string()).optional(),
  /** sha-256 of the facts that matter (see lib/runner/digest.ts); decides snapshots. */
  factsDigest: z.string().nullable(),
  lastSnapshotAt: z.string().nullable(),
  lastSnapshotId: z.string().nullable(),
  /** The account's observed sign-in contexts and the What If cross-check's memory. Absent in older rows. */
  observed: observedStateSchema.optional(),
  /** Emergency access accounts: the sign-ins already mailed (lib/drift/emergency-sign-ins.ts). Absent: none, or not such an account. */
  emergencySignIns: emergencySignInMemorySchema.optional(),
});
/** The report is typed as the model's (readonly) Report: the schema's output is assignable to it. */
export type TenantState = Omit<z.infer<typeof tenantStateSchema>, "lastReport"> & { lastReport: Report };

// ---------------------------------------------------------------------------------------------
// Outbox and snapshots

/** One email to send: every transition of one tenant in one run. */
export const outboxAlertSchema = z.object({
  /**
   * 2: transitions may be `check-retired`, which version 1 cannot read; 3: `emergency-sign-in` and `finding-changed`, which
   * version 2 cannot read (stored.ts reads a 1 or a 2 as it is).
   */
  schemaVersion: z.literal(3),
  id: z.string(),
  tenantId: z.string(),
  /** The account whose transitions these are ("" or absent: the tenant's first account); its partition holds the row. */
  accountKey: accountKeySchema.optional(),
  /** The account as registered (UPN or object id) and its kind; absent in rows written before accounts had kinds. */
  accountRef: z.string().optional(),
  accountKind: z.enum(ACCOUNT_KINDS).optional(),
  /** How many accounts the tenant monitored when the alert was decided: with several, the subject names the account. */
  tenantAccounts: z.number().int().positive().optional(),
  tenantName: z.string(),
  createdAt: z.string(),
  /** The state version this alert was decided from. */
  stateVersion: z.number().int().nonnegative(),
  /** The tenant's own recipients at decision time; the global list is added at delivery. */
  recipients: z.array(z.string()),
  tenantStatus: z.enum(["compliant", "drifted", "unknown"]),
  accountUserPrincipalName: z.string().nullable(),
  transitions: z.array(transitionSchema).min(1),
});
export type OutboxAlert = z.infer<typeof outboxAlertSchema>;

/** A fact as stored in a snapshot: the value is kept whole but not re-typed on the way back. */
const storedFactSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), code: z.string(), reason: z.string() }).loose(),
]);

/** A CA policy as stored: id and name are what history needs; everything else is kept as read. */
export const storedCaPolicySchema = z.object({ id: z.string(), displayName: z.string() }).loose();
export type StoredCaPolicy = z.infer<typeof storedCaPolicySchema>;

const snapshotFactsSchema = z
  .object({
    tenantId: z.string(),
    collectedAt: z.string(),
    conditionalAccessPolicies: z.union([
      z.object({ ok: z.literal(true), value: z.array(storedCaPolicySchema) }),
      z.object({ ok: z.literal(false), code: z.string(), reason: z.string() }).loose(),
    ]),
  })
  .catchall(z.union([storedFactSchema, z.unknown()]));
/**
 * Typed by hand so the collector's (readonly) TenantFacts can be stored as is; the schema's output
 * is assignable to it. Only what history reads is typed; the other facts are kept whole.
 */
export interface SnapshotFacts {
  readonly tenantId: string;
  readonly collectedAt: string;
  readonly conditionalAccessPolicies:
    { readonly ok: true; readonly value: readonly StoredCaPolicy[] } | { readonly ok: false; readonly code: string; readonly reason: string };
}

export const snapshotSchema = z.object({
  schemaVersion: z.literal(1),
  /** The RowKey suffix: inverted ticks, so the newest sorts first. */
  id: z.string(),
  tenantId: z.string(),
  /** The account the snapshot is of ("" or absent: the first account). */
  accountKey: accountKeySchema.optional(),
  takenAt: z.string(),
  report: reportSchema,
  factsDigest: z.string(),
  facts: snapshotFactsSchema,
});
export type Snapshot = Omit<z.infer<typeof snapshotSchema>, "report" | "facts"> & { report: Report; facts: SnapshotFacts };
