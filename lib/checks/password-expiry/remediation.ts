/**
 * The fix for a password that will expire: add `DisablePasswordExpiration` to the account's
 * `passwordPolicies`, keeping what is there (`DisableStrongPassword`).
 * `PATCH /users/{id}` `{ "passwordPolicies": "DisablePasswordExpiration, …" }`, 204
 * (learn.microsoft.com/graph/api/user-update). Least privileged application permission: User.ReadWrite.All.
 * No ETag: the executor re-reads `GET /users/{id}?$select=passwordPolicies` and compares first.
 *
 * A password that has already expired stays manual: the flag stops the next expiry, not this one;
 * someone must set a new password and give it to the service.
 */
import type { AccountFact } from "../../model/index.js";
import { planFor, type Remediation } from "../../remediation/plan.js";

const USER_UPDATE_DOCS = "https://learn.microsoft.com/graph/api/user-update?view=graph-rest-1.0";
const FLAG = "DisablePasswordExpiration";

interface PasswordExpiryInput {
  /** The account as `GET /v1.0/users/{id}?$select=id,passwordPolicies` answered it. */
  readonly account: Pick<AccountFact, "id" | "passwordPolicies">;
  /** The password has expired already (the check's finding says so). */
  readonly expired?: boolean;
}

/** `passwordPolicies` with the flag added; the other values kept, "None" dropped. */
export function withNeverExpires(passwordPolicies: string | null | undefined): string {
  const values = (passwordPolicies ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "" && v.toLowerCase() !== "none" && v.toLowerCase() !== FLAG.toLowerCase());
  return [FLAG, ...values].join(", ");
}

export function planPasswordNeverExpires({ account, expired }: PasswordExpiryInput): Remediation {
  if (expired) {
    return {
      manual:
        "The password has already expired: a person must set a new one (and give it to the service) first; " +
        "DisablePasswordExpiration then keeps it from expiring again.",
    };
  }
  const current = account.passwordPolicies ?? null;
  const already = (current ?? "").split(",").some((v) => v.trim().toLowerCase() === FLAG.toLowerCase());
  const url = `/users/${encodeURIComponent(account.id)}`;
  return planFor(account, {
    kind: "password-never-expires",
    request: { method: "PATCH", version: "v1.0", url, body: { passwordPolicies: already ? current! : withNeverExpires(current) } },
    read: { method: "GET", version: "v1.0", url: `${url}?$select=id,passwordPolicies` },
    description: already
      ? "The account's password is already set never to expire."
      : `Set the account's password never to expire (passwordPolicies ${current === null ? "unset" : `"${current}"`} → "${withNeverExpires(current)}").`,
    permissions: ["User.ReadWrite.All"],
    documentation: USER_UPDATE_DOCS,
  });
}
