/**
 * Microsoft's What If evaluation of Conditional Access: `POST /v1.0/identity/conditionalAccess/evaluate`
 * (learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0 — in v1.0, not
 * only beta; application permission Policy.Read.ConditionalAccess, least privileged). The body names
 * the identity (`#microsoft.graph.userSignIn` with `userId`), the context
 * (`#microsoft.graph.applicationContext` with `includeApplications`:
 * learn.microsoft.com/graph/api/resources/applicationcontext) and the conditions (`signInConditions`:
 * `clientAppType`, `devicePlatform`, `ipAddress`, `country`, `deviceInfo`:
 * learn.microsoft.com/graph/api/resources/signinconditions). The answer is a `whatIfAnalysisResult`
 * collection: each policy with `policyApplies` and `analysisReasons`
 * (learn.microsoft.com/graph/api/resources/whatifanalysisresult). Not a registry fact: one POST per
 * context, sent only when policies, named locations or contexts changed (lib/runner/what-if.ts).
 * It counts against the tenant's Conditional Access budget (1 request/s).
 */
import { z } from "zod";
import type { SignInContext, WhatIfAnswer } from "../../model/facts.js";
import { clientAppTypeOf, platformOf } from "../../checks/conditional-access/contexts.js";
import { contextKey } from "../../checks/conditional-access/context-key.js";
import type { GraphBudget } from "../pacing.js";
import type { GraphVersion } from "./definition.js";
import { map, nullableStr, parse, type Normalised } from "./parse.js";

export const WHAT_IF = {
  version: "v1.0" as GraphVersion,
  url: "/identity/conditionalAccess/evaluate",
  permission: "Policy.Read.ConditionalAccess",
  budget: "ca" as GraphBudget,
  reads: "What If evaluation of Conditional Access (cross-check)",
} as const;

/** Contexts evaluated per run, the newest: each is one request from the 1-per-second CA budget. */
export const MAX_WHAT_IF_CONTEXTS = 5;

/**
 * The request for one context. Conditions the log does not give are left out: What If then counts
 * a policy's condition on them as not met (a documented gap the comparison handles).
 */
export function whatIfBody(userId: string, c: SignInContext): Record<string, unknown> {
  const conditions: Record<string, unknown> = { clientAppType: clientAppTypeOf(c) ?? "all" };
  const platform = platformOf(c);
  if (platform) conditions.devicePlatform = platform;
  if (c.ipAddress) conditions.ipAddress = c.ipAddress;
  if (c.country) conditions.country = c.country;
  if (c.deviceCompliant !== null) conditions.deviceInfo = { isCompliant: c.deviceCompliant };
  return {
    signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId },
    signInContext: { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: c.resourceId ? [c.resourceId] : ["All"] },
    signInConditions: conditions,
    appliedPoliciesOnly: false,
  };
}

const answerSchema = z.looseObject({ value: z.array(z.looseObject({ id: z.string(), policyApplies: z.boolean(), analysisReasons: nullableStr })) });

export function toWhatIfAnswers(c: SignInContext, body: unknown): Normalised<WhatIfAnswer[]> {
  return map(parse(answerSchema, body), (b) =>
    b.value.map((p) => ({ context: contextKey(c), policyId: p.id.toLowerCase(), policyApplies: p.policyApplies, analysisReasons: p.analysisReasons })),
  );
}
