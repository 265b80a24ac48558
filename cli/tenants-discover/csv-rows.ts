/**
 * The CSV `tenants discover` writes, pure: the registry columns `tenants import` reads
 * (tenantId, displayName, account) and the discovery columns it accepts (cli/tenants-csv.ts):
 * `gdapRoles` and `canConsent` for people, `decide` for a row a person must settle before import.
 */
import { DISCOVERY_COLUMNS } from "../tenants-csv.js";
import { CONSENT_ROLE_NAMES, type RoleAssessment } from "./roles.js";

export interface DiscoveredTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly roles: RoleAssessment;
  /** The proposed connection account, when exactly one user fits. */
  readonly account?: string;
  /** What a person must decide (no candidate, several, the directory unreadable); absent when settled. */
  readonly decide?: string;
}

const HEADER = ["tenantId", "displayName", "account", ...DISCOVERY_COLUMNS] as const;

/** RFC 4180: a field with a comma, quote, line break or outer spaces is quoted, quotes doubled. */
function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function consentNote(roles: RoleAssessment): string {
  return roles.canConsent ? "yes" : `no: needs ${CONSENT_ROLE_NAMES.join(", ").replace(/, ([^,]+)$/, " or $1")}`;
}

function discoveryRow(t: DiscoveredTenant): readonly string[] {
  return [t.tenantId, t.displayName, t.account ?? "", t.roles.roles.join(";"), consentNote(t.roles), t.decide ?? ""];
}

export function toDiscoveryCsv(tenants: readonly DiscoveredTenant[]): string {
  return [HEADER, ...tenants.map(discoveryRow)].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
