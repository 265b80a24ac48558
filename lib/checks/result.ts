/**
 * Building CheckResults, and the verdicts every check shares: turned off by the profile, a fact
 * that could not be read (`unknown`, naming the permission) or needs a licence (`skipped`), and
 * an account that does not exist (`skipped`: the `account` check already fails for it).
 */
import type { AccountFact, CheckResult, CheckStatus, Fact, Profile, TenantFacts } from "../model/index.js";
import type { CheckMeta } from "./types.js";

type Extra = Omit<CheckResult, "id" | "status" | "summary">;

export function result(meta: CheckMeta, status: CheckStatus, summary: string, extra: Extra = {}): CheckResult {
  // Every fail or warn tells a person what to do; the check's own text is the fallback.
  const remediation = status === "fail" || status === "warn" ? (extra.remediation ?? meta.remediation) : extra.remediation;
  const out: { -readonly [K in keyof CheckResult]: CheckResult[K] } = { id: meta.id, status, summary };
  if (extra.reason !== undefined) out.reason = extra.reason;
  if (remediation !== undefined) out.remediation = remediation;
  if (extra.findings !== undefined) out.findings = extra.findings;
  if (extra.evidence !== undefined && extra.evidence.length > 0) out.evidence = extra.evidence;
  if (extra.missingFacts !== undefined && extra.missingFacts.length > 0) out.missingFacts = extra.missingFacts;
  return out;
}

type FailedFact = Extract<Fact<unknown>, { ok: false }>;

/** "Graph answered 403 (needs Policy.Read.All)": the reason, with the permission when Graph named one. */
export function describeFailure(fact: FailedFact): string {
  if (fact.permission === undefined || fact.reason.includes(fact.permission)) return fact.reason;
  return `${fact.reason} (needs ${fact.permission})`;
}

/** `skipped` for a licence gap, `unknown` for every other failure; null when the fact was read. */
export function unreadable(meta: CheckMeta, fact: Fact<unknown>, what: string): CheckResult | null {
  if (fact.ok) return null;
  if (fact.code === "unlicensed") {
    return result(meta, "skipped", `Skipped: reading ${what} needs a licence the tenant lacks`, { reason: fact.reason });
  }
  return result(meta, "unknown", `Could not read ${what}`, { reason: describeFailure(fact) });
}

/** Turned off by the profile: the profile's name is only quoted, never branched on. */
export function disabledByProfile(meta: CheckMeta, profile: Profile): CheckResult | null {
  if (!profile.disabledChecks.includes(meta.id)) return null;
  return result(meta, "skipped", `Turned off by profile ${profile.name}`, {
    reason: `Profile ${profile.name} does not check this requirement (${meta.requirement}).`,
  });
}

type AccountGate = { readonly ok: true; readonly account: AccountFact } | { readonly ok: false; readonly result: CheckResult };

/** The account the check is about, or the verdict when there is none to judge. */
function requireAccount(meta: CheckMeta, facts: TenantFacts): AccountGate {
  const fact = facts.account;
  if (!fact.ok) {
    const problem = unreadable(meta, fact, "the account");
    return { ok: false, result: problem ?? result(meta, "unknown", "Could not read the account") };
  }
  if (fact.value === null) {
    return {
      ok: false,
      result: result(meta, "skipped", "Skipped: the account does not exist", {
        reason: `Graph has no user ${facts.accountRef}; the account check reports it.`,
      }),
    };
  }
  return { ok: true, account: fact.value };
}

/** Profile switch first, then the account: the common opening of every account-bound check. */
export function gate(meta: CheckMeta, facts: TenantFacts, profile: Profile): AccountGate {
  const off = disabledByProfile(meta, profile);
  if (off) return { ok: false, result: off };
  return requireAccount(meta, facts);
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
