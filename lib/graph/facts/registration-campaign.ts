/**
 * The MFA registration campaign (nudge) of the authentication methods policy: `policies/authenticationMethodsPolicy`.
 * v1.0 defines state (`default` = Microsoft managed, `enabled`, `disabled`), snoozeDurationInDays and the targets; an include
 * target names the method it nudges (`microsoftAuthenticator` or `fido2`). `enforceRegistrationAfterAllowedSnoozes` is beta
 * only (learn.microsoft.com/graph/api/resources/authenticationmethodsregistrationcampaign), so it is not read.
 */
import { z } from "zod";
import type { RegistrationCampaignFact } from "../../model/facts.js";
import { graphPath } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parse, str, type Normalised } from "./parse.js";

const campaignTargetSchema = z.looseObject({ id: str, targetType: str });
const includeTargetSchema = campaignTargetSchema.extend({ targetedAuthenticationMethod: z.string().nullish() });

const authMethodsPolicySchema = z.looseObject({
  registrationEnforcement: z.looseObject({
    authenticationMethodsRegistrationCampaign: z.looseObject({
      state: str,
      snoozeDurationInDays: z.number().nullish(),
      includeTargets: z.array(includeTargetSchema).nullish(),
      excludeTargets: z.array(campaignTargetSchema).nullish(),
    }),
  }),
});

export function toRegistrationCampaign(body: unknown): Normalised<RegistrationCampaignFact> {
  return map(parse(authMethodsPolicySchema, body), (p) => {
    const c = p.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    return {
      state: c.state,
      snoozeDurationInDays: c.snoozeDurationInDays ?? null,
      includeTargets: (c.includeTargets ?? []).map((t) => ({
        id: t.id,
        targetType: t.targetType,
        targetedAuthenticationMethod: t.targetedAuthenticationMethod ?? null,
      })),
      excludeTargets: (c.excludeTargets ?? []).map((t) => ({ id: t.id, targetType: t.targetType })),
    };
  });
}

export const registrationCampaign: FactDefinition<RegistrationCampaignFact, "registrationCampaign"> = {
  fact: "registrationCampaign",
  version: "v1.0",
  permission: "Policy.Read.All",
  paged: false,
  needsObjectId: false,
  reads: "the registration campaign",
  subject: "the registration campaign (authentication methods policy)",
  requests: () => [{ id: "registrationCampaign", url: graphPath([{ raw: "policies/authenticationMethodsPolicy" }]) }],
  normalise: toRegistrationCampaign,
};
