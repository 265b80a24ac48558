/** Conditional Access policies, Security Defaults and the authentication methods policy. */
import { servedPolicy } from "./policy-times.js";
import type { Handler } from "./context.js";
import { contextUrl, pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";
import { notFound, ok } from "../errors.js";

/** Small enough that tenants with many policies page, as real tenants do at a few hundred. */
const CA_DEFAULT_PAGE_SIZE = 25;

export const listCaPolicies: Handler = (ctx) => {
  const select = parseSelect(ctx.query);
  const items = ctx.tenant.conditionalAccessPolicies.map((p) => applySelect(servedPolicy(p, ctx.now), select));
  return pageOf(ctx, items, CA_DEFAULT_PAGE_SIZE, 999, "identity/conditionalAccess/policies");
};

export const getCaPolicy: Handler = (ctx, [id]) => {
  const policy = ctx.tenant.conditionalAccessPolicies.find((p) => p.id.toLowerCase() === id!.toLowerCase());
  if (!policy) return notFound(`Could not find policy with id '${id}'.`);
  return ok({
    "@odata.context": contextUrl(ctx, "identity/conditionalAccess/policies/$entity"),
    ...applySelect(servedPolicy(policy, ctx.now), parseSelect(ctx.query)),
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
    ...applySelect(ctx.tenant.authenticationMethodsPolicy, parseSelect(ctx.query)),
  });
