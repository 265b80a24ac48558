/**
 * The account's password does not expire under it (AADSTS50055). Its expiry is the last change
 * plus the validity period of its UPN domain (learn.microsoft.com/graph/api/resources/domain,
 * `passwordValidityPeriodInDays`: unset means 90 days), unless the user's `passwordPolicies`
 * holds `DisablePasswordExpiration` (learn.microsoft.com/graph/api/resources/user). Microsoft's
 * own advice for a service account is a password that never expires
 * (learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy).
 */
import type { CheckResult, DomainPasswordFact, Profile, TenantFacts } from "../../model/index.js";
import { day, daysUntil, DAY_MS, warnDaysOf } from "../deadlines.js";
import { describeFailure, gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { EMERGENCY_ACCESS_CITATION, EMERGENCY_ACCESS_GUIDANCE, ENTRA_LINKS } from "../well-known.js";

/** What Graph stores for "passwords never expire" on a domain (Int32.MaxValue). */
const NEVER = 2_147_483_647;
/** The validity period when the domain does not set one. */
const DEFAULT_VALIDITY_DAYS = 90;

const meta = checkMeta({
  id: "password-expiry",
  title: "The account's password does not expire",
  requirement: "R8",
  requiredState: "`passwordPolicies` has DisablePasswordExpiration, or the password is not within PASSWORD_EXPIRY_WARN_DAYS of expiring",
  shortName: "Password expiry",
  rank: 7,
  severity: "now",
  facts: ["account", "domainPasswordPolicies"],
  description:
    "An expired password stops every sign-in of the account with AADSTS50055 until a person changes it. The expiry is the last password change " +
    "plus the validity period of the account's domain, unless the account's passwordPolicies disable expiry. Under profile emergency-access any " +
    `expiry date fails: "the device or credential must not expire" is a configuration requirement of ${EMERGENCY_ACCESS_CITATION}.`,
  remediation: [
    "1. Set the account's password never to expire (Microsoft Graph PowerShell): " +
      "Update-MgUser -UserId <account> -PasswordPolicies DisablePasswordExpiration (needs User Administrator or higher).",
    "2. If it has already expired, sign in once interactively as the account (or reset it as an administrator) and give the service the new password.",
    "3. Or, for the whole domain: Microsoft 365 admin center → Settings → Org settings → Security & privacy → Password expiration policy → " +
      "Set passwords to never expire.",
  ].join("\n"),
  links: [
    {
      label: "Microsoft 365 admin center → Password expiration policy",
      url: "https://admin.microsoft.com/#/Settings/SecurityPrivacy/:/Settings/L1/PasswordPolicy",
    },
  ],
  references: [
    "https://learn.microsoft.com/graph/api/resources/domain",
    "https://learn.microsoft.com/microsoft-365/admin/manage/set-password-to-never-expire",
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
    EMERGENCY_ACCESS_GUIDANCE,
  ],
});

function domainOf(upn: string, domains: readonly DomainPasswordFact[]): DomainPasswordFact | undefined {
  const suffix = upn.slice(upn.lastIndexOf("@") + 1).toLowerCase();
  return domains.find((d) => d.id.toLowerCase() === suffix);
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const account = g.account;
  const policies = account.passwordPolicies ?? "";
  const evidence = [`passwordPolicies ${policies || "(none)"}`];
  if (/\bDisablePasswordExpiration\b/i.test(policies)) {
    return result(meta, "pass", "The account's password never expires", { evidence });
  }
  const domains = facts.domainPasswordPolicies;
  // Domain.Read.All came with this check: a tenant whose consent predates it lacks it until an admin consents again.
  // Like a licence gap, that is a setting to change, not a failed check: skipped, naming the permission, so an upgrade does
  // not turn every such tenant `unknown` (and, three runs on, "monitoring degraded"). The doctor lists the permission too.
  if (!domains.ok && domains.code === "forbidden") {
    const permission = domains.permission ?? "Domain.Read.All";
    return result(meta, "skipped", `Skipped: grant the application ${permission} to read the domain's password lifetime`, {
      reason:
        `${describeFailure(domains)}. Until then the password's expiry is not checked, unless the account's passwordPolicies ` +
        "disable expiry (then it passes without the domain).",
      evidence,
    });
  }
  const problem = unreadable(meta, domains, "the tenant's domains");
  if (problem || !facts.domainPasswordPolicies.ok) return problem ?? result(meta, "unknown", "Could not read the tenant's domains");
  const domain = domainOf(account.userPrincipalName, facts.domainPasswordPolicies.value);
  if (!domain) {
    return result(meta, "unknown", "The account's domain is not among the tenant's domains", {
      reason: `No domain of the tenant matches the suffix of ${account.userPrincipalName}.`,
      evidence,
    });
  }
  const validity = domain.passwordValidityPeriodInDays ?? DEFAULT_VALIDITY_DAYS;
  evidence.push(`domain ${domain.id}: passwordValidityPeriodInDays ${domain.passwordValidityPeriodInDays ?? `not set (${DEFAULT_VALIDITY_DAYS})`}`);
  if (validity >= NEVER) return result(meta, "pass", `Passwords of ${domain.id} never expire`, { evidence });

  const changed = Date.parse(account.lastPasswordChangeDateTime ?? "");
  if (Number.isNaN(changed)) {
    return result(meta, "unknown", "Graph did not say when the account's password was last changed", {
      reason: "The user object came back without lastPasswordChangeDateTime.",
      evidence,
    });
  }
  evidence.push(`lastPasswordChangeDateTime ${account.lastPasswordChangeDateTime ?? ""}`);
  const expires = changed + validity * DAY_MS;
  const now = Date.parse(facts.collectedAt);
  const left = daysUntil(expires, now);
  const link = `\nThe account: ${ENTRA_LINKS.user(account.id)}`;
  if (profile.passwordExpiry === "never") {
    const when = expires <= now ? `expired on ${day(expires)}` : `expires on ${day(expires)}`;
    return result(meta, "fail", `The account's password ${when}: it must never expire`, {
      reason:
        `Last changed ${day(changed)}; ${domain.id} passwords are valid for ${plural(validity, "day", "days")}. Microsoft's emergency access guidance ` +
        "requires that the credential must not expire: an account used only in an emergency would find it expired then.",
      remediation: `${meta.remediation}${link}`,
      evidence,
    });
  }
  if (expires <= now) {
    return result(meta, "fail", `The account's password expired on ${day(expires)}`, {
      reason: `Last changed ${day(changed)}; ${domain.id} passwords are valid for ${plural(validity, "day", "days")}. Sign-ins fail with AADSTS50055.`,
      remediation: `${meta.remediation}${link}`,
      evidence,
    });
  }
  const warnDays = warnDaysOf(facts).passwordExpiry;
  if (left <= warnDays) {
    return result(meta, "warn", `The account's password expires on ${day(expires)}, in ${plural(left, "day", "days")}`, {
      reason: `Within PASSWORD_EXPIRY_WARN_DAYS (${warnDays}). From then on sign-ins fail with AADSTS50055.`,
      remediation: `${meta.remediation}${link}`,
      evidence,
    });
  }
  return result(meta, "pass", `The account's password expires on ${day(expires)}`, { evidence });
}

export const passwordExpiryCheck = defineCheck(meta, run);
