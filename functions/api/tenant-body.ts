/**
 * The body of PUT /api/tenants/{id}: what an operator registers. Validated with the registration
 * schema `tenants add` and `tenants import` use (no control, bidi or invisible character in the
 * names), strictly (an unknown field is a typo to report, not something to drop), and the
 * profiles must exist. The tenant id comes from the path; a body that repeats it must agree. The
 * accounts come as `accounts: [{ ref, kind?, profile? }]`, or one connection account in the form
 * every earlier client sends (`account`, `profile?`). Keys and cached object ids are the
 * monitor's business, not the caller's.
 */
import { z } from "zod";
import { registeredTenantSchema, registrationFields, type RegisteredTenantInput } from "../../lib/model/tenant.js";
import { ACCOUNT_KINDS, DEFAULT_PROFILE_OF_KIND } from "../../lib/model/account.js";
import { issuesOf, MAX_BODY_BYTES, type Issue } from "./http.js";
import { errorMessage } from "../../lib/errors/text.js";

const { displayName, account, recipients, profile, enabled, fixApproval: registeredTenantFixApproval } = registrationFields;

/** One element of `accounts`: strict too, so a misspelt field is reported. */
const accountBodySchema = z.strictObject(
  {
    ref: account,
    kind: z.enum(ACCOUNT_KINDS, { error: `kind must be one of ${ACCOUNT_KINDS.join(", ")}` }).default("connection"),
    profile: profile.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}` : "each account must be a JSON object",
  },
);

const tenantBodySchema = z.strictObject(
  {
    tenantId: z.string().optional(),
    displayName,
    account: account.optional(),
    profile: profile.optional(),
    accounts: z.array(accountBodySchema, { error: "accounts must be a list of { ref, kind?, profile? }" }).optional(),
    recipients,
    enabled,
    fixApproval: registeredTenantFixApproval,
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}` : "the body must be a JSON object",
  },
);

type BodyResult =
  { readonly ok: true; readonly tenant: RegisteredTenantInput } | { readonly ok: false; readonly error: string; readonly issues: readonly Issue[] };

const SHAPE = "{ displayName, accounts: [{ ref, kind?, profile? }] (or one account: account, profile?), recipients?, enabled? }";

/**
 * The registration the body replaces is not needed: the store keeps each account's key and cached
 * object id while its reference is the same (TenantsRepository.put), whichever form the body uses.
 */
export function parseTenantBody(tenantId: string, body: string | undefined, profileExists: (name: string) => boolean): BodyResult {
  if (body === undefined || body.trim() === "") return { ok: false, error: `a JSON body is required: ${SHAPE}`, issues: [] };
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
  if ((b.account === undefined) === (b.accounts === undefined)) {
    issues.push({ path: "accounts", message: `give the accounts to watch as accounts: [{ ref, kind? }], or one as account: not both, not neither` });
  }
  if (b.accounts !== undefined && b.profile !== undefined) {
    issues.push({ path: "profile", message: "with accounts, give each account its profile (accounts[i].profile)" });
  }
  const accounts = (b.accounts ?? (b.account === undefined ? [] : [{ ref: b.account, kind: "connection" as const, profile: b.profile ?? "strict" }])).map(
    (a) => ({
      ref: a.ref,
      kind: a.kind,
      profile: a.profile ?? DEFAULT_PROFILE_OF_KIND[a.kind],
    }),
  );
  for (const [i, a] of accounts.entries()) {
    const path = b.accounts === undefined ? "profile" : `accounts.${i}.profile`;
    if (!profileExists(a.profile)) issues.push({ path, message: `profile "${a.profile}" does not exist` });
  }
  // The rules over the list as a whole (at most 20, each account once) are the registration's own.
  const oneForm = (b.account === undefined) !== (b.accounts === undefined);
  const whole = oneForm ? registeredTenantSchema.safeParse({ tenantId, displayName: b.displayName, accounts }) : undefined;
  if (whole && !whole.success) issues.push(...issuesOf(whole.error).filter((i) => i.path.startsWith("accounts")));
  if (issues.length > 0) return { ok: false, error: "invalid tenant", issues };
  return {
    ok: true,
    tenant: {
      tenantId,
      displayName: b.displayName,
      accounts,
      recipients: [...new Map(b.recipients.map((r) => [r.toLowerCase(), r])).values()],
      enabled: b.enabled,
      ...(b.fixApproval === undefined ? {} : { fixApproval: b.fixApproval }),
    },
  };
}
