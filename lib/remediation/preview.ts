/**
 * The preview of a fix: read the resource it changes, fresh, with the remediation app, and let the
 * check's planner say exactly what would be sent. The target comes from outside (a dashboard form,
 * the CLI), so it is validated here.
 */
import { z } from "zod";
import type { Transport } from "../graph/transport.js";
import { toCaPolicies } from "../graph/facts/conditional-access-policies.js";
import { planPolicyExclusion } from "../checks/conditional-access/remediation.js";
import { planPerUserMfaDisable } from "../checks/per-user-mfa/remediation.js";
import { planCampaignExclusion } from "../checks/mfa-registration/remediation.js";
import { planPasswordNeverExpires } from "../checks/password-expiry/remediation.js";
import type { GraphApiVersion, JsonObject, Remediation } from "./plan.js";
import { RemediationError } from "./errors.js";
import { readOrThrow } from "./read.js";

const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "an object id (GUID)");

export const fixTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ca-exclude-account"), policyId: id, accountId: id }),
  z.object({ kind: z.literal("per-user-mfa-disable"), accountId: id }),
  z.object({ kind: z.literal("campaign-exclude-account"), accountId: id }),
  z.object({ kind: z.literal("password-never-expires"), accountId: id, expired: z.boolean().optional() }),
]);
export type FixTarget = z.infer<typeof fixTargetSchema>;

const objectSchema = z.record(z.string(), z.unknown());
const requirementsSchema = z.looseObject({ perUserMfaState: z.enum(["disabled", "enabled", "enforced"]) });
const userSchema = z.looseObject({ id: z.string(), passwordPolicies: z.string().nullish() });

const readJson = (transport: Pick<Transport, "get">, version: GraphApiVersion, url: string): Promise<unknown> =>
  readOrThrow(transport, version, url, "for the preview");

function shape<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new RemediationError("ReadFailed", `Graph answered ${what} in an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

export async function previewFix(transport: Pick<Transport, "get">, input: unknown): Promise<Remediation> {
  const target = fixTargetSchema.parse(input);
  const user = encodeURIComponent(target.accountId);
  switch (target.kind) {
    case "ca-exclude-account": {
      const body = await readJson(transport, "v1.0", `/identity/conditionalAccess/policies/${encodeURIComponent(target.policyId)}`);
      const policies = toCaPolicies([body]);
      if (!policies.ok) throw new RemediationError("ReadFailed", `Graph answered the policy in an unexpected shape: ${policies.problem}`);
      return planPolicyExclusion({ policy: policies.value[0]!, accountId: target.accountId });
    }
    case "per-user-mfa-disable": {
      const body = await readJson(transport, "beta", `/users/${user}/authentication/requirements`);
      return planPerUserMfaDisable({ requirements: shape(requirementsSchema, body, "per-user MFA"), accountId: target.accountId });
    }
    case "campaign-exclude-account": {
      const body = await readJson(transport, "v1.0", "/policies/authenticationMethodsPolicy");
      return planCampaignExclusion({ policy: shape(objectSchema, body, "the methods policy") as JsonObject, accountId: target.accountId });
    }
    case "password-never-expires": {
      const body = shape(userSchema, await readJson(transport, "v1.0", `/users/${user}?$select=id,passwordPolicies`), "the user");
      return planPasswordNeverExpires({ account: { id: body.id, passwordPolicies: body.passwordPolicies ?? null }, expired: target.expired });
    }
  }
}
