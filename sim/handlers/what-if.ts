/**
 * `POST /identity/conditionalAccess/evaluate` (What If), with the simulator's own small evaluator
 * (it imports nothing from lib/). Like Microsoft's: every enabled or report-only policy is
 * answered with `policyApplies` and, when it does not apply, the first unmet condition in
 * `analysisReasons`; a condition whose sign-in detail the request left out counts as not met; app
 * groups such as `Office365` are not expanded; service dependencies are not evaluated. A tenant's
 * `whatIfDisagree` lists policies whose answer the sim inverts, so tests can make it disagree.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";
import type { JsonObject, JsonValue, TenantData } from "../types.js";
import type { GraphContext, Handler } from "./context.js";
import { contextUrl } from "./context.js";
import { badRequest, ok } from "../errors.js";
import { activeRoles, transitiveGroups } from "./users.js";
import { servedPolicy } from "./policy-times.js";
import { CA_POLICY_BETA_ONLY, servedOn } from "./versions.js";

interface Request {
  userId: string;
  apps: string[];
  clientAppType: string;
  platform?: string;
  ip?: string;
  country?: string;
}

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
}

function strs(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase()) : [];
}

function readRequest(body: JsonValue | undefined): Request | string {
  const b = obj(body);
  const identity = obj(b?.signInIdentity);
  const context = obj(b?.signInContext);
  const conditions = obj(b?.signInConditions) ?? {};
  if (!identity || typeof identity.userId !== "string") return "signInIdentity with a userId is required.";
  if (!context || context["@odata.type"] !== "#microsoft.graph.applicationContext") return "signInContext must be an applicationContext.";
  const str = (k: string): string | undefined => (typeof conditions[k] === "string" ? (conditions[k] as string) : undefined);
  return {
    userId: identity.userId.toLowerCase(),
    apps: strs(context.includeApplications),
    clientAppType: (str("clientAppType") ?? "all").toLowerCase(),
    ...(str("devicePlatform") ? { platform: str("devicePlatform")!.toLowerCase() } : {}),
    ...(str("ipAddress") ? { ip: str("ipAddress")! } : {}),
    ...(str("country") ? { country: str("country")!.toUpperCase() } : {}),
  };
}

function inNamedLocation(tenant: TenantData, id: string, r: Request): boolean {
  if (id === "all") return r.ip !== undefined || r.country !== undefined;
  const trusted = id === "alltrusted";
  return (tenant.namedLocations ?? []).some((l) => {
    if (trusted ? l.isTrusted !== true : String(l.id).toLowerCase() !== id) return false;
    if (Array.isArray(l.ipRanges) && r.ip) {
      const list = new BlockList();
      for (const range of l.ipRanges) {
        const [net, bits] = String(obj(range)?.cidrAddress ?? "").split("/");
        if (net && (isIPv4(net) || isIPv6(net))) list.addSubnet(net, Number(bits ?? (isIPv4(net) ? 32 : 128)), isIPv4(net) ? "ipv4" : "ipv6");
      }
      return list.check(r.ip, isIPv4(r.ip) ? "ipv4" : "ipv6");
    }
    return Array.isArray(l.countriesAndRegions) && r.country !== undefined && strs(l.countriesAndRegions).includes(r.country.toLowerCase());
  });
}

/** The first condition the request does not meet, or null when the policy applies. */
function unmet(tenant: TenantData, p: JsonObject, r: Request): string | null {
  const c = obj(p.conditions) ?? {};
  const users = obj(c.users);
  if (!users) return "users";
  const groups = transitiveGroups(tenant, r.userId);
  const groupIds = groups.map((g) => g.id.toLowerCase());
  const roleIds = activeRoles(tenant, r.userId, groups).map((role) => role.roleTemplateId.toLowerCase());
  const takes = (u: string, g: string, ro: string): boolean =>
    strs(users[u]).includes("all") ||
    strs(users[u]).includes(r.userId) ||
    strs(users[g]).some((x) => groupIds.includes(x)) ||
    strs(users[ro]).some((x) => roleIds.includes(x));
  if (!takes("includeUsers", "includeGroups", "includeRoles") || takes("excludeUsers", "excludeGroups", "excludeRoles")) return "users";
  const apps = obj(c.applications) ?? {};
  // App groups are not expanded: `Office365` never matches an app id.
  const names = (list: string[]) => r.apps.some((a) => list.includes("all") || list.includes(a));
  if (!names(strs(apps.includeApplications)) || names(strs(apps.excludeApplications))) return "application";
  const clients = strs(c.clientAppTypes);
  if (clients.length > 0 && !clients.includes("all") && !clients.includes(r.clientAppType)) return "clientApps";
  const platforms = obj(c.platforms);
  if (platforms && (strs(platforms.includePlatforms).length > 0 || strs(platforms.excludePlatforms).length > 0)) {
    if (!r.platform) return "devicePlatform";
    const inc = strs(platforms.includePlatforms);
    if (!(inc.includes("all") || inc.includes(r.platform)) || strs(platforms.excludePlatforms).includes(r.platform)) return "devicePlatform";
  }
  const locations = obj(c.locations);
  if (locations && (strs(locations.includeLocations).length > 0 || strs(locations.excludeLocations).length > 0)) {
    if (!r.ip && !r.country) return "location";
    const inc = strs(locations.includeLocations);
    if (!inc.some((id) => inNamedLocation(tenant, id, r)) || strs(locations.excludeLocations).some((id) => inNamedLocation(tenant, id, r))) return "location";
  }
  // Risk is not in the request: a policy limited to risky sign-ins does not apply.
  const risky = (k: string) => strs(c[k]).length > 0 && !strs(c[k]).includes("none");
  if (risky("signInRiskLevels")) return "signInRisk";
  if (risky("userRiskLevels")) return "userRisk";
  if (obj(obj(c.devices)?.deviceFilter)) return "devices";
  return null;
}

export const evaluateWhatIf: Handler = (ctx: GraphContext) => {
  const r = readRequest(ctx.body);
  if (typeof r === "string") return badRequest(r);
  const flip = new Set((ctx.tenant.whatIfDisagree ?? []).map((id) => id.toLowerCase()));
  const value = ctx.tenant.conditionalAccessPolicies
    .filter((p) => p.state !== "disabled")
    .map((p) => {
      const reason = unmet(ctx.tenant, p, r);
      const applies = (reason === null) !== flip.has(p.id.toLowerCase());
      // A whatIfAnalysisResult: the policy as the version serves it (dates made absolute), typed as the result.
      return {
        ...servedOn(ctx.version, servedPolicy(p, ctx.now), CA_POLICY_BETA_ONLY),
        "@odata.type": "#microsoft.graph.whatIfAnalysisResult",
        policyApplies: applies,
        analysisReasons: applies ? "notSet" : (reason ?? "notEnoughInformation"),
      };
    });
  return ok({ "@odata.context": contextUrl(ctx, "Collection(microsoft.graph.whatIfAnalysisResult)"), value });
};
