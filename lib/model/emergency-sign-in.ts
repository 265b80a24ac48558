/** The stored shapes of the emergency-access sign-in notices (lib/drift/emergency-sign-ins.ts): in outbox transitions and in the state. */
import { z } from "zod";

/** What a notice says about one sign-in of an emergency access account (the sign-in log's record, lib/graph/facts/sign-ins.ts). */
export const emergencySignInSchema = z.object({
  id: z.string(),
  createdDateTime: z.string(),
  ipAddress: z.string().nullable(),
  city: z.string().nullable(),
  countryOrRegion: z.string().nullable(),
  appDisplayName: z.string().nullable(),
  appId: z.string().nullable(),
  clientAppUsed: z.string().nullable(),
  isInteractive: z.boolean().nullable(),
  /** 0 = success. */
  errorCode: z.number().int(),
  failureReason: z.string().nullable(),
});
export type EmergencySignIn = z.infer<typeof emergencySignInSchema>;

/**
 * The emergency access sign-ins already mailed, so a sign-in read again by an overlapping look-back
 * window is not mailed twice. Entries older than the look-back window are dropped (no read brings
 * them back); past the cap the oldest go and `floor` rises to the newest dropped, and nothing at or
 * before it is mailed again.
 */
export const emergencySignInMemorySchema = z.object({
  mailed: z.array(z.object({ id: z.string(), at: z.string() })),
  floor: z.string().nullable(),
});
export type EmergencySignInMemory = z.infer<typeof emergencySignInMemorySchema>;
