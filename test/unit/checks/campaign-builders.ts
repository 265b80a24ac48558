/** Registration campaigns and Microsoft's passkey-era dates, for the mfa-registration tests. */
import type { RegistrationCampaignFact } from "../../../lib/model/index.js";
import { ACCOUNT_ID, GROUP } from "./builders.js";

type Target = RegistrationCampaignFact["includeTargets"][number];
export const ALL_USERS: Target = { id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" };
export const AUTOMATION: Target = { id: GROUP.automation.id, targetType: "group" };
export const OTHER: Target = { id: GROUP.other.id, targetType: "group" };
export const SELF: Target = { id: ACCOUNT_ID, targetType: "user" };

export const campaign = (state: string, include: Target[] = [ALL_USERS], exclude: Target[] = []): RegistrationCampaignFact => ({
  state,
  snoozeDurationInDays: 1,
  includeTargets: include,
  excludeTargets: exclude,
});

/** Passkeys by default (the Microsoft-managed campaign targets them) from this instant. */
export const PASSKEYS = "2026-09-01T00:00:00.000Z";
/** Microsoft-provided SMS and voice end, and passkey registration blocks, from this instant. */
export const RETIREMENT = "2027-02-01T00:00:00.000Z";
