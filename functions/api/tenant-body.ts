/**
 * The body of PUT /api/tenants/{id}: what an operator registers. Validated with the registration
 * schema `tenants add` and `tenants import` use (no control, bidi or invisible character in the
 * names), strictly (an unknown field is a typo to report, not something to drop), and the
 * profile must exist. The tenant id comes from the path; a body that repeats it must agree. The
 * account's cached object id is the monitor's business, not the caller's.
 */
import { z } from "zod";
import { registrationFields, type RegisteredTenant, type RegisteredTenantInput } from "../../lib/model/tenant.js";
import { issuesOf, MAX_BODY_BYTES, type Issue } from "./http.js";
import { errorMessage } from "../../lib/errors/text.js";

const { displayName, account, recipients, profile, enabled } = registrationFields;

const tenantBodySchema = z.strictObject(
  { tenantId: z.string().optional(), displayName, account, recipients, profile, enabled },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}` : "the body must be a JSON object",
  },
);

type BodyResult =
  { readonly ok: true; readonly tenant: RegisteredTenantInput } | { readonly ok: false; readonly error: string; readonly issues: readonly Issue[] };

export function parseTenantBody(
  tenantId: string,
  body: string | undefined,
  existing: RegisteredTenant | undefined,
  profileExists: (name: string) => boolean,
): BodyResult {
  if (body === undefined || body.trim() === "")
    return { ok: false, error: "a JSON body is required: { displayName, account, recipients?, profile?, enabled? }", issues: [] };
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) return { ok: false, error: `the body is larger than ${MAX_BODY_BYTES} bytes`, issues: [] };
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch (error) {
    return { ok: false, error: `the body is not JSON: ${errorMessage(error)}`, issues: [] };
  }
  const parsed = tenantBodySchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: "invalid tenant", issues: issuesOf(parsed.error) };
  const issues: Issue[] = [];
  const b = parsed.data;
  if (b.tenantId !== undefined && b.tenantId.trim().toLowerCase() !== tenantId) {
    issues.push({ path: "tenantId", message: "tenantId in the body must match the one in the path (or be left out)" });
  }
  if (!profileExists(b.profile)) issues.push({ path: "profile", message: `profile "${b.profile}" does not exist` });
  if (issues.length > 0) return { ok: false, error: "invalid tenant", issues };
  // Keep the cached object id while the account is the same one: it saves a Graph round trip.
  const sameAccount = existing !== undefined && existing.account.toLowerCase() === b.account.toLowerCase();
  return {
    ok: true,
    tenant: {
      tenantId,
      displayName: b.displayName,
      account: b.account,
      accountObjectId: sameAccount ? existing.accountObjectId : null,
      recipients: [...new Map(b.recipients.map((r) => [r.toLowerCase(), r])).values()],
      profile: b.profile,
      enabled: b.enabled,
    },
  };
}
