/** The account's legacy per-user MFA state (beta only): `/users/{id}/authentication/requirements`. */
import { z } from "zod";
import type { PerUserMfaFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, parse, type Normalised } from "./parse.js";

const perUserMfaSchema = z.looseObject({
  perUserMfaState: z.enum(["disabled", "enabled", "enforced"]),
});

function toPerUserMfa(body: unknown): Normalised<PerUserMfaFact> {
  return map(parse(perUserMfaSchema, body), (p) => ({ perUserMfaState: p.perUserMfaState }));
}

export const perUserMfa: FactDefinition<PerUserMfaFact, "perUserMfa"> = {
  fact: "perUserMfa",
  version: "beta",
  permission: "Policy.Read.All",
  paged: false,
  needsObjectId: true,
  reads: "per-user MFA (beta)",
  subject: "the account's per-user MFA state",
  requests: (ctx) => [{ id: "perUserMfa", url: graphPath([keySegment("users", ctx.objectId), { raw: "authentication/requirements" }]) }],
  normalise: toPerUserMfa,
};
