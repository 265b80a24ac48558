/**
 * The sample estate: one JSON file per tenant in ./tenants, shaped like Graph's documented
 * responses. `SAMPLE_TENANTS` lists them with the status Drift Monitor should report under the
 * strict profile; `loadSampleEstate()` returns a fresh, mutable copy for one simulator.
 */
import type { Estate } from "../types.js";
import { withEmergencyAccess } from "./emergency-access.js";
import { toTenantData, type Expected, type MonitoredAccountKind, type TenantFile } from "./load.js";
import t01 from "./tenants/01-woodgrove-bank.json" with { type: "json" };
import t02 from "./tenants/02-fabrikam.json" with { type: "json" };
import t03 from "./tenants/03-northwind-traders.json" with { type: "json" };
import t04 from "./tenants/04-tailspin-toys.json" with { type: "json" };
import t05 from "./tenants/05-adatum.json" with { type: "json" };
import t06 from "./tenants/06-litware.json" with { type: "json" };
import t07 from "./tenants/07-proseware.json" with { type: "json" };
import t08 from "./tenants/08-alpine-ski-house.json" with { type: "json" };
import t09 from "./tenants/09-coho-winery.json" with { type: "json" };
import t10 from "./tenants/10-wide-world-importers.json" with { type: "json" };
import t11 from "./tenants/11-fourth-coffee.json" with { type: "json" };
import t12 from "./tenants/12-trey-research.json" with { type: "json" };
import t13 from "./tenants/13-contoso.json" with { type: "json" };
import t14 from "./tenants/14-relecloud.json" with { type: "json" };
import t15 from "./tenants/15-lucerne-publishing.json" with { type: "json" };
import t16 from "./tenants/16-bellows-college.json" with { type: "json" };
import t17 from "./tenants/17-graphic-design-institute.json" with { type: "json" };
// One tenant per way the account's next sign-in can fail (password, forced change, user risk, …).
import t18 from "./tenants/18-margies-travel.json" with { type: "json" };
import t19 from "./tenants/19-tasmanian-traders.json" with { type: "json" };
import t20 from "./tenants/20-humongous-insurance.json" with { type: "json" };
import t21 from "./tenants/21-southridge-video.json" with { type: "json" };
import t22 from "./tenants/22-first-up-consultants.json" with { type: "json" };
import t23 from "./tenants/23-wingtip-toys.json" with { type: "json" };

export type { Expected } from "./load.js";

const FILES = [t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16, t17, t18, t19, t20, t21, t22, t23] as unknown as TenantFile[];

/** One account the registry monitors in a sample tenant: its reference as registered, its kind, its object id in the sim. */
export interface SampleAccount {
  readonly ref: string;
  readonly kind: MonitoredAccountKind;
  /** Null when the tenant has no such user (the account-missing scenario). */
  readonly objectId: string | null;
}

export interface SampleTenant {
  tenantId: string;
  displayName: string;
  /** The connection account registered for the tenant (UPN). */
  account: string;
  scenario: string;
  expected: Expected;
  /**
   * Every account to register for the tenant, `account` first (a connection account): what the
   * registry holds once a tenant has several monitored accounts. Most sample tenants have one.
   */
  monitoredAccounts: readonly SampleAccount[];
}

function monitoredAccountsOf(f: TenantFile): SampleAccount[] {
  const users = withEmergencyAccess(f, f.emergencyAccessAccounts ?? []).users;
  const idOf = (ref: string) => users.find((u) => u.userPrincipalName.toLowerCase() === ref.toLowerCase() || u.id === ref.toLowerCase())?.id ?? null;
  return [{ ref: f.account, kind: "connection" as const }, ...(f.monitoredAccounts ?? [])].map((a) => ({ ...a, objectId: idOf(a.ref) }));
}

export const SAMPLE_TENANTS: readonly SampleTenant[] = FILES.map((f) => ({
  tenantId: f.tenantId,
  displayName: f.displayName,
  account: f.account,
  scenario: f.scenario,
  expected: f.expected,
  monitoredAccounts: monitoredAccountsOf(f),
}));

/** The sample tenants with more than one monitored account: the accounts the registry must add beyond `account`. */
export const SAMPLE_EXTRA_ACCOUNTS: readonly { readonly tenantId: string; readonly accounts: readonly SampleAccount[] }[] = SAMPLE_TENANTS.filter(
  (t) => t.monitoredAccounts.length > 1,
).map((t) => ({ tenantId: t.tenantId, accounts: t.monitoredAccounts.slice(1) }));

/** Looks a sample tenant up by (part of) its display name, e.g. `sampleTenant("Fabrikam")`. */
export function sampleTenant(name: string): SampleTenant {
  const t = SAMPLE_TENANTS.find((s) => s.displayName.toLowerCase().includes(name.toLowerCase()));
  if (!t) throw new Error(`No sample tenant named like "${name}"`);
  return t;
}

export function loadSampleEstate(): Estate {
  return { tenants: FILES.map(toTenantData) };
}
