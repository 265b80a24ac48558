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
  .string({ error: "account must be the connection account's UPN or object id" })
  .trim()
  .refine((v) => UPN.test(v) || GUID.test(v.toLowerCase()), {
    error: "account must be the connection account's UPN (svc@contoso.com) or its object id (a GUID)",
  })
  .transform((v) => (GUID.test(v.toLowerCase()) ? v.toLowerCase() : v));

const recipientSchema = z.email({ error: (issue) => `recipients: "${String(issue.input)}" is not an email address` });

export const registeredTenantSchema = z.object({
  tenantId: tenantIdSchema,
  displayName: z
    .string({ error: "displayName must be text" })
    .trim()
    .min(1, { error: "displayName must not be empty" })
    .max(256, { error: "displayName must be at most 256 characters" }),
  account: accountRefSchema,
  /** Cached after the first successful read of the account, to save a Graph round trip. */
  accountObjectId: guidSchema("accountObjectId").nullable().default(null),
  recipients: z
    .array(z.string().trim().pipe(recipientSchema), { error: "recipients must be a list of email addresses" })
    .max(50, { error: "recipients: at most 50 addresses" })
    .default([]),
  profile: z.string().trim().min(1, { error: "profile must not be empty" }).default("strict"),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
});

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

/** What an operator registers, at every entry point: the stored shape, and plain text in the names. */
export const tenantRegistrationSchema = registeredTenantSchema.extend({
  displayName: plainText("displayName").pipe(registeredTenantSchema.shape.displayName),
  account: plainText("account").pipe(accountRefSchema),
});

export type RegisteredTenant = z.output<typeof registeredTenantSchema>;
/** What a caller may supply: defaults fill the rest. */
export type RegisteredTenantInput = z.input<typeof registeredTenantSchema>;
