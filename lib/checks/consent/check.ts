/**
 * The app holds, in the tenant, every Microsoft Graph permission the checks need. A tenant that
 * consented before a version added a permission (Domain.Read.All, IdentityRiskyUser.Read.All)
 * lacks it until an admin consents again; the checks that need it say `skipped`, naming it, and
 * this check names every missing one in one finding with the way to grant them. A `warn`, not a
 * `fail`: the connection account is not broken, and an upgrade that adds a permission would
 * otherwise mail every tenant at once.
 */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { describeFailure, disabledByProfile, plural, result } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { MISSING, REQUIRED, consentGap } from "./gap.js";

const meta = checkMeta({
  id: "consent",
  title: "The app holds every Microsoft Graph permission the checks need",
  requirement: "R15",
  requiredState: "every permission in the table below granted (admin consent); read once a day from the app's own app role assignments",
  shortName: "Consent",
  rank: 15,
  // A permission never granted blinds the checks that need it; the automation itself still signs in.
  severity: "soon",
  facts: ["appPermissions"],
  description:
    "Each check reads Microsoft Graph with an application permission an administrator of the tenant consented to. When a version of Drift " +
    "Monitor needs a permission the tenant never granted, the checks that need it cannot run; this check names what to grant.",
  remediation: [
    "Grant the missing permissions with admin consent, either:",
    "1. `drift-monitor tenants consent --tenant <tenant id>` (through the partner's delegated admin access), or",
    "2. `drift-monitor consent-url --tenant <tenant id>`: send the link to a Global Administrator of the tenant, who accepts it.",
  ].join("\n"),
  links: [
    {
      label: "Entra admin center → Enterprise applications",
      url: "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview",
    },
  ],
  references: [
    "https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments",
    "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent",
  ],
});

/** How the finding says to grant them in this tenant. */
function fix(tenantId: string): string {
  return `\`drift-monitor tenants consent --tenant ${tenantId}\`, or the admin consent link from \`drift-monitor consent-url --tenant ${tenantId}\``;
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const off = disabledByProfile(meta, profile);
  if (off) return off;
  const gap = consentGap(facts);
  if (!gap) return result(meta, "skipped", "Skipped: the app's client id is not configured, so its grants are not compared");
  const grants = facts.appPermissions;
  if (gap.missing.length > 0) {
    const list = gap.missing.join(", ");
    return result(meta, "warn", `Grant ${list}: ${fix(facts.tenantId)}`, {
      reason:
        `The app lacks ${plural(gap.missing.length, "permission", "permissions")} the checks need in this tenant: ${list}. ` +
        "The checks that read with them are skipped until an administrator grants them." +
        (gap.complete ? "" : " The app's grants cannot be read without it, so other missing ones show in the checks that need them."),
      remediation: `${meta.remediation.replaceAll("<tenant id>", facts.tenantId)}`,
      evidence: [...gap.missing.map((p) => `${MISSING}${p}`), `${REQUIRED}${[...(facts.requiredPermissions ?? [])].sort().join(", ")}`],
    });
  }
  if (!grants.ok) return result(meta, "unknown", "Could not read the permissions granted to the app", { reason: describeFailure(grants) });
  const required = `${REQUIRED}${[...(facts.requiredPermissions ?? [])].sort().join(", ")}`;
  return result(meta, "pass", "Every permission the checks need is granted", { evidence: [...grants.value.granted.map((p) => `granted ${p}`), required] });
}

export const consentCheck = defineCheck(meta, run);
