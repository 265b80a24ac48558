/** Shapes of the identifiers a person types: checked at the edge, before anything is sent. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A UPN is local@domain; the local part may hold apostrophes, dots, plus signs and the like.
const UPN = /^[^\s@/\\?#]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

function isUpn(value: string): boolean {
  return UPN.test(value);
}

/** The problem with a tenant id, or undefined when it is fine. */
export function tenantIdProblem(value: string): string | undefined {
  return isGuid(value)
    ? undefined
    : `tenant "${value}" is not a tenant id: use the directory (tenant) id GUID, e.g. 00000000-0000-0000-0000-000000000000 (Entra admin center → Overview)`;
}

/** The problem with a connection account reference, or undefined when it is fine. */
export function accountRefProblem(value: string): string | undefined {
  return isGuid(value) || isUpn(value) ? undefined : `account "${value}" is neither a user principal name (name@domain) nor an object id GUID`;
}
