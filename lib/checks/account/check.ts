/** R1: the connection account exists, is enabled and is cloud-only. */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { disabledByProfile, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { ENTRA_LINKS } from "../well-known.js";

const meta = checkMeta({
  id: "account",
  title: "Connection account exists, is enabled and cloud-only",
  requirement: "R1",
  requiredState: "exists, enabled, cloud-only (not synced from on-premises)",
  shortName: "Connection account",
  rank: 0,
  severity: "now",
  facts: ["account"],
  description:
    "The service signs in as this account. A deleted or disabled account cannot sign in; an account synced from on-premises Active Directory " +
    "(onPremisesSyncEnabled) is governed by the on-premises directory and its password and state can change under the service.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Users → All users: find the connection account.",
    "2. If it is missing, create a cloud-only user (or restore it from Deleted users) and register the new account with Drift Monitor.",
    "3. If it is disabled, open it → Edit properties → Settings → check Account enabled → Save.",
    "4. If it is synced from on-premises, use a cloud-only account (created in Entra, not in Active Directory) instead.",
  ].join("\n"),
  links: [],
  references: ["https://learn.microsoft.com/graph/api/resources/user", "https://learn.microsoft.com/entra/fundamentals/how-to-create-delete-users"],
});

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const off = disabledByProfile(meta, profile);
  if (off) return off;
  const problem = unreadable(meta, facts.account, "the account");
  if (problem || !facts.account.ok) return problem ?? result(meta, "unknown", "Could not read the account");

  const account = facts.account.value;
  if (account === null) {
    return result(meta, "fail", "The account does not exist", {
      reason: `Graph answered 404 for ${facts.accountRef}: the account was deleted or renamed.`,
    });
  }
  const evidence = [
    `userPrincipalName ${account.userPrincipalName}`,
    `accountEnabled ${String(account.accountEnabled)}`,
    `onPremisesSyncEnabled ${String(account.onPremisesSyncEnabled)}`,
  ];
  const link = `\nThe account: ${ENTRA_LINKS.user(account.id)}`;
  if (account.accountEnabled === false) {
    return result(meta, "fail", "The account is disabled", {
      reason: "accountEnabled is false: the account cannot sign in.",
      remediation: `Entra admin center → Identity → Users → ${account.userPrincipalName} → Edit properties → Settings → check Account enabled → Save.${link}`,
      evidence,
    });
  }
  if (account.onPremisesSyncEnabled === true) {
    return result(meta, "fail", "The account is synced from on-premises", {
      reason: "onPremisesSyncEnabled is true: the account is managed by on-premises Active Directory, not cloud-only.",
      remediation: `Use a cloud-only account created in Entra ID (not synced by Entra Connect) as the connection account.${link}`,
      evidence,
    });
  }
  if (account.accountEnabled === null) {
    return result(meta, "unknown", "Graph did not say whether the account is enabled", {
      reason: "The user object came back without accountEnabled.",
      evidence,
    });
  }
  return result(meta, "pass", "The account exists, is enabled and cloud-only", { evidence });
}

export const accountCheck = defineCheck(meta, run);
