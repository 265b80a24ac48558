/**
 * Builders for Conditional Access objects in the wire format Graph beta returns with full metadata
 * (`odata.metadata=full`): every complex value names its `@odata.type`, every collection, enum and date
 * property carries a `name@odata.type` annotation before it, and navigation properties and bound actions
 * carry their links. The policies in ./policies.ts read as specifications; this file is only the encoding.
 */
import type { JsonObject, JsonValue } from "../../types.js";

const GRAPH = "https://graph.microsoft.com/beta";

/** A property value Graph annotates with its type. */
class Typed {
  constructor(
    readonly type: string,
    readonly value: JsonValue,
  ) {}
}

type Prop = JsonValue | Typed;

export const strings = (values: readonly string[] = []): Typed => new Typed("#Collection(String)", [...values]);
export const enums = (type: string, values: readonly string[] = []): Typed => new Typed(`#Collection(microsoft.graph.${type})`, [...values]);
export const date = (iso: string): Typed => new Typed("#DateTimeOffset", iso);
/** A single (or flags) enum value; Graph writes no annotation for null. */
export const enumValue = (type: string, value: string | null | undefined): Prop => (value == null ? null : new Typed(`#microsoft.graph.${type}`, value));

/** A complex or entity value: its type first, then `head` (ids, links), then each property after its annotation. */
export function complex(type: string, props: Readonly<Record<string, Prop>>, head: JsonObject = {}): JsonObject {
  const out: JsonObject = { "@odata.type": `#microsoft.graph.${type}`, ...head };
  for (const [key, value] of Object.entries(props)) {
    if (value instanceof Typed) {
      out[`${key}@odata.type`] = value.type;
      out[key] = value.value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The three links Graph writes before a navigation property (`authenticationStrength`). */
export function navigation(entityPath: string, property: string, value: JsonValue): JsonObject {
  return {
    [`${property}@odata.context`]: `${GRAPH}/$metadata#${entityPath}/${property}/$entity`,
    [`${property}@odata.associationLink`]: `${GRAPH}/${entityPath}/${property}/$ref`,
    [`${property}@odata.navigationLink`]: `${GRAPH}/${entityPath}/${property}`,
    [property]: value,
  };
}

/** A bound action as full metadata lists it (`#microsoft.graph.restore`). */
export function action(entityPath: string, name: string): JsonObject {
  return { [`#microsoft.graph.${name}`]: { title: `microsoft.graph.${name}`, target: `${GRAPH}/${entityPath}/microsoft.graph.${name}` } };
}

export const entityPath = (set: string, id: string): string => `${set}('${id}')`;

export function filter(mode: "include" | "exclude", rule: string): JsonObject {
  return complex("conditionalAccessFilter", { mode: enumValue("filterMode", mode), rule });
}

const MEMBERSHIP_KIND = "conditionalAccessExternalTenantsMembershipKind";

/** Guests or external users of the given kinds (a flags enum), from every external tenant or from the ones listed. */
export function guestsOrExternalUsers(kinds: string, tenants?: readonly string[]): JsonObject {
  return complex("conditionalAccessGuestsOrExternalUsers", {
    guestOrExternalUserTypes: enumValue("conditionalAccessGuestOrExternalUserTypes", kinds),
    externalTenants: tenants
      ? complex("conditionalAccessEnumeratedExternalTenants", { membershipKind: enumValue(MEMBERSHIP_KIND, "enumerated"), members: strings(tenants) })
      : complex("conditionalAccessAllExternalTenants", { membershipKind: enumValue(MEMBERSHIP_KIND, "all") }),
  });
}
