/**
 * Pure helpers on stored fixes: the plan as stored (validated JSON), the digest that tells a
 * preview from a later one, and the revert plan, whose `after` is the recorded `before` so the
 * executor's read-compare-write restores it (and refuses, as stale, when the resource changed
 * since the fix).
 */
import { createHash } from "node:crypto";
import { storedPlanSchema, type FixRequest } from "../model/remediation.js";
import { fieldsJson, type JsonObject, type RemediationPlan } from "./plan.js";

type StoredPlan = FixRequest["plan"];

/** The plan as a stored row holds it: plain JSON, validated. */
export const storedPlan = (plan: RemediationPlan): StoredPlan => storedPlanSchema.parse(JSON.parse(JSON.stringify(plan)));

/** What a person saw in a preview: the write and the fields before and after. Another digest at request time means the resource moved. */
export function planDigest(plan: Pick<RemediationPlan, "request" | "before" | "after">): string {
  const { method, version, url, body } = plan.request;
  const seen = [`${method} ${version}${url}`, fieldsJson(body), fieldsJson(plan.before), fieldsJson(plan.after)].join("\n");
  return createHash("sha256").update(seen).digest("hex").slice(0, 32);
}

/** The write that puts back what the fix found; undefined when no write was recorded. */
export function revertPlan(fix: FixRequest): RemediationPlan | undefined {
  const before: JsonObject | undefined = fix.result?.before;
  const after: JsonObject | undefined = fix.result?.after;
  if (!before || !after) return undefined;
  return {
    ...fix.plan,
    request: { ...fix.plan.request, body: before },
    before: after,
    after: before,
    description: `Revert: ${fix.plan.description}`,
  };
}
