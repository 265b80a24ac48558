/**
 * What the account was observed doing, kept in the tenant's `state` row between runs:
 * bounded, and validated when read back like the rest of the state.
 */
import { z } from "zod";

const signInContextSchema = z.object({
  appId: z.string().nullable(),
  appDisplayName: z.string().nullable(),
  resourceId: z.string().nullable(),
  resourceDisplayName: z.string().nullable(),
  clientAppUsed: z.string().nullable(),
  ipAddress: z.string().nullable(),
  country: z.string().nullable(),
  operatingSystem: z.string().nullable(),
  deviceRegistered: z.boolean().nullable(),
  deviceCompliant: z.boolean().nullable(),
  lastSeen: z.string(),
});

const namedLocationSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  kind: z.enum(["ip", "country", "other"]),
  isTrusted: z.boolean(),
  cidrs: z.array(z.string()).max(1000),
  truncated: z.boolean(),
  countries: z.array(z.string()),
  includeUnknownCountriesAndRegions: z.boolean(),
  countryLookupMethod: z.string().nullable(),
  modifiedDateTime: z.string().nullable(),
});

/** What If's answers grouped by (context, answer, reason): an account excluded from 300 policies stores a few groups of ids, not 300 rows per context. */
const whatIfGroupSchema = z.object({ context: z.string(), policyApplies: z.boolean(), analysisReasons: z.string().nullable(), policyIds: z.array(z.string()) });

/**
 * The observed sign-in contexts (at most 20, the newest, within SIGNIN_CONTEXT_DAYS), the named
 * locations read with them, and the last What If evaluation with the hash of what it evaluated.
 */
export const observedStateSchema = z.object({
  contextsReadAt: z.string().nullable(),
  /** Set when the last read was refused for want of a licence: carried as `unlicensed` until due again. */
  contextsUnlicensed: z.string().nullable(),
  contexts: z.array(signInContextSchema).max(20),
  locationsReadAt: z.string().nullable(),
  locations: z.array(namedLocationSchema).max(500).nullable(),
  /** Location ids the policies named that the last read did not return (deleted): not a reason to read again. */
  locationsUnknownIds: z.array(z.string()).max(200).optional(),
  /** When the registration report (its value kept in the latest snapshot) was last read. Absent in older rows: the state's time. */
  registrationReportReadAt: z.string().nullable().optional(),
  whatIf: z
    .object({
      hash: z.string(),
      at: z.string(),
      status: z.enum(["evaluated", "skipped"]),
      reason: z.string().nullable(),
      permission: z.string().nullable(),
      answers: z.array(whatIfGroupSchema).max(500),
      contexts: z.array(signInContextSchema).max(5),
    })
    .nullable(),
});
export type ObservedState = z.infer<typeof observedStateSchema>;
