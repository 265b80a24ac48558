/**
 * What operators decide about findings, stored next to monitoring's state: an acknowledgement of
 * one open finding ("seen, working on it"), an approved exception (what may differ from the
 * required state, until when, and who owns that), and the audit entry every change to either
 * writes. Each is its own row kind with its own schema version (docs/storage.md); how they bear
 * on a finding is the pure rule in lib/drift/standing.ts.
 */
import { accountKeySchema } from "./account.js";
import { z } from "zod";
import { fixRequestSchema } from "./remediation.js";

export const DAY_MS = 86_400_000;
/** An acknowledgement lasts this long unless told otherwise, and never longer than the maximum. */
const ACK_DEFAULT_DAYS = 7;
const ACK_MAX_DAYS = 30;
/** An exception must expire, and within a year of its approval. */
const EXCEPTION_MAX_DAYS = 366;
/** An exception this close to its expiry is mailed once ("expires soon"). */
export const EXCEPTION_NOTICE_DAYS = 14;
/** The partition of estate-wide exception templates and their audit entries. */
export const ESTATE_SCOPE = "~estate";

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });

/** What holds a failing finding back from alerting, as shown wherever findings are listed. */
export const findingStandingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("acknowledged"), by: z.string(), at: z.string(), until: z.string(), reason: z.string() }),
  z.object({
    kind: z.literal("excepted"),
    exceptionId: z.string(),
    scope: z.string(),
    /** Set: the exception covers this account alone (its key); absent: every account of the scope. */
    accountKey: accountKeySchema.optional(),
    until: z.string(),
    reason: z.string(),
    owner: z.string(),
    reference: z.string(),
  }),
]);
export type FindingStanding = z.infer<typeof findingStandingSchema>;

const withdrawnSchema = z.object({ by: z.string(), at: z.string() });

export const acknowledgementSchema = z.object({
  schemaVersion: z.literal(1),
  tenantId: z.string(),
  /** The account whose finding it is: absent (or "") for the tenant's first account. Its row lives in the account's Monitor partition. */
  accountKey: accountKeySchema.optional(),
  /** The finding's key, `{checkId}|{subject}`. */
  findingKey: z.string(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
  until: z.string(),
  /** The finding's cause when it was acknowledged (lib/drift/standing.ts causeOf): a different cause re-alerts. */
  cause: z.string(),
  /** The failing episode acknowledged (the finding's `since`): a new episode is not covered. */
  episode: z.string(),
  /** Set when it was withdrawn: the row stays (its ETag guards the next change), covering nothing. */
  withdrawn: withdrawnSchema.optional(),
});
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

/** What an exception allows: a named Conditional Access policy to apply to the account, or a check to fail. */
export const exceptionTargetSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("policy-may-apply"),
    /** The policy's id (one tenant) or display name (an estate-wide template: ids differ per tenant). */
    policy: z.string(),
    /** The policy's controls when approved (lib/drift/standing.ts controlsFingerprint): other controls are a drift. */
    controls: z.string(),
  }),
  z.object({ kind: z.literal("check-waived"), checkId: z.string() }),
]);
export type ExceptionTarget = z.infer<typeof exceptionTargetSchema>;

export const approvedExceptionSchema = z.object({
  schemaVersion: z.literal(1),
  /**
   * `policy:{policy}` or `check:{checkId}` for every account of the scope, `…@{account}` for one account
   * (exceptionIdOf): one exception per target, scope and account, so two approvals race on one row.
   */
  id: z.string(),
  /** A tenant id, or ESTATE_SCOPE for a template every tenant inherits. */
  scope: z.string(),
  /** Set: the exception covers only this account of the tenant; absent: every account of it. */
  accountKey: accountKeySchema.optional(),
  target: exceptionTargetSchema,
  reason: z.string(),
  owner: z.string(),
  reference: z.string(),
  expiresAt: z.string(),
  by: z.string(),
  at: z.string(),
  /** Set when it was removed: the row stays (its ETag guards the next change), allowing nothing. */
  withdrawn: withdrawnSchema.optional(),
});
export type ApprovedException = z.infer<typeof approvedExceptionSchema>;

/** How an account-scoped id names the tenant's first account, whose key is "": keys are 12 hex characters, so it names no other. */
const FIRST_ACCOUNT_IN_ID = "first";

/**
 * An exception's id, its row key in its scope: the target, and `@{account key}` when it covers one
 * account only. An exception for every account keeps the id it always had, so stored rows read unchanged.
 */
export function exceptionIdOf(target: ExceptionTarget, accountKey?: string): string {
  return accountExceptionId(target.kind === "check-waived" ? `check:${target.checkId}` : `policy:${target.policy}`, accountKey);
}

/** The id of the exception of `id`'s target for one account (`accountKey`), or `id` itself for every account. */
export const accountExceptionId = (id: string, accountKey: string | undefined): string =>
  accountKey === undefined ? id : `${id}@${accountKey === "" ? FIRST_ACCOUNT_IN_ID : accountKey}`;

const AUDIT_ACTIONS = [
  "ack",
  "ack-withdrawn",
  "exception-approved",
  "exception-removed",
  // A fix request's steps (lib/model/remediation.ts): before and after are the request.
  "fix-requested",
  "fix-approved",
  "fix-applied",
  "fix-stale",
  "fix-refused",
  "fix-failed",
  "fix-expired",
  "fix-reverted",
  "fix-rechecked",
] as const;

/** Version 2 added the fix actions (older code refuses them with NewerSchemaError instead of misreading them). */
export const auditEntrySchema = z.object({
  schemaVersion: z.literal(2),
  /** A tenant id, or ESTATE_SCOPE. */
  scope: z.string(),
  at: z.string(),
  by: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  /** What it is about: the finding key or the exception id. */
  subject: z.string(),
  before: z.union([acknowledgementSchema, approvedExceptionSchema, fixRequestSchema]).nullable(),
  after: z.union([acknowledgementSchema, approvedExceptionSchema, fixRequestSchema]).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Whether an exception of the account's tenant (or the estate) covers the account with this key: it names no account, or this one. */
export const coversAccount = (e: Pick<ApprovedException, "accountKey">, key: string): boolean => e.accountKey === undefined || e.accountKey === key;

/** "7d", "36h", "2w": an operator's duration. */
const DURATION = /^(\d{1,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS } as const;

function parseDuration(raw: string): number | undefined {
  const m = DURATION.exec(raw.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** An operator's acknowledgement as asked for (CLI, API): validated here, at the edge. */
export const ackInputSchema = z.object({
  /** The account whose finding it is (its key); absent: the tenant's first account. */
  accountKey: accountKeySchema.optional(),
  checkId: text("check", 100),
  /** The Conditional Access policy id of a per-policy finding; empty for the other checks. */
  subject: z.string().trim().max(100).default(""),
  reason: text("reason", 500),
  by: text("who (by)", 200),
  for: z
    .string()
    .default(`${ACK_DEFAULT_DAYS}d`)
    .transform((raw, ctx) => {
      const ms = parseDuration(raw);
      if (ms === undefined || ms <= 0 || ms > ACK_MAX_DAYS * DAY_MS) {
        ctx.addIssue({ code: "custom", message: `for must be a duration like 7d, 36h or 2w, at most ${ACK_MAX_DAYS}d (got "${raw}")` });
        return z.NEVER;
      }
      return ms;
    }),
});
export type AckInput = z.output<typeof ackInputSchema>;

/** An exception as asked for: exactly one of policy and check; the expiry is required, within a year. */
export const exceptionInputSchema = z
  .object({
    /** The one account of the tenant it covers (its key, "" the first account's); absent: every account. Never an estate-wide template's. */
    accountKey: accountKeySchema.optional(),
    policy: z.string().trim().min(1).max(256).optional(),
    /** An estate-wide policy template's grant controls ("block", "mfa+compliantDevice"); a tenant's are read from its last report. */
    controls: z.string().trim().min(1).max(200).optional(),
    checkId: z.string().trim().min(1).max(100).optional(),
    reason: text("reason", 500),
    owner: text("owner", 200),
    reference: text("reference (ticket)", 200),
    expiresAt: z.iso
      .datetime({ offset: true, error: "expires must be an ISO date and time, e.g. 2027-01-31T00:00:00Z" })
      .or(z.iso.date({ error: "expires must be a date (2027-01-31) or an ISO date and time" })),
    by: text("who (by)", 200),
  })
  .refine((v) => (v.policy === undefined) !== (v.checkId === undefined), { error: "give exactly one of policy and check", path: ["policy"] });
export type ExceptionInput = z.output<typeof exceptionInputSchema>;

/** The expiry as an instant, or why it is refused (past, or beyond a year from now). */
export function exceptionExpiry(raw: string, now: Date): { ok: true; at: string } | { ok: false; error: string } {
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(at)) return { ok: false, error: `expires "${raw}" is not a date` };
  if (at <= now.getTime()) return { ok: false, error: `expires ${new Date(at).toISOString()} is not in the future` };
  if (at > now.getTime() + EXCEPTION_MAX_DAYS * DAY_MS) return { ok: false, error: `expires must be within ${EXCEPTION_MAX_DAYS} days of its approval` };
  return { ok: true, at: new Date(at).toISOString() };
}
