/**
 * The Graph requests of consent in one customer tenant, through GDAP, each answer validated:
 * - the app's and Microsoft Graph's service principals, `GET /servicePrincipals?$filter=appId eq '…'`
 *   (https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list?view=graph-rest-1.0);
 * - creating the app's, `POST /servicePrincipals` with `{ appId }`, Application.ReadWrite.All
 *   (https://learn.microsoft.com/en-us/graph/api/serviceprincipal-post-serviceprincipals?view=graph-rest-1.0);
 * - what it holds, `GET /servicePrincipals/{id}/appRoleAssignments`;
 * - one app role per permission, `POST /servicePrincipals/{id}/appRoleAssignments` with
 *   `{ principalId, resourceId, appRoleId }`, AppRoleAssignment.ReadWrite.All and Application.Read.All
 *   (https://learn.microsoft.com/en-us/graph/api/serviceprincipal-post-approleassignments?view=graph-rest-1.0).
 */
import { z } from "zod";
import type { Transport } from "../../lib/graph/transport.js";
import { graphPath, odataString } from "../../lib/graph/odata.js";
import { failure, listAll } from "../tenants-discover/graph-reads.js";

const principalSchema = z.object({ id: z.string(), appId: z.string() });
const assignmentSchema = z.object({ appRoleId: z.string(), resourceId: z.string() });

export async function findPrincipal(t: Transport, appId: string): Promise<string | undefined> {
  const url = graphPath(["servicePrincipals"], { $filter: `appId eq ${odataString(appId)}`, $select: "id,appId" });
  const found = await listAll(t, url, principalSchema, "service principals");
  return found[0]?.id;
}

export async function createPrincipal(t: Transport, appId: string): Promise<string> {
  const answer = await t.post("v1.0", graphPath(["servicePrincipals"]), { appId });
  if (answer.status === 409) {
    // Created meanwhile (a crashed run's request that landed): take the one that exists.
    const id = await findPrincipal(t, appId);
    if (id) return id;
  }
  if (answer.status !== 201) throw failure(answer.status, answer.body, "creating the app's service principal");
  return principalSchema.parse(answer.body).id;
}

/** The app role ids the principal holds on `resourceId`. */
export async function heldAppRoles(t: Transport, principalId: string, resourceId: string): Promise<string[]> {
  const rows = await listAll(t, graphPath(["servicePrincipals", principalId, "appRoleAssignments"], { $top: 999 }), assignmentSchema, "app role assignments");
  return rows.filter((r) => r.resourceId.toLowerCase() === resourceId.toLowerCase()).map((r) => r.appRoleId);
}

type AssignOutcome = "assigned" | "existed" | "not-visible";

/** One app role; an assignment that exists is Graph's conflict, taken as done. */
export async function assignAppRole(t: Transport, principalId: string, resourceId: string, appRoleId: string): Promise<AssignOutcome> {
  const answer = await t.post("v1.0", graphPath(["servicePrincipals", principalId, "appRoleAssignments"]), { principalId, resourceId, appRoleId });
  if (answer.status === 201) return "assigned";
  const text = JSON.stringify(answer.body ?? "");
  if (answer.status === 409 || /already exists/i.test(text)) return "existed";
  // A principal created moments ago may not be visible yet (Entra replicates): the caller waits and tries again.
  if (answer.status === 404 || (answer.status === 400 && /does not exist/i.test(text))) return "not-visible";
  throw failure(answer.status, answer.body, "assigning an app role");
}
