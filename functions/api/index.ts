export { handleApiRequest, type ApiDeps, type CheckNowResult } from "./handle.js";
export { JSON_HEADERS, MAX_BODY_BYTES, type ApiRequest, type ApiResponse, type Issue } from "./http.js";
export { matchRoute, ROUTE_METHODS, type Route } from "./routes.js";
export { parseTenantBody, tenantBodySchema, type BodyResult } from "./tenant-body.js";
export {
  tenantSummary,
  tenantDetail,
  openFindings,
  deadLetterView,
  API_STATUSES,
  type ApiStatus,
  type TenantSummaryView,
  type TenantDetailView,
  type DeadLetterView,
  type DeadLetterSource,
  type UnreadableRowView,
} from "../../lib/status/views.js";
