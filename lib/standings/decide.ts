/**
 * An operator's acknowledgement or exception, decided from what monitoring knows of the tenant
 * (its stored state) and the validated input. Pure: the store is read and written by operate.ts.
 */
import { failingFindings } from "../drift/observe.js";
import { isOpen, stateOf } from "../drift/finding-stored.js";
import { causeOf, controlsFingerprint } from "../drift/standing.js";
import {
  ESTATE_SCOPE,
  exceptionExpiry,
  exceptionIdOf,
  type AckInput,
  type Acknowledgement,
  type ApprovedException,
  type ExceptionInput,
  type ExceptionTarget,
} from "../model/standing.js";
import type { TenantState } from "../model/state.js";

/** A decision, or why not as an HTTP status and a sentence (the CLI maps it to its exit codes). */
export type Decided<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: 400 | 404 | 409; readonly error: string };

const refuse = (status: 400 | 404 | 409, error: string): Decided<never> => ({ ok: false, status, error });

export function acknowledgementOf(tenantId: string, state: TenantState | undefined, input: AckInput, now: Date): Decided<Acknowledgement> {
  const key = `${input.checkId}|${input.subject}`;
  const open = (state?.findings ?? []).filter((f) => isOpen(stateOf(f)));
  const finding = open.find((f) => f.key === key);
  if (!state || !finding) {
    const listed = open.map((f) => (f.subject ? `${f.checkId} --subject ${f.subject}` : f.checkId)).join("; ");
    return refuse(404, `tenant ${tenantId} has no open finding ${key.replace(/\|$/, "")}${listed ? ` (open: ${listed})` : " (it has no open findings)"}`);
  }
  const ref = failingFindings(state.lastReport).get(key);
  const cause = causeOf(ref ?? { subject: finding.subject, summary: finding.summary, reason: null });
  return {
    ok: true,
    value: {
      schemaVersion: 1,
      tenantId,
      ...(input.accountKey ? { accountKey: input.accountKey } : {}),
      findingKey: key,
      reason: input.reason,
      by: input.by,
      at: now.toISOString(),
      until: new Date(now.getTime() + input.for).toISOString(),
      cause,
      episode: finding.since,
    },
  };
}

/** What the exception allows; a tenant's policy exception records the policy's controls as its last report saw them. */
function targetOf(scope: string, state: TenantState | undefined, input: ExceptionInput): Decided<ExceptionTarget> {
  if (input.checkId !== undefined) return { ok: true, value: { kind: "check-waived", checkId: input.checkId } };
  const policy = input.policy ?? "";
  if (scope === ESTATE_SCOPE) {
    if (!input.controls)
      return refuse(400, "an estate-wide policy exception needs --controls: the grant controls it allows (e.g. block, or mfa+compliantDevice)");
    return { ok: true, value: { kind: "policy-may-apply", policy, controls: input.controls.split("+").sort().join("+") } };
  }
  const ca = state?.lastReport.checks.find((c) => c.id === "conditional-access");
  const seen = ca?.findings?.find((f) => f.policyId === policy);
  if (!seen)
    return refuse(404, `policy ${policy} is not in the last report of tenant ${state?.tenantId ?? "(never checked)"}: check the tenant first, then approve`);
  if (input.controls && input.controls.split("+").sort().join("+") !== controlsFingerprint(seen)) {
    return refuse(409, `policy ${policy} has the controls ${controlsFingerprint(seen)} now, not ${input.controls}`);
  }
  return { ok: true, value: { kind: "policy-may-apply", policy, controls: controlsFingerprint(seen) } };
}

/**
 * `state`: what monitoring knows of the account the exception is for (`input.accountKey`), else of
 * the account whose report shows the policy (the tenant's first unless told): a policy's controls are read there.
 */
export function exceptionOf(scope: string, state: TenantState | undefined, input: ExceptionInput, now: Date): Decided<ApprovedException> {
  const expiry = exceptionExpiry(input.expiresAt, now);
  if (!expiry.ok) return refuse(400, expiry.error);
  const { accountKey } = input;
  if (accountKey !== undefined && scope === ESTATE_SCOPE)
    return refuse(400, "an estate-wide exception covers every account of every tenant: it takes no account (approve it for the tenant instead)");
  // An account that was never checked may be a typo: an exception for it would cover nothing, silently.
  if (accountKey !== undefined && !state)
    return refuse(404, `tenant ${scope} has no checked account with key "${accountKey}": check it first, then approve for it`);
  const target = targetOf(scope, state, input);
  if (!target.ok) return target;
  return {
    ok: true,
    value: {
      schemaVersion: 1,
      id: exceptionIdOf(target.value, accountKey),
      scope,
      ...(accountKey !== undefined ? { accountKey } : {}),
      target: target.value,
      reason: input.reason,
      owner: input.owner,
      reference: input.reference,
      expiresAt: expiry.at,
      by: input.by,
      at: now.toISOString(),
    },
  };
}
