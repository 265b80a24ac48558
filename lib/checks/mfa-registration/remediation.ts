/**
 * The fix for a registration campaign that would nudge the account to register an MFA method: add
 * the account to the campaign's `excludeTargets` (an exclude target beats every include target).
 * `PATCH /policies/authenticationMethodsPolicy` with
 * `registrationEnforcement.authenticationMethodsRegistrationCampaign.excludeTargets`, 200 with the policy
 * (learn.microsoft.com/graph/api/authenticationmethodspolicy-update). The body carries only what changes
 * and the collection is written whole. Least privileged application permission:
 * Policy.ReadWrite.AuthenticationMethod. No ETag: the executor re-reads the policy and compares first.
 */
import type { JsonObject, Remediation } from "../../remediation/plan.js";
import { planFor } from "../../remediation/plan.js";

const METHODS_POLICY_DOCS = "https://learn.microsoft.com/graph/api/authenticationmethodspolicy-update?view=graph-rest-1.0";

interface CampaignExclusionInput {
  /** The policy as `GET /v1.0/policies/authenticationMethodsPolicy` answered it. */
  readonly policy: JsonObject;
  readonly accountId: string;
}

function campaignOf(policy: JsonObject): JsonObject | undefined {
  const enforcement = policy.registrationEnforcement;
  const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
  return isObj(enforcement) && isObj(enforcement.authenticationMethodsRegistrationCampaign) ? enforcement.authenticationMethodsRegistrationCampaign : undefined;
}

export function planCampaignExclusion({ policy, accountId }: CampaignExclusionInput): Remediation {
  const campaign = campaignOf(policy);
  if (!campaign) return { manual: "The tenant's registration campaign settings could not be read, so the exclusion cannot be previewed." };
  const existing = Array.isArray(campaign.excludeTargets) ? (campaign.excludeTargets as readonly JsonObject[]) : [];
  const already = existing.some((t) => typeof t.id === "string" && t.id.toLowerCase() === accountId.toLowerCase());
  // Graph answers each target with `id` and `targetType`; only those are written back.
  const kept = existing.map((t) => ({ id: t.id ?? null, targetType: t.targetType ?? null }));
  const excludeTargets = already ? kept : [...kept, { id: accountId, targetType: "user" }];
  return planFor(policy, {
    kind: "campaign-exclude-account",
    request: {
      method: "PATCH",
      version: "v1.0",
      url: "/policies/authenticationMethodsPolicy",
      body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets } } },
    },
    read: { method: "GET", version: "v1.0", url: "/policies/authenticationMethodsPolicy" },
    description: already
      ? "The registration campaign already excludes the account."
      : "Exclude the account from the registration campaign (the sign-in nudge to set up an MFA method); the campaign stays as it is for everyone else.",
    permissions: ["Policy.ReadWrite.AuthenticationMethod"],
    documentation: METHODS_POLICY_DOCS,
  });
}
