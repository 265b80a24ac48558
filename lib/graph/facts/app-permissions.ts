/**
 * The permissions the app holds in the tenant: its own service principal's app role assignments,
 * `GET /v1.0/servicePrincipals(appId='{appId}')/appRoleAssignments?$select=appRoleId`
 * (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments: "App roles that are
 * assigned to service principals are also known as application permissions"; least privileged
 * application permission Application.Read.All; the service principal is addressed by its appId as
 * every servicePrincipal page documents). Each `appRoleId` is resolved with Graph's published ids
 * (lib/graph/app-roles.ts) rather than by reading Microsoft Graph's own service principal's
 * `appRoles` in every tenant: the ids are constants, and that read would cost a request and a
 * several-hundred-role answer for nothing. Assignments to other APIs resolve to nothing and are dropped.
 *
 * A tenant that has not granted Application.Read.All answers 403: the consent check then names
 * it, with what the other facts' 403s say is missing. Grants change rarely (an admin consents), so
 * the collector reads this at most once a day per tenant per process (DayCache, lib/graph/domain-cache.ts).
 */
import { z } from "zod";
import type { AppPermissionsFact } from "../../model/facts.js";
import { permissionOfAppRole } from "../app-roles.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parseList, type Normalised } from "./parse.js";

const assignmentSchema = z.looseObject({ appRoleId: z.string() });

function toAppPermissions(values: readonly unknown[]): Normalised<AppPermissionsFact> {
  return map(parseList(assignmentSchema, values), (list) => ({
    granted: [...new Set(list.flatMap((a) => permissionOfAppRole(a.appRoleId) ?? []))].sort(),
  }));
}

export const appPermissions: FactDefinition<AppPermissionsFact, "appPermissions"> = {
  fact: "appPermissions",
  version: "v1.0",
  permission: "Application.Read.All",
  paged: true,
  needsObjectId: false,
  reads: "the app's own granted permissions (its service principal's app role assignments)",
  subject: "the permissions granted to the application",
  requests: (ctx) => [
    {
      id: "appPermissions",
      url: graphPath([{ raw: `servicePrincipals(appId='${encodeURIComponent(ctx.appId ?? "")}')` }, "appRoleAssignments"], { $select: "appRoleId" }),
    },
  ],
  normalise: toAppPermissions,
};
