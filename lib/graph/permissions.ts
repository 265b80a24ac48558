/**
 * The permissions the app needs, from the two registries and nowhere else: the facts every
 * registered check reads (lib/checks/registry.ts), each mapped to the permission its request needs
 * (lib/graph/facts). The doctor, the consent check, `docs/deploy.md` and README read this list;
 * a new check or fact changes it without touching any of them.
 */
import { factsReadBy } from "../checks/registry.js";
import type { GraphPermission } from "./app-roles.js";
import { FACTS } from "./facts/index.js";

/** Every permission the checks need, each once, in the facts' registry order. */
export function requiredPermissions(): GraphPermission[] {
  return [...new Set(factsReadBy().map((k) => FACTS[k].permission))];
}
