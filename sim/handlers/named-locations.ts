/** `GET /identity/conditionalAccess/namedLocations`: the tenant's named locations, paged like Graph (100 a page unless `$top`). */
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";

export const listNamedLocations: Handler = (ctx) => pageOf(ctx, ctx.tenant.namedLocations ?? [], 100, 999, "identity/conditionalAccess/namedLocations");
