/** The account's MFA registration report (Entra ID P1): `reports/authenticationMethods/userRegistrationDetails/{id}`. */
import { z } from "zod";
import type { RegistrationDetailsFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableBool, nullableStr, parse, type Normalised } from "./parse.js";

const registrationDetailsSchema = z.looseObject({
  isMfaRegistered: z.boolean(),
  isMfaCapable: nullableBool,
  methodsRegistered: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  lastUpdatedDateTime: nullableStr,
});

export function toRegistrationDetails(body: unknown): Normalised<RegistrationDetailsFact> {
  // Microsoft's documented example wraps the entity in `value`; the service answers it bare.
  const inner = typeof body === "object" && body !== null && !("isMfaRegistered" in body) && "value" in body ? (body as { value: unknown }).value : body;
  return map(parse(registrationDetailsSchema, inner), (d) => ({
    isMfaRegistered: d.isMfaRegistered,
    isMfaCapable: d.isMfaCapable,
    methodsRegistered: d.methodsRegistered,
    lastUpdatedDateTime: d.lastUpdatedDateTime,
  }));
}

export const registrationDetails: FactDefinition<RegistrationDetailsFact, "registrationDetails"> = {
  fact: "registrationDetails",
  version: "v1.0",
  permission: "AuditLog.Read.All",
  paged: false,
  licence: "Entra ID P1",
  needsObjectId: true,
  // An identity and access report: 5 per 10 s per tenant, 122 per 10 s for the app.
  budget: "reports",
  reads: "the MFA registration report",
  subject: "the account's MFA registration report",
  requests: (ctx) => [
    { id: "registrationDetails", url: graphPath([{ raw: "reports/authenticationMethods" }, keySegment("userRegistrationDetails", ctx.objectId)]) },
  ],
  normalise: toRegistrationDetails,
};
