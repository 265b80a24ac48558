/** Whether Security Defaults are on: `policies/identitySecurityDefaultsEnforcementPolicy`. */
import { z } from "zod";
import type { SecurityDefaultsFact } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parse, type Normalised } from "./parse.js";

const securityDefaultsSchema = z.looseObject({ isEnabled: z.boolean() });

function toSecurityDefaults(body: unknown): Normalised<SecurityDefaultsFact> {
  return map(parse(securityDefaultsSchema, body), (p) => ({ isEnabled: p.isEnabled }));
}

export const securityDefaults: FactDefinition<SecurityDefaultsFact, "securityDefaults"> = {
  fact: "securityDefaults",
  version: "v1.0",
  permission: "Policy.Read.All",
  paged: false,
  needsObjectId: false,
  reads: "Security Defaults",
  subject: "the Security Defaults policy",
  requests: () => [{ id: "securityDefaults", url: graphPath([{ raw: "policies/identitySecurityDefaultsEnforcementPolicy" }]) }],
  normalise: toSecurityDefaults,
};
