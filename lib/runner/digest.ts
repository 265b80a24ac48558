/**
 * The facts digest decides whether a run is worth a snapshot. It covers the configuration that
 * was read — account, roles, Conditional Access, Security Defaults, per-user MFA, methods,
 * registration — and deliberately leaves out `collectedAt` (every run differs) and the sign-ins
 * (a busy account's new sign-ins would make every run a snapshot; what they mean already shows
 * in the report, and a changed report is a snapshot of its own). For the same reason the account's
 * last sign-in times (`signInActivity`), which move with every sign-in of the automation.
 * A value carried from an earlier read is the same value as read: its carried mark is left out.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../drift/canonical.js";
import type { TenantFacts } from "../model/facts.js";
import type { Report } from "../model/report.js";

/** The facts without the marks of carried values (lib/graph/facts/due.ts). */
function unmarked(facts: TenantFacts): TenantFacts {
  const strip = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null || !("carried" in v)) return v;
    const { carried: _carried, ...rest } = v as Record<string, unknown>;
    return rest;
  };
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, strip(v)])) as unknown as TenantFacts;
}

export function factsDigest(all: TenantFacts): string {
  const facts = unmarked(all);
  const { collectedAt: _collectedAt, signIns: _signIns, signInActivity: _activity, signInLookbackHours: _lookback, signInContexts, whatIf, ...rest } = facts;
  // The contexts without their last-seen times, and What If's answers without when they were
  // given: a busy account's next sign-in from the same place is no change worth a snapshot.
  // signInActivity: the last sign-in times move every run.
  const contexts = signInContexts.ok ? signInContexts.value.map(({ lastSeen: _seen, ...c }) => c) : signInContexts;
  const answers = whatIf?.status === "evaluated" ? whatIf.answers : whatIf;
  return createHash("sha256")
    .update(canonicalJson({ ...rest, signInContexts: contexts, ...(answers ? { whatIf: answers } : {}) }))
    .digest("hex");
}

/** The report's results without its timestamp: equal when nothing judged changed. */
export function resultsDigest(report: Report): string {
  const { checkedAt: _checkedAt, ...rest } = report;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}
