/**
 * The account's user risk (Identity Protection): `GET /v1.0/identityProtection/riskyUsers/{id}`,
 * IdentityRiskyUser.Read.All, Entra ID P2 ("Using the riskyUsers API requires a Microsoft Entra ID
 * P2 license", learn.microsoft.com/graph/api/riskyuser-get). A user Identity Protection never
 * flagged has no riskyUser object: the 404 is an answer, no risk.
 */
import { z } from "zod";
import type { RiskyUserFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableStr, parse, type Normalised } from "./parse.js";

const riskyUserSchema = z.looseObject({
  riskLevel: z.string(),
  riskState: z.string(),
  riskDetail: nullableStr,
  riskLastUpdatedDateTime: nullableStr,
});

function toRiskyUser(body: unknown): Normalised<RiskyUserFact> {
  return map(parse(riskyUserSchema, body), (r) => ({
    riskLevel: r.riskLevel,
    riskState: r.riskState,
    riskDetail: r.riskDetail,
    riskLastUpdatedDateTime: r.riskLastUpdatedDateTime,
  }));
}

const NO_RISK: RiskyUserFact = { riskLevel: "none", riskState: "none", riskDetail: null, riskLastUpdatedDateTime: null };

export const riskyUser: FactDefinition<RiskyUserFact, "riskyUser"> = {
  fact: "riskyUser",
  version: "v1.0",
  permission: "IdentityRiskyUser.Read.All",
  paged: false,
  licence: "Entra ID P2 (Identity Protection)",
  needsObjectId: true,
  reads: "the account's user risk",
  subject: "the account's user risk",
  requests: (ctx) => [{ id: "riskyUser", url: graphPath([{ raw: "identityProtection" }, keySegment("riskyUsers", ctx.objectId)]) }],
  notFound: { value: NO_RISK },
  normalise: toRiskyUser,
};
