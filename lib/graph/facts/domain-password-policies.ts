/**
 * The tenant's domains and the password lifetime each imposes: `GET /v1.0/domains` with
 * `$select=id,isDefault,passwordValidityPeriodInDays` (Domain.Read.All;
 * learn.microsoft.com/graph/api/resources/domain: "passwordValidityPeriodInDays — Specifies the
 * length of time that a password is valid before it must be changed. If the property isn't set, a
 * default value of 90 days is used"; 2147483647 is what "never expire" stores).
 *
 * The list, not `GET /domains/{id}`: the account's domain is its UPN suffix, unknown until the
 * account is read, and a run with a cached object id reads the account inside the same batch as
 * everything else. A tenant-wide list rides in that batch (no extra round trip); the password
 * check picks the account's domain from it. It changes rarely: the collector reads it at most
 * once a day per tenant (lib/graph/domain-cache.ts).
 */
import { z } from "zod";
import type { DomainPasswordFact } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parseList, type Normalised } from "./parse.js";

const domainSchema = z.looseObject({
  id: z.string(),
  isDefault: z.boolean().nullish(),
  passwordValidityPeriodInDays: z.number().int().nullish(),
});

function toDomainPasswordPolicies(values: readonly unknown[]): Normalised<readonly DomainPasswordFact[]> {
  return map(parseList(domainSchema, values), (list) =>
    list.map((d) => ({ id: d.id, isDefault: d.isDefault ?? false, passwordValidityPeriodInDays: d.passwordValidityPeriodInDays ?? null })),
  );
}

export const domainPasswordPolicies: FactDefinition<readonly DomainPasswordFact[], "domainPasswordPolicies"> = {
  fact: "domainPasswordPolicies",
  version: "v1.0",
  permission: "Domain.Read.All",
  paged: true,
  needsObjectId: false,
  reads: "the domains' password expiry",
  subject: "the tenant's domains",
  requests: () => [{ id: "domainPasswordPolicies", url: graphPath([{ raw: "domains" }], { $select: "id,isDefault,passwordValidityPeriodInDays" }) }],
  normalise: toDomainPasswordPolicies,
};
