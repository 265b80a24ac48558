/**
 * The tenant page's decision forms (lib/dashboard/standings-section.ts), POSTed to
 *   {base}/tenants/{id}/acks | acks/withdraw | exceptions | exceptions/remove
 * after the handler checked the role, the origin and the CSRF token. The form is validated here
 * with zod and decided by the API's and the CLI's path (lib/standings/operate.ts); who decides is
 * the signed-in person the handler verified, never a form field. Saved: 303 back to the page.
 * Not saved: the reason, for the page to show with the forms (400 invalid, 404 gone, 409 changed
 * by someone else meanwhile). The estate page's form approves and removes the estate-wide
 * templates ({base}/estate/exceptions[/remove]) the same way (decideEstate).
 */
import { z } from "zod";
import { ackInputSchema, ESTATE_SCOPE, exceptionInputSchema } from "../../lib/model/standing.js";
import { accountKeySchema } from "../../lib/model/account.js";
import type { Decided } from "../../lib/standings/decide.js";
import { acknowledge, approveException, removeException, withdrawAck } from "../../lib/standings/operate.js";
import type { DashboardDeps } from "./deps.js";

export const DECISION_ROUTES = ["acks", "acks/withdraw", "exceptions", "exceptions/remove"] as const;
export type DecisionRoute = (typeof DECISION_ROUTES)[number];

export const ESTATE_DECISION_ROUTES = ["exceptions", "exceptions/remove"] as const;
export type EstateDecisionRoute = (typeof ESTATE_DECISION_ROUTES)[number];

type Outcome = { readonly ok: true; readonly flash: string } | { readonly ok: false; readonly status: 400 | 404 | 409; readonly problem: string };

const finding = {
  checkId: z.string({ error: "the finding's check is missing" }).trim().min(1).max(100),
  subject: z.string().trim().max(100).default(""),
  /** The account the finding is of (absent: the tenant's first): its acknowledgement lives in that account's partition. */
  account: accountKeySchema.default(""),
};
const ackForm = z.object({
  ...finding,
  reason: z.string({ error: "reason is required" }),
  days: z.coerce
    .number({ error: "days must be a number" })
    .int({ error: "days must be a whole number" })
    .min(1, { error: "days must be at least 1" })
    .max(30, { error: "days must be at most 30" }),
});
const exceptForm = z.object({
  ...finding,
  /** "account": the finding's account alone; absent or "tenant": every account of the tenant (a tenant with one account offers no choice). */
  cover: z.enum(["account", "tenant"], { error: "choose whom the exception covers: this account, or every account" }).default("tenant"),
  what: z.enum(["policy", "check"], { error: "choose what may differ: the policy may apply, or the check is waived" }),
  reason: z.string({ error: "reason is required" }),
  owner: z.string({ error: "owner is required" }),
  reference: z.string({ error: "reference (ticket) is required" }),
  expiresAt: z.string({ error: "expires is required: a date within a year" }),
});
const estateExceptForm = z.object({
  what: z.enum(["policy", "check"], { error: "choose what may differ: a policy may apply, or a check is waived" }),
  policy: z.string().optional(),
  controls: z.string().optional(),
  checkId: z.string().optional(),
  reason: z.string({ error: "reason is required" }),
  owner: z.string({ error: "owner is required" }),
  reference: z.string({ error: "reference (ticket) is required" }),
  expiresAt: z.string({ error: "expires is required: a date within a year" }),
});
const withdrawForm = z.object(finding);
const removeForm = z.object({ id: z.string({ error: "the exception's id is missing" }).trim().min(1).max(300) });

/** Our messages name their field; zod's own (capitalised, "Too big: …") get the field's name in front. */
const said = (i: z.core.$ZodIssue): string => (i.path.length > 0 && /^[A-Z]/.test(i.message) ? `${String(i.path[0])}: ${i.message}` : i.message);
const invalid = (error: z.ZodError): Outcome => ({ ok: false, status: 400, problem: error.issues.map(said).join("; ") });

function outcome<T>(decided: Decided<T>, flash: string): Outcome {
  if (decided.ok) return { ok: true, flash };
  const problem = decided.status === 409 ? `${decided.error}. Reload the page to see it as it is now.` : decided.error;
  return { ok: false, status: decided.status, problem };
}

/** Empty fields are absent: "reason is required", not "must not be empty", and the schema's defaults apply. */
const fields = (form: URLSearchParams): Record<string, string> => Object.fromEntries([...form].filter(([, v]) => v.trim() !== ""));

export async function decide(route: DecisionRoute, form: URLSearchParams, by: string, tenantId: string, deps: DashboardDeps): Promise<Outcome> {
  const raw = fields(form);
  const now = deps.now();
  if (route === "acks") {
    const f = ackForm.safeParse(raw);
    if (!f.success) return invalid(f.error);
    const input = ackInputSchema.safeParse({ checkId: f.data.checkId, subject: f.data.subject, reason: f.data.reason, by, for: `${f.data.days}d` });
    if (!input.success) return invalid(input.error);
    return outcome(await acknowledge(deps.operate, tenantId, { ...input.data, accountKey: f.data.account }, now), "acknowledged");
  }
  if (route === "acks/withdraw") {
    const f = withdrawForm.safeParse(raw);
    if (!f.success) return invalid(f.error);
    return outcome(await withdrawAck(deps.operate, tenantId, `${f.data.checkId}|${f.data.subject}`, by, now, f.data.account), "ack-withdrawn");
  }
  if (route === "exceptions/remove") {
    const f = removeForm.safeParse(raw);
    if (!f.success) return invalid(f.error);
    return outcome(await removeException(deps.operate, tenantId, f.data.id, by, now), "exception-removed");
  }
  const f = exceptForm.safeParse(raw);
  if (!f.success) return invalid(f.error);
  const { what, checkId, subject, account, cover, reason, owner, reference, expiresAt } = f.data;
  if (what === "policy" && (checkId !== "conditional-access" || subject === "")) {
    return { ok: false, status: 400, problem: "only a Conditional Access policy's finding can be excepted as a policy that may apply" };
  }
  const target = what === "policy" ? { policy: subject } : { checkId };
  const scoped = cover === "account" ? { accountKey: account } : {};
  const input = exceptionInputSchema.safeParse({ ...scoped, ...target, reason, owner, reference, expiresAt, by });
  if (!input.success) return invalid(input.error);
  // For every account, the policy's controls are read where the operator saw it: the finding's account's report.
  return outcome(await approveException(deps.operate, tenantId, input.data, now, account), "excepted");
}

/** The estate page's form: an estate-wide template approved or removed by `by`. */
export async function decideEstate(route: EstateDecisionRoute, form: URLSearchParams, by: string, deps: DashboardDeps): Promise<Outcome> {
  const raw = fields(form);
  const now = deps.now();
  if (route === "exceptions/remove") {
    const f = removeForm.safeParse(raw);
    if (!f.success) return invalid(f.error);
    return outcome(await removeException(deps.operate, ESTATE_SCOPE, f.data.id, by, now), "estate-exception-removed");
  }
  const f = estateExceptForm.safeParse(raw);
  if (!f.success) return invalid(f.error);
  const { what, policy, controls, checkId, reason, owner, reference, expiresAt } = f.data;
  if (what === "policy" && (policy === undefined || controls === undefined)) {
    return { ok: false, status: 400, problem: "a policy that may apply needs its display name and the grant controls it may have" };
  }
  const target = what === "policy" ? { policy, controls } : { checkId };
  const input = exceptionInputSchema.safeParse({ ...target, reason, owner, reference, expiresAt, by });
  if (!input.success) return invalid(input.error);
  return outcome(await approveException(deps.operate, ESTATE_SCOPE, input.data, now), "estate-excepted");
}
