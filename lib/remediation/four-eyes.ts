/** Whether a tenant's fixes need a second person's approval: its own setting, else the estate's (REMEDIATION_REQUIRE_APPROVAL). Pure. */
import type { RegisteredTenant } from "../model/tenant.js";

export function fourEyesFor(tenant: Pick<RegisteredTenant, "fixApproval"> | undefined, estateDefault: boolean): boolean {
  return tenant?.fixApproval === undefined ? estateDefault : tenant.fixApproval === "required";
}
