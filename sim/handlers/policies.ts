/** Conditional Access policies, Security Defaults and the authentication methods policy. */
import { servedPolicy } from "./policy-times.js";
import type { Handler } from "./context.js";
import { contextUrl, pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";
import { notFound, ok } from "../errors.js";
import { AUTH_METHODS_POLICY_BETA_ONLY, CA_POLICY_BETA_ONLY, servedOn } from "./versions.js";

/** Small enough that tenants with many policies page, as real tenants do at a few hundred. */
const CA_DEFAULT_PAGE_SIZE = 25;

export const listCaPolicies: Handler = (ctx) => {
  const select = parseSelect(ctx.query);
  const items = ctx.tenant.conditionalAccessPolicies.map((p) => applySelect(servedOn(ctx.version, servedPolicy(p, ctx.now), CA_POLICY_BETA_ONLY), select));
  return pageOf(ctx, items, CA_DEFAULT_PAGE_SIZE, 999, "identity/conditionalAccess/policies");
};

export const getCaPolicy: Handler = (ctx, [id]) => {
  const policy = ctx.tenant.conditionalAccessPolicies.find((p) => p.id.toLowerCase() === id!.toLowerCase());
  if (!policy) return notFound(`Could not find policy with id '${id}'.`);
  return ok({
    "@odata.context": contextUrl(ctx, "identity/conditionalAccess/policies/$entity"),
    ...applySelect(servedOn(ctx.version, servedPolicy(policy, ctx.now), CA_POLICY_BETA_ONLY), parseSelect(ctx.query)),
  });
};

export const getSecurityDefaults: Handler = (ctx) =>
  ok({
    "@odata.context": contextUrl(ctx, "policies/identitySecurityDefaultsEnforcementPolicy/$entity"),
    ...applySelect(ctx.tenant.identitySecurityDefaultsEnforcementPolicy, parseSelect(ctx.query)),
  });

export const getAuthMethodsPolicy: Handler = (ctx) =>
  ok({
    "@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/$entity"),
    ...applySelect(servedOn(ctx.version, ctx.tenant.authenticationMethodsPolicy, AUTH_METHODS_POLICY_BETA_ONLY), parseSelect(ctx.query)),
  });
