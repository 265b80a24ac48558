/**
 * The fix for legacy per-user MFA on the account: set its state to `disabled`.
 * `PATCH /beta/users/{id}/authentication/requirements` `{ "perUserMfaState": "disabled" }`, 204
 * (learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta; beta only). Least privileged
 * application permission for another user: Policy.ReadWrite.AuthenticationMethod ("Permissions acting on others").
 * No ETag: the executor re-reads `GET /beta/users/{id}/authentication/requirements` and compares first.
 */
import type { PerUserMfaFact } from "../../model/index.js";
import { planFor, type Remediation } from "../../remediation/plan.js";

const PER_USER_MFA_DOCS = "https://learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta";

interface PerUserMfaInput {
  /** The requirements as `GET /beta/users/{id}/authentication/requirements` answered them. */
  readonly requirements: PerUserMfaFact;
  readonly accountId: string;
}

export function planPerUserMfaDisable({ requirements, accountId }: PerUserMfaInput): Remediation {
  const url = `/users/${encodeURIComponent(accountId)}/authentication/requirements`;
  const state = requirements.perUserMfaState;
  return planFor(requirements, {
    kind: "per-user-mfa-disable",
    request: { method: "PATCH", version: "beta", url, body: { perUserMfaState: "disabled" } },
    read: { method: "GET", version: "beta", url },
    description:
      state === "disabled"
        ? "Per-user MFA is already disabled for the account."
        : `Set the account's legacy per-user MFA from ${state} to disabled; Conditional Access and the tenant's other users are unaffected.`,
    permissions: ["Policy.ReadWrite.AuthenticationMethod"],
    documentation: PER_USER_MFA_DOCS,
  });
}
