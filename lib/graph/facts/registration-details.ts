/**
 * The account's MFA registration report (Entra ID P1): `reports/authenticationMethods/userRegistrationDetails/{id}`.
 *
 * Read only when due. It costs a request from the tightest budget Graph has (identity and access
 * reports: 5 per 10 s per tenant, 122 per 10 s for the app across all tenants), and everything it
 * says — registered methods, MFA capable — follows from the account's methods list, which every
 * run reads anyway. So it is read:
 *
 * - on the first run, or while the methods list has never been readable (the report is then the
 *   `mfa-registration` check's fallback), or when there is no value worth carrying (only a
 *   successful read or a licence answer is carried; any other failure is read again);
 * - once per REGISTRATION_REPORT_HOURS period, each tenant at its own offset in the period;
 * - after the batches, when the methods list changed since the last run or could not be read.
 *
 * Otherwise the value last read is carried, exactly as it was read (marked with its read time):
 * the facts digest, the evidence the check prints and its verdict stay what a read would have given.
 */
import { z } from "zod";
import type { AuthMethodFact, Fact, RegistrationDetailsFact } from "../../model/facts.js";
import { graphPath, keySegment } from "../odata.js";
import type { FactDefinition } from "./definition.js";
import { periodKeyOf, periodTurned, type ReadWhenDue } from "./due.js";
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

function methodKey(m: { readonly id: string; readonly type: string }): string {
  return `${m.type}|${m.id}`;
}

/** True when the methods now differ from the ones stored, or cannot be compared. */
export function methodsChanged(previous: readonly { readonly id: string; readonly type: string }[] | null, now: Fact<readonly AuthMethodFact[]>): boolean {
  if (!now.ok || previous === null) return true;
  const before = new Set(previous.map(methodKey));
  return now.value.length !== before.size || now.value.some((m) => !before.has(methodKey(m)));
}

export const registrationReportDue: ReadWhenDue<RegistrationDetailsFact> = {
  after: ["authMethods"],
  due: (previous, run) => {
    const hours = run.periods.registrationReportHours;
    const last = previous?.reads.registrationDetails;
    if (hours === undefined || !previous || previous.methods === null || !last) return "read";
    if (periodTurned(periodKeyOf(previous), run.now, last.readAt, hours)) return "read";
    // Before the batches: carried unless the methods, read with them, say otherwise.
    const methods = run.read.authMethods;
    return methods !== undefined && methodsChanged(previous.methods, methods) ? "read" : "carry";
  },
};

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
  readWhenDue: registrationReportDue,
};
