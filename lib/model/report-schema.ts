/**
 * The report's schema, for reading it back inside a stored state or snapshot (state.ts): the
 * shapes of report.ts, validated, check ids as plain strings.
 */
import { z } from "zod";
import type { CaFinding, CheckResult, MissingFact, Report } from "./report.js";
import { CHECK_STATUSES } from "./report.js";

const CA_EFFECTS = ["blocking", "conditional", "report-only", "session-only", "excluded", "not-targeted", "not-applicable", "unknown"] as const;

// Optional everywhere it is carried: rows written before it read as having none, and older code drops it.
export const missingFactSchema = z.object({
  fact: z.string(),
  why: z.string(),
  where: z.string(),
  subjects: z.array(z.string()),
}) satisfies z.ZodType<MissingFact>;

const caFindingSchema = z.object({
  policyId: z.string(),
  policyName: z.string(),
  state: z.string(),
  effect: z.enum(CA_EFFECTS),
  reason: z.string(),
  controls: z.array(z.string()).optional(),
  conditions: z.array(z.string()).optional(),
  missingFacts: z.array(z.string()).optional(),
}) satisfies z.ZodType<CaFinding>;

const checkResultSchema = z.object({
  id: z.string(),
  status: z.enum(CHECK_STATUSES),
  summary: z.string(),
  reason: z.string().optional(),
  remediation: z.string().optional(),
  findings: z.array(caFindingSchema).optional(),
  evidence: z.array(z.string()).optional(),
  missingFacts: z.array(missingFactSchema).optional(),
}) satisfies z.ZodType<CheckResult>;

export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tenantId: z.string(),
  checkedAt: z.string(),
  profile: z.string(),
  account: z.object({ id: z.string().nullable(), userPrincipalName: z.string().nullable() }),
  status: z.enum(["compliant", "drifted", "unknown"]),
  warnings: z.number().int(),
  checks: z.array(checkResultSchema),
}) satisfies z.ZodType<Report>;
