/** The account's registered authentication methods: `/users/{id}/authentication/methods`. */
import { z } from "zod";
import type { AuthMethodFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parseList, str, type Normalised } from "./parse.js";

/** Only the fields a safe label can come from are named; secrets (secretKey, temporaryAccessPass) never are. */
const authMethodSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: str,
  displayName: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  phoneType: z.string().nullish(),
  emailAddress: z.string().nullish(),
  model: z.string().nullish(),
  device: z.looseObject({ displayName: z.string().nullish() }).nullish(),
});

const METHOD_PREFIX = "#microsoft.graph.";

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 2 ? `ending ${digits.slice(-2)}` : "number hidden";
}

function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at <= 0) return "address hidden";
  return `${email.charAt(0)}***${email.slice(at)}`;
}

/** A label a person recognises, never a secret: names and models as-is, phone numbers and emails masked. */
function methodLabel(m: z.output<typeof authMethodSchema>): string | null {
  if (m.displayName) return m.displayName;
  if (m.phoneNumber) return `${m.phoneType ?? "phone"} ${maskPhone(m.phoneNumber)}`;
  if (m.emailAddress) return maskEmail(m.emailAddress);
  if (m.model) return m.model;
  if (m.device?.displayName) return m.device.displayName;
  return null;
}

export function toAuthMethods(values: readonly unknown[]): Normalised<AuthMethodFact[]> {
  return map(parseList(authMethodSchema, values), (list) =>
    list.map((m) => {
      const odataType = m["@odata.type"] ?? "";
      const type = odataType.startsWith(METHOD_PREFIX) ? odataType.slice(METHOD_PREFIX.length) : odataType || "authenticationMethod";
      return { id: m.id, type, label: methodLabel(m) };
    }),
  );
}

export const authMethods: FactDefinition<readonly AuthMethodFact[], "authMethods"> = {
  fact: "authMethods",
  version: "v1.0",
  permission: "UserAuthenticationMethod.Read.All",
  paged: true,
  needsObjectId: true,
  reads: "registered authentication methods",
  subject: "the account's authentication methods",
  requests: (ctx) => [{ id: "authMethods", url: graphPath([keySegment("users", ctx.objectId), { raw: "authentication/methods" }]) }],
  normalise: toAuthMethods,
};
