/**
 * A registered tenant: what the operator told us to watch. Validated with zod wherever it enters
 * (the tenants API, the CLI, and rows read back from the Tenants table), so every message names
 * the field and what it expects.
 *
 * Every entry point (PUT /api/tenants/{id}, `tenants add`, `tenants import`) validates with
 * tenantRegistrationSchema, which also refuses control, bidi and invisible characters in the
 * display name and the account: they would reorder or hide text wherever the name is shown.
 * Rows read back from the Tenants table use registeredTenantSchema, which does not: a row stored
 * before the rule existed stays monitored (every output shows such characters as visible escapes).
 */
import { z } from "zod";
import { firstUnsafe } from "../text/safe.js";
import { accountKeySchema, assignAccountKeys, ACCOUNT_KINDS, DEFAULT_PROFILE_OF_KIND, MAX_ACCOUNTS_PER_TENANT } from "./account.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A UPN as Entra accepts it: local part (apostrophes allowed), @, a dotted domain. */
const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const guidSchema = (field: string) =>
  z
    .string({ error: `${field} must be a GUID` })
    .trim()
    .toLowerCase()
    .regex(GUID, { error: `${field} must be a GUID like 00000000-0000-0000-0000-000000000000` });

/** Tenant ids are stored lower-case: they are RowKeys and PartitionKeys, which compare exactly. */
export const tenantIdSchema = guidSchema("tenantId");

const accountRefSchema = z
  .string({ error: "account must be the monitored account's UPN or object id" })
  .trim()
  .refine((v) => UPN.test(v) || GUID.test(v.toLowerCase()), {
    error: "account must be the monitored account's UPN (svc@contoso.com) or its object id (a GUID)",
  })
  .transform((v) => (GUID.test(v.toLowerCase()) ? v.toLowerCase() : v));

const recipientSchema = z.email({ error: (issue) => `recipients: "${String(issue.input)}" is not an email address` });

/** Text a person types: no control (line breaks and tabs included), bidi or invisible character. */
const plainText = (field: string) =>
  z.string({ error: `${field} must be text` }).superRefine((value, ctx) => {
    const bad = firstUnsafe(value);
    if (bad) {
      ctx.addIssue({
        code: "custom",
        message: `${field} must not contain control or invisible characters (found ${bad.codePoint} at position ${bad.position}): remove it`,
      });
    }
  });

const kindSchema = z.enum(ACCOUNT_KINDS, { error: `kind must be one of ${ACCOUNT_KINDS.join(", ")}` });
const profileSchema = z.string({ error: "profile must be text" }).trim().min(1, { error: "profile must not be empty" });

/** One monitored account as stored: its key is the store's (lib/model/account.ts). */
export const monitoredAccountSchema = z.object({
  key: accountKeySchema,
  ref: accountRefSchema,
  kind: kindSchema.default("connection"),
  profile: profileSchema,
  /** Cached after the first successful read of the account, to save a Graph round trip. */
  objectId: guidSchema("objectId").nullable().default(null),
});
export type MonitoredAccount = z.output<typeof monitoredAccountSchema>;

/** One account as an operator registers it: no key, the profile defaults to its kind's. */
const accountInputSchema = (ref: z.ZodType<string, string>) =>
  z
    .object({
      /** Kept only when every account of the registration has one (a stored tenant sent back as it is). */
      key: accountKeySchema.optional(),
      ref,
      kind: kindSchema.default("connection"),
      profile: profileSchema.optional(),
      objectId: guidSchema("objectId").nullable().default(null),
    })
    .transform((a) => ({ ...a, profile: a.profile ?? DEFAULT_PROFILE_OF_KIND[a.kind] }));

const uniqueRefs = (accounts: readonly { ref: string }[], ctx: z.core.$RefinementCtx) => {
  const seen = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    const ref = a.ref.toLowerCase();
    if (seen.has(ref)) ctx.addIssue({ code: "custom", path: [i, "ref"], message: `account ${a.ref} is listed twice: list each account once` });
    seen.add(ref);
  }
};

const accountsOf = <T extends z.ZodType<{ ref: string }>>(account: T) =>
  z
    .array(account, { error: "accounts must be a list of accounts" })
    .min(1, { error: "accounts: a tenant needs at least one monitored account" })
    .max(MAX_ACCOUNTS_PER_TENANT, { error: `accounts: at most ${MAX_ACCOUNTS_PER_TENANT} per tenant` })
    .superRefine(uniqueRefs);

const tenantFields = {
  tenantId: tenantIdSchema,
  displayName: z
    .string({ error: "displayName must be text" })
    .trim()
    .min(1, { error: "displayName must not be empty" })
    .max(256, { error: "displayName must be at most 256 characters" }),
  recipients: z
    .array(z.string().trim().pipe(recipientSchema), { error: "recipients must be a list of email addresses" })
    .max(50, { error: "recipients: at most 50 addresses" })
    .default([]),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
  /**
   * Whether a fix for this tenant needs a second person's approval (four-eyes); absent: the
   * estate's REMEDIATION_REQUIRE_APPROVAL. Optional, so rows written before it read as absent.
   */
  fixApproval: z.enum(["required", "not-required"], { error: 'fixApproval must be "required" or "not-required"' }).optional(),
};

/** A Tenants row as stored (schema version 2): every account with its key. */
export const storedTenantRecordSchema = z.object({
  ...tenantFields,
  accounts: accountsOf(monitoredAccountSchema).superRefine((accounts, ctx) => {
    if (new Set(accounts.map((a) => a.key)).size !== accounts.length) ctx.addIssue({ code: "custom", message: "accounts: two accounts share a key" });
  }),
});

export type RegisteredTenant = z.output<typeof storedTenantRecordSchema>;

/**
 * The one-account form every earlier caller sends ({ account, accountObjectId?, profile? }) as the
 * accounts list: the API, the CSV and the CLI keep accepting it.
 */
function legacyAccount(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { account, accountObjectId, profile, ...rest } = value as Record<string, unknown>;
  // A RegisteredTenant sent back carries both: its accounts are the truth, the rest is derived.
  if (rest.accounts !== undefined || account === undefined) return rest.accounts !== undefined ? rest : value;
  return { ...rest, accounts: [{ ref: account, kind: "connection", ...(profile === undefined ? {} : { profile }), objectId: accountObjectId ?? null }] };
}

/** A stored tenant sent back keeps its keys; anything else is keyed as a new tenant (the store then matches its row). */
function keyed<T extends { key?: string | undefined; ref: string; objectId: string | null }>(accounts: readonly T[]): (T & { key: string })[] {
  const keys = accounts.map((a) => a.key);
  if (keys.every((k): k is string => k !== undefined) && new Set(keys).size === keys.length) return accounts.map((a, i) => ({ ...a, key: keys[i] ?? "" }));
  return assignAccountKeys(accounts, undefined);
}

const registrationOf = (ref: z.ZodType<string, string>, displayName: z.ZodType<string, string>) =>
  z.preprocess(
    legacyAccount,
    z
      .object({ ...tenantFields, displayName, accounts: accountsOf(accountInputSchema(ref)) })
      .transform((t): RegisteredTenant => ({ ...t, accounts: keyed(t.accounts) })),
  );

/**
 * A tenant from any caller: the stored shape with the keys a new tenant's accounts get (the
 * store matches them with its row: TenantsRepository.put). Accepts the one-account form.
 */
export const registeredTenantSchema = registrationOf(accountRefSchema, tenantFields.displayName);

/** What an operator registers, at every entry point: the stored shape, and plain text in the names. */
export const tenantRegistrationSchema = registrationOf(plainText("account").pipe(accountRefSchema), plainText("displayName").pipe(tenantFields.displayName));

/** What the registry keeps of a tenant, nothing derived: what `tenants list --json` and the API's PUT answer show. */
type TenantRecord = z.output<typeof storedTenantRecordSchema>;
export function tenantRecord(t: RegisteredTenant): TenantRecord {
  return {
    tenantId: t.tenantId,
    displayName: t.displayName,
    recipients: t.recipients,
    enabled: t.enabled,
    accounts: t.accounts,
    ...(t.fixApproval ? { fixApproval: t.fixApproval } : {}),
  };
}

/** The pieces of the one-account registration form, for the API's strict body (functions/api/tenant-body.ts). */
export const registrationFields = {
  displayName: plainText("displayName").pipe(tenantFields.displayName),
  account: plainText("account").pipe(accountRefSchema),
  recipients: tenantFields.recipients,
  profile: profileSchema,
  enabled: tenantFields.enabled,
  fixApproval: tenantFields.fixApproval,
};

/** What a caller may supply: defaults fill the rest. Either `accounts`, or the one-account form `account` (+ accountObjectId, profile). */
export interface RegisteredTenantInput {
  readonly tenantId: string;
  readonly displayName: string;
  readonly recipients?: readonly string[];
  readonly enabled?: boolean;
  readonly fixApproval?: "required" | "not-required";
  readonly accounts?: readonly {
    readonly key?: string;
    readonly ref: string;
    readonly kind?: string;
    readonly profile?: string;
    readonly objectId?: string | null;
  }[];
  readonly account?: string;
  readonly accountObjectId?: string | null;
  readonly profile?: string;
}
