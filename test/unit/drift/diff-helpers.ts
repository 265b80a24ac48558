/** Builders shared by the diff-*.test.ts files: a tenant's reports step by step, played through diff from an empty state. */
import { expect } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { CHECK_IDS, type CheckId } from "../../../lib/checks/registry.js";
import type { CheckResult, CheckStatus, Report, TenantStatus } from "../../../lib/model/report.js";
import type { RegisteredMethod, TenantState, Transition } from "../../../lib/model/state.js";
import { tenantStateSchema } from "../../../lib/model/state.js";
import type { Standings } from "../../../lib/drift/standing.js";

export const TENANT = "11111111-1111-1111-1111-111111111111";
const T0 = Date.parse("2026-01-01T00:00:00.000Z");
export const at = (hours: number) => new Date(T0 + hours * 3_600_000);

export interface Step {
  readonly hours: number;
  /** Statuses that differ from `pass`. */
  readonly checks?: Partial<Record<CheckId, CheckStatus>>;
  /** Blocking CA policy ids (makes conditional-access fail). */
  readonly blocking?: readonly string[];
  readonly methods?: readonly RegisteredMethod[] | null;
  /** The connection account's object id in the report; null = the account does not exist. Default "a". */
  readonly account?: string | null;
  /** Checks this version no longer has: left out of the report. */
  readonly retired?: readonly CheckId[];
  /** Grant controls of blocking policies, by policy id (absent: none). */
  readonly controls?: Readonly<Record<string, readonly string[]>>;
  /** Summaries that differ from "{id} is {status}". */
  readonly summaries?: Partial<Record<CheckId, string>>;
  /** Operators' acknowledgements and exceptions this run reads. */
  readonly standings?: Standings;
  /** Expected transitions as "kind" or "kind:findingKey". */
  readonly expect: readonly string[];
}

export function report(step: Step): Report {
  const statuses: Partial<Record<CheckId, CheckStatus>> = { ...step.checks };
  if (step.blocking && step.blocking.length > 0) statuses["conditional-access"] = "fail";
  const checks: CheckResult[] = CHECK_IDS.filter((id) => !step.retired?.includes(id)).map((id) => {
    const status = statuses[id] ?? "pass";
    const check: CheckResult = {
      id,
      status,
      summary: step.summaries?.[id] ?? `${id} is ${status}`,
      ...(status === "unknown" ? { reason: `could not read ${id}` } : {}),
    };
    if (id === "conditional-access") {
      return {
        ...check,
        findings: [
          ...(step.blocking ?? []).map((p) => ({
            policyId: p,
            policyName: `Policy ${p}`,
            state: "enabled",
            effect: "blocking" as const,
            reason: "included via All users",
            ...(step.controls?.[p] ? { controls: [...(step.controls[p] ?? [])] } : {}),
          })),
          { policyId: "excluded-1", policyName: "Excluded", state: "enabled", effect: "excluded" as const, reason: "excluded via user" },
        ],
      };
    }
    return check;
  });
  const all = checks.map((c) => c.status);
  const status: TenantStatus = all.includes("fail") ? "drifted" : all.includes("unknown") ? "unknown" : "compliant";
  return {
    schemaVersion: 1,
    tenantId: TENANT,
    checkedAt: at(step.hours).toISOString(),
    profile: "strict",
    account: step.account === null ? { id: null, userPrincipalName: null } : { id: step.account ?? "a", userPrincipalName: "svc@contoso.com" },
    status,
    warnings: all.filter((s) => s === "warn").length,
    checks,
  };
}

const label = (t: Transition) => ("finding" in t ? `${t.kind}:${t.finding.key}` : t.kind);

export function play(steps: readonly Step[]): { states: TenantState[]; transitions: Transition[][] } {
  let state: TenantState | undefined;
  const states: TenantState[] = [];
  const transitions: Transition[][] = [];
  for (const step of steps) {
    const result = diff(state, report(step), {
      now: at(step.hours),
      reminderHours: 24,
      unknownAlertAfter: 3,
      methods: step.methods,
      ...(step.standings ? { standings: step.standings } : {}),
    });
    expect(result.transitions.map(label), `transitions at +${step.hours}h`).toEqual(step.expect);
    // The state must survive the storage round trip (it is validated on the way back).
    state = tenantStateSchema.parse(JSON.parse(JSON.stringify(result.nextState)));
    states.push(state);
    transitions.push(result.transitions);
  }
  return { states, transitions };
}

export const PWD: RegisteredMethod = { id: "28c10230-6103-485e-b985-444c60001490", type: "passwordAuthenticationMethod", label: null };
export const APP: RegisteredMethod = { id: "6e7c9c3c-0000-4000-8000-000000000001", type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel 8" };
export const FIDO: RegisteredMethod = { id: "f1d0f1d0-0000-4000-8000-000000000002", type: "fido2AuthenticationMethod", label: "YubiKey" };
