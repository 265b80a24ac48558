/**
 * A fix request: one previewed Graph write for one finding of one monitored account, the people
 * who asked for it and approved it, and what happened when it ran. Stored as `fix|{id}` in the
 * account's Monitor partition (lib/store/monitor/remediations.ts), its JSON in a Body column, so
 * it outlives the code: every field a later version adds must be optional or come with a version.
 *
 * The states and the moves between them are the pure rule of lib/remediation/transitions.ts.
 */
import { z } from "zod";

export const FIX_STATES = ["pending", "approved", "applied", "stale", "refused", "failed", "expired", "reverted"] as const;
export type FixState = (typeof FIX_STATES)[number];

const json = z.json();
/** JSON as a stored row holds it. */
export type StoredJson = z.infer<typeof json>;
export type StoredJsonObject = z.infer<typeof jsonObject>;
const jsonObject = z.record(z.string(), json);

/** A person, as the dashboard's verified ID token or the CLI's operator names them: `id` decides "the same person". */
export const actorSchema = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) });
export type Actor = z.infer<typeof actorSchema>;

const graphRequestSchema = z.object({
  method: z.enum(["GET", "PATCH"]),
  version: z.enum(["v1.0", "beta"]),
  url: z.string(),
  body: jsonObject.optional(),
});

/** The plan as the preview showed it (lib/remediation/plan.ts RemediationPlan). */
export const storedPlanSchema = z.object({
  kind: z.enum(["ca-exclude-account", "per-user-mfa-disable", "campaign-exclude-account", "password-never-expires"]),
  request: graphRequestSchema.extend({ method: z.literal("PATCH"), body: jsonObject }),
  read: graphRequestSchema.extend({ method: z.literal("GET") }),
  before: jsonObject,
  after: jsonObject,
  description: z.string(),
  permissions: z.array(z.string()),
  documentation: z.string(),
});

/** What one write did: Graph's answer (redacted), the written fields and the whole resource before and after. */
export const fixRunSchema = z.object({
  by: actorSchema,
  at: z.string(),
  outcome: z.enum(["applied", "already-done", "accepted-not-visible", "refused", "stale", "failed"]),
  message: z.string(),
  answer: z.object({ status: z.number().int(), body: json.nullable() }).optional(),
  before: jsonObject.optional(),
  after: jsonObject.optional(),
  resourceBefore: json.optional(),
  resourceAfter: json.optional(),
});
export type FixRun = z.infer<typeof fixRunSchema>;

/** The tenant's check run right after the fix: the tenant's status and the fixed finding's. */
export const recheckSchema = z.object({
  at: z.string(),
  outcome: z.enum(["checked", "skipped", "failed"]),
  /** The tenant's status after the run (compliant, drifted, unknown). */
  tenantStatus: z.string().optional(),
  /** The finding after the run: "resolved" (passes now), "open" (still fails), or "absent". */
  finding: z.enum(["resolved", "open", "absent"]).optional(),
  detail: z.string(),
});
export type Recheck = z.infer<typeof recheckSchema>;

export const fixRequestSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{16,32}$/),
  tenantId: z.string(),
  /** The monitored account's key ("" for the tenant's first account). */
  accountKey: z.string(),
  findingKey: z.string(),
  checkId: z.string(),
  plan: storedPlanSchema,
  requestedBy: actorSchema,
  requestedAt: z.string(),
  /** Whether a second person had to approve it, as decided when it was requested. */
  fourEyes: z.boolean(),
  approvedBy: actorSchema.nullable(),
  approvedAt: z.string().nullable(),
  state: z.enum(FIX_STATES),
  /** A pending request expires then: an approval is for the change as previewed, not for whatever the policy becomes. */
  expiresAt: z.string(),
  updatedAt: z.string(),
  /** The write, when it was attempted (also a stale or refused one). */
  result: fixRunSchema.optional(),
  recheck: recheckSchema.optional(),
  /** The write that restored `before`. */
  revert: fixRunSchema.optional(),
  revertRecheck: recheckSchema.optional(),
});
export type FixRequest = z.infer<typeof fixRequestSchema>;
