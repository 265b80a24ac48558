/** The end of `tenants discover`, pure: counts, then every tenant a person must look at, and why. */
import type { DiscoveredTenant } from "./csv-rows.js";
import { consentNote } from "./csv-rows.js";

export function discoverySummary(tenants: readonly DiscoveredTenant[], file: string): string {
  const decide = tenants.filter((t) => t.decide !== undefined);
  const noConsent = tenants.filter((t) => !t.roles.canConsent);
  const lines = [
    `discovered ${tenants.length} customer(s): wrote ${file}`,
    `  ${tenants.length - decide.length} with a connection account, ${decide.length} for a person to decide ` +
      "(tenants import skips them until account is filled in)",
    `  ${tenants.length - noConsent.length} whose relationship can consent, ${noConsent.length} cannot`,
  ];
  if (decide.length > 0) {
    lines.push(`to decide (${decide.length}):`);
    for (const t of decide) lines.push(`  ${t.displayName} (${t.tenantId}): ${t.decide!}`);
  }
  if (noConsent.length > 0) {
    lines.push(`cannot consent (${noConsent.length}):`);
    for (const t of noConsent) lines.push(`  ${t.displayName} (${t.tenantId}): has ${t.roles.roles.join(", ") || "no active role"}; ${consentNote(t.roles)}`);
  }
  return lines.join("\n") + "\n";
}
