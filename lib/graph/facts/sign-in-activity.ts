/**
 * The account's last sign-ins: `GET /v1.0/users/{id}?$select=signInActivity` (Entra ID P1 and
 * AuditLog.Read.All; learn.microsoft.com/graph/api/resources/signinactivity: lastSignInDateTime,
 * lastNonInteractiveSignInDateTime, lastSuccessfulSignInDateTime). A request of its own, not a
 * property on the account's $select: without P1 or AuditLog.Read.All Graph refuses the whole user
 * request that selects it, and the account must be readable in every tenant. It rides in the v1.0
 * batch, so it costs no round trip.
 */
import { z } from "zod";
import type { SignInActivityFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { map, nullableStr, parse, type Normalised } from "./parse.js";

const activitySchema = z.looseObject({
  id: z.string(),
  signInActivity: z
    .looseObject({ lastSuccessfulSignInDateTime: nullableStr, lastSignInDateTime: nullableStr, lastNonInteractiveSignInDateTime: nullableStr })
    .nullish(),
});

function toSignInActivity(body: unknown): Normalised<SignInActivityFact> {
  return map(parse(activitySchema, body), (u) => ({
    lastSuccessfulSignInDateTime: u.signInActivity?.lastSuccessfulSignInDateTime ?? null,
    lastSignInDateTime: u.signInActivity?.lastSignInDateTime ?? null,
    lastNonInteractiveSignInDateTime: u.signInActivity?.lastNonInteractiveSignInDateTime ?? null,
  }));
}

export const signInActivity: FactDefinition<SignInActivityFact, "signInActivity"> = {
  fact: "signInActivity",
  version: "v1.0",
  permission: "AuditLog.Read.All",
  paged: false,
  licence: "Entra ID P1",
  needsObjectId: true,
  reads: "the account's last sign-ins",
  subject: "the account's sign-in activity",
  requests: (ctx) => [{ id: "signInActivity", url: graphPath([keySegment("users", ctx.objectId)], { $select: "id,signInActivity" }) }],
  normalise: toSignInActivity,
};
