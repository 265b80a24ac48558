/**
 * No password change is forced at the account's next sign-in: with
 * `passwordProfile.forceChangePasswordNextSignIn` true, an unattended sign-in fails (AADSTS50125,
 * or 50055 after an administrator's reset) because nobody is there to choose a new password.
 * Read with User.Read.All on the account's own request (lib/graph/facts/account.ts says why that
 * permission suffices; learn.microsoft.com/graph/api/resources/passwordprofile: "If not set,
 * default is false").
 */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { gate, result } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { ENTRA_LINKS } from "../well-known.js";

const meta = checkMeta({
  id: "password-change-forced",
  title: "No password change is forced at the next sign-in",
  requirement: "R9",
  requiredState: "`passwordProfile.forceChangePasswordNextSignIn` is false",
  shortName: "Forced password change",
  rank: 8,
  severity: "now",
  facts: ["account"],
  description:
    "An administrator's password reset (or a user created with a temporary password) sets forceChangePasswordNextSignIn: the next sign-in must " +
    "choose a new password, which an unattended sign-in cannot do (AADSTS50125 / 50055).",
  remediation: [
    "1. Sign in once interactively as the account (https://myaccount.microsoft.com) and set a new password; the flag clears itself.",
    "2. Or, as an administrator, set the password without forcing a change (Microsoft Graph PowerShell): Update-MgUser -UserId <account> " +
      "-PasswordProfile @{ Password = '<new password>'; ForceChangePasswordNextSignIn = $false } (needs User Administrator or higher).",
    "3. Give the service the new password.",
  ].join("\n"),
  links: [],
  references: ["https://learn.microsoft.com/graph/api/resources/passwordprofile", "https://learn.microsoft.com/graph/api/user-update"],
});

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const forced = g.account.forceChangePasswordNextSignIn;
  const evidence = [`passwordProfile.forceChangePasswordNextSignIn ${String(forced ?? "not returned")}`];
  if (forced === true) {
    return result(meta, "fail", "A password change is forced at the account's next sign-in", {
      reason: "forceChangePasswordNextSignIn is true: the next unattended sign-in fails until someone sets a new password.",
      remediation: `${meta.remediation}\nThe account: ${ENTRA_LINKS.user(g.account.id)}`,
      evidence,
    });
  }
  if (forced === false) return result(meta, "pass", "No password change is forced", { evidence });
  return result(meta, "unknown", "Graph did not return the account's password profile", {
    reason: "The user object came back without passwordProfile, which User.Read.All reads; check the application's permissions.",
    evidence,
  });
}

export const passwordChangeForcedCheck = defineCheck(meta, run);
