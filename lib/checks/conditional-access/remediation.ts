/**
 * The fix for a Conditional Access policy that blocks the account: exclude the account by adding
 * its object id to the policy's `conditions.users.excludeUsers`. An exclusion beats every include
 * (users, groups, roles), so this one change takes the account out of the policy whatever brought
 * it in, and leaves the policy as it is for everyone else.
 *
 * `PATCH /identity/conditionalAccess/policies/{id}` (learn.microsoft.com/graph/api/conditionalaccesspolicy-update):
 * the body carries only what changes ("Existing properties that aren't included in the request body
 * maintain their previous values"), and a collection is written whole, so the body is the full new
 * `excludeUsers`. Graph documents no ETag on the policy: the executor re-reads and compares before it writes.
 * Least privileged application permissions: Policy.Read.All and Policy.ReadWrite.ConditionalAccess.
 * A Microsoft-managed policy takes the same request: administrators may change its state and exclusions
 * (learn.microsoft.com/entra/identity/conditional-access/managed-policies).
 */
import type { CaPolicy } from "../../model/index.js";
import { isMicrosoftManagedName } from "../managed-policies/names.js";
import { planFor, type Remediation, type ManualRemediation } from "../../remediation/plan.js";

const CA_UPDATE_DOCS = "https://learn.microsoft.com/graph/api/conditionalaccesspolicy-update?view=graph-rest-1.0";
const CA_UPDATE_PERMISSIONS = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"] as const;

interface CaExclusionInput {
  /** The policy as `GET /v1.0/identity/conditionalAccess/policies/{id}` answered it. */
  readonly policy: CaPolicy;
  readonly accountId: string;
}

export function planPolicyExclusion({ policy, accountId }: CaExclusionInput): Remediation {
  const users = policy.conditions?.users;
  if (!users) {
    return { manual: `The users "${policy.displayName}" applies to could not be read, so the exclusion cannot be previewed; add the account in the portal.` };
  }
  const excluded = users.excludeUsers ?? [];
  const already = excluded.some((id) => id.toLowerCase() === accountId.toLowerCase());
  const excludeUsers = already ? [...excluded] : [...excluded, accountId];
  const managed = isMicrosoftManagedName(policy.displayName) ? " (Microsoft-managed: exclusions are one of the changes it allows)" : "";
  return planFor(policy, {
    kind: "ca-exclude-account",
    request: {
      method: "PATCH",
      version: "v1.0",
      url: `/identity/conditionalAccess/policies/${encodeURIComponent(policy.id)}`,
      body: { conditions: { users: { excludeUsers } } },
    },
    read: { method: "GET", version: "v1.0", url: `/identity/conditionalAccess/policies/${encodeURIComponent(policy.id)}` },
    description: already
      ? `"${policy.displayName}" already excludes the account${managed}.`
      : `Exclude the account from "${policy.displayName}"${managed}: add it to the policy's excluded users; nothing else in the policy changes.`,
    permissions: CA_UPDATE_PERMISSIONS,
    documentation: CA_UPDATE_DOCS,
  });
}

/**
 * Deleting (or switching off) a policy is never offered: it removes the protection from every user
 * the policy covers, not only from the account, and the exclusion above fixes the account alone.
 */
export function policyDeletionRemediation(policy: Pick<CaPolicy, "displayName">): ManualRemediation {
  return {
    manual:
      `Deleting or turning off "${policy.displayName}" would drop its protection for every user it covers, not only the account: ` +
      "that is a decision for a person in the Entra admin center. Excluding the account fixes the account alone.",
  };
}
