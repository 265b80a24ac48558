/**
 * GET /domains: the tenant's domains with their password lifetime (`passwordValidityPeriodInDays`;
 * 2147483647 = passwords never expire). A tenant file may list them (`domains`); otherwise every
 * UPN suffix of its users is a domain whose passwords never expire, the first one the default.
 */
import type { JsonObject, TenantData } from "../types.js";
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";

const NEVER = 2_147_483_647;

function domainsOf(tenant: TenantData): JsonObject[] {
  if (tenant.domains) return tenant.domains;
  const suffixes = [...new Set(tenant.users.map((u) => u.userPrincipalName.slice(u.userPrincipalName.lastIndexOf("@") + 1).toLowerCase()))];
  return suffixes.map((id, i) => ({
    id,
    authenticationType: "Managed",
    isDefault: i === 0,
    isInitial: id.endsWith(".onmicrosoft.com"),
    isRoot: true,
    isVerified: true,
    passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: NEVER,
    supportedServices: ["Email", "OfficeCommunicationsOnline"],
  }));
}

export const listDomains: Handler = (ctx) => {
  const select = parseSelect(ctx.query);
  return pageOf(
    ctx,
    domainsOf(ctx.tenant).map((d) => applySelect(d, select)),
    100,
    999,
    "domains",
  );
};
