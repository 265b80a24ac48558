/**
 * GET /identityProtection/riskyUsers/{id} (Entra ID P2, gated by the route). A user Identity
 * Protection never flagged has no riskyUser: 404, as Graph answers for an id it does not hold.
 */
import type { Handler } from "./context.js";
import { contextUrl } from "./context.js";
import { notFound, ok } from "../errors.js";

export const getRiskyUser: Handler = (ctx, [id]) => {
  const key = id!.toLowerCase();
  const record = Object.entries(ctx.tenant.riskyUsers ?? {}).find(([userId]) => userId.toLowerCase() === key)?.[1];
  if (!record) return notFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  return ok({ "@odata.context": contextUrl(ctx, "identityProtection/riskyUsers/$entity"), id: key, ...record });
};
