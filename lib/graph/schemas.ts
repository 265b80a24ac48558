/**
 * zod schemas for every Graph answer the collector reads. The Graph client hands back untyped
 * JSON; it is parsed here at once, so nothing past this file sees `unknown` data. Objects are
 * loose (Microsoft adds properties all the time, and CA policies must be kept whole); only the
 * fields the rules rely on are checked.
 */
import { z } from "zod";

const str = z.string();
const nullableStr = z.string().nullish().transform((v) => v ?? null);
const nullableBool = z.boolean().nullish().transform((v) => v ?? null);
const stringList = z.array(z.string()).nullish();

// ---- transport ---------------------------------------------------------------------------

/** One answer inside a `$batch` response. The body is JSON, or base64 text for other types. */
export const batchSubResponseSchema = z.looseObject({
  id: str,
  status: z.number().int(),
  headers: z.record(z.string(), z.unknown()).nullish(),
  body: z.unknown().optional(),
});
export type BatchSubResponse = z.infer<typeof batchSubResponseSchema>;

export const batchResponseSchema = z.looseObject({
  responses: z.array(batchSubResponseSchema),
});

/** A page of a collection. */
export const collectionPageSchema = z.looseObject({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().nullish(),
});

// ---- users and directory -----------------------------------------------------------------

export const userSchema = z.looseObject({
  id: str,
  userPrincipalName: str,
  displayName: nullableStr,
  accountEnabled: nullableBool,
  onPremisesSyncEnabled: nullableBool,
  userType: nullableStr,
});

/** An entry of transitiveMemberOf: a group, a directoryRole, or something we ignore (an AU). */
export const directoryObjectSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: str,
  displayName: nullableStr,
  roleTemplateId: nullableStr,
});

/** unifiedRoleAssignment and unifiedRoleEligibilityScheduleInstance share these fields. */
export const roleAssignmentSchema = z.looseObject({
  id: str,
  roleDefinitionId: str,
  principalId: str,
  directoryScopeId: nullableStr,
});

// ---- Conditional Access --------------------------------------------------------------------

const caUsersSchema = z.looseObject({
  includeUsers: stringList,
  excludeUsers: stringList,
  includeGroups: stringList,
  excludeGroups: stringList,
  includeRoles: stringList,
  excludeRoles: stringList,
});

const caApplicationsSchema = z.looseObject({
  includeApplications: stringList,
  excludeApplications: stringList,
  includeUserActions: stringList,
  includeAuthenticationContextClassReferences: stringList,
});

const caConditionsSchema = z.looseObject({
  users: caUsersSchema.nullish(),
  applications: caApplicationsSchema.nullish(),
  clientAppTypes: stringList,
  locations: z.looseObject({ includeLocations: stringList, excludeLocations: stringList }).nullish(),
  platforms: z.looseObject({ includePlatforms: stringList, excludePlatforms: stringList }).nullish(),
  signInRiskLevels: stringList,
  userRiskLevels: stringList,
  // A flag-enum string in Graph ("none", "minor,moderate"); tolerated as a list too.
  insiderRiskLevels: z.union([z.string(), z.array(z.string())]).nullish(),
  devices: z
    .looseObject({ deviceFilter: z.looseObject({ mode: z.string().optional(), rule: z.string().optional() }).nullish() })
    .nullish(),
  authenticationFlows: z.looseObject({ transferMethods: z.string().nullish() }).nullish(),
});

const caGrantControlsSchema = z.looseObject({
  operator: z.string().nullish(),
  builtInControls: stringList,
  customAuthenticationFactors: stringList,
  termsOfUse: stringList,
  authenticationStrength: z.looseObject({ id: z.string().optional(), displayName: z.string().nullish() }).nullish(),
});

export const caPolicySchema = z.looseObject({
  id: str,
  displayName: str,
  state: str,
  conditions: caConditionsSchema.nullish().transform((v) => v ?? null),
  grantControls: caGrantControlsSchema.nullish().transform((v) => v ?? null),
  sessionControls: z.looseObject({}).nullish().transform((v) => v ?? null),
});

// ---- policies -------------------------------------------------------------------------------

export const securityDefaultsSchema = z.looseObject({ isEnabled: z.boolean() });

export const perUserMfaSchema = z.looseObject({
  perUserMfaState: z.enum(["disabled", "enabled", "enforced"]),
});

const campaignTargetSchema = z.looseObject({ id: str, targetType: str });

export const authMethodsPolicySchema = z.looseObject({
  registrationEnforcement: z.looseObject({
    authenticationMethodsRegistrationCampaign: z.looseObject({
      state: str,
      snoozeDurationInDays: z.number().nullish(),
      includeTargets: z.array(campaignTargetSchema).nullish(),
      excludeTargets: z.array(campaignTargetSchema).nullish(),
    }),
  }),
});

// ---- authentication methods and reports ---------------------------------------------------

/** Only the fields a safe label can come from are named; secrets (secretKey, temporaryAccessPass) never are. */
export const authMethodSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: str,
  displayName: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  phoneType: z.string().nullish(),
  emailAddress: z.string().nullish(),
  model: z.string().nullish(),
  device: z.looseObject({ displayName: z.string().nullish() }).nullish(),
});

export const registrationDetailsSchema = z.looseObject({
  isMfaRegistered: z.boolean(),
  isMfaCapable: nullableBool,
  methodsRegistered: z.array(z.string()).nullish().transform((v) => v ?? []),
  lastUpdatedDateTime: nullableStr,
});

export const signInSchema = z.looseObject({
  id: str,
  createdDateTime: str,
  appDisplayName: nullableStr,
  appId: nullableStr,
  resourceDisplayName: nullableStr,
  ipAddress: nullableStr,
  conditionalAccessStatus: nullableStr,
  isInteractive: nullableBool,
  status: z
    .looseObject({ errorCode: z.number().int(), failureReason: nullableStr })
    .nullish(),
});

/** First issue of a failed parse, as a short sentence for the fact's reason. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unknown problem";
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
  return `${path}: ${issue.message}`;
}
