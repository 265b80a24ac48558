/** The account's groups and active directory roles, through nesting: `/users/{id}/transitiveMemberOf`. */
import { z } from "zod";
import type { MembershipFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableStr, parseList, str, type Normalised } from "./parse.js";

/** An entry of transitiveMemberOf: a group, a directoryRole, or something we ignore (an AU). */
const directoryObjectSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: str,
  displayName: nullableStr,
  roleTemplateId: nullableStr,
});

const GROUP = "#microsoft.graph.group";
const DIRECTORY_ROLE = "#microsoft.graph.directoryRole";

export function toMembership(values: readonly unknown[]): Normalised<MembershipFact> {
  return map(parseList(directoryObjectSchema, values), (objects) => {
    const groups: MembershipFact["groups"][number][] = [];
    const roles: MembershipFact["roles"][number][] = [];
    for (const o of objects) {
      const type = o["@odata.type"];
      // Graph types every entry of this polymorphic collection; without a type, a roleTemplateId
      // is what only a directoryRole has. Other types (administrative units) are not membership
      // the rules use.
      if (type === DIRECTORY_ROLE || (type === undefined && o.roleTemplateId)) {
        if (o.roleTemplateId) roles.push({ id: o.id, displayName: o.displayName, roleTemplateId: o.roleTemplateId });
      } else if (type === GROUP || type === undefined) {
        groups.push({ id: o.id, displayName: o.displayName });
      }
    }
    return { groups, roles };
  });
}

export const membership: FactDefinition<MembershipFact, "membership"> = {
  fact: "membership",
  version: "v1.0",
  permission: "GroupMember.Read.All",
  paged: true,
  needsObjectId: true,
  reads: "the account's groups and active roles",
  subject: "the account's groups and active roles",
  requests: (ctx) => [
    {
      id: "membership",
      url: graphPath([keySegment("users", ctx.objectId), { raw: "transitiveMemberOf" }], { $select: "id,displayName,roleTemplateId", $top: 999 }),
    },
  ],
  normalise: toMembership,
};
