/** Every status of the user-risk check, and the conditional-access hook: a user risk the policy names makes it blocking. */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import type { RiskyUserFact } from "../../../lib/model/index.js";
import { facts, failed, ok, policy } from "./builders.js";
import { both, expectRow, forbidden, notFound, strict } from "./checks-helpers.js";

const risk = (riskLevel: string, riskState: string): ReturnType<typeof ok<RiskyUserFact>> =>
  ok({ riskLevel, riskState, riskDetail: null, riskLastUpdatedDateTime: "2026-01-02T10:00:00Z" });

describe("user-risk (R10)", () => {
  it.each(
    both([
      { name: "no risk record", facts: facts(), status: "pass", summary: "The account is not at risk" },
      { name: "remediated", facts: facts({ riskyUser: risk("none", "remediated") }), status: "pass", evidence: /riskState remediated/ },
      { name: "dismissed", facts: facts({ riskyUser: risk("none", "dismissed") }), status: "pass" },
      { name: "high", facts: facts({ riskyUser: risk("high", "atRisk") }), status: "warn", summary: "The account is at high user risk in Identity Protection" },
      { name: "low, at risk", facts: facts({ riskyUser: risk("low", "atRisk") }), status: "warn", summary: /at low user risk/ },
      { name: "confirmed compromised", facts: facts({ riskyUser: risk("high", "confirmedCompromised") }), status: "warn", summary: /confirmed compromised/ },
      {
        name: "no P2",
        facts: facts({ riskyUser: failed("unlicensed", "The tenant has no Entra ID P2 licence") }),
        status: "skipped",
        summary: /needs Entra ID P2/,
        reason: /P2/,
      },
      {
        name: "no permission: skipped, naming it",
        facts: facts({ riskyUser: forbidden("IdentityRiskyUser.Read.All") }),
        status: "skipped",
        summary: /grant the application IdentityRiskyUser.Read.All/,
        reason: /IdentityRiskyUser.Read.All/,
      },
      { name: "Graph down: unknown", facts: facts({ riskyUser: failed("unavailable", "Graph answered 503") }), status: "unknown", reason: /503/ },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_name, row, profile) => expectRow("user-risk", row, profile));
});

describe("conditional-access: the account's user risk", () => {
  const riskPolicy = (levels: string[], extra: Record<string, unknown> = {}) =>
    policy({ id: "p-risk", displayName: "Block high user risk", conditions: { userRiskLevels: levels, ...extra } });
  const effect = (userRisk: ReturnType<typeof risk> | ReturnType<typeof failed<RiskyUserFact>>, p = riskPolicy(["high"])) => {
    const r = CHECKS["conditional-access"].run(facts({ conditionalAccessPolicies: ok([p]), riskyUser: userRisk }), strict);
    return { status: r.status, finding: r.findings?.[0] };
  };

  it.each([
    ["no risk: conditional", risk("none", "none"), "warn", "conditional"],
    ["a level the policy does not name: conditional", risk("medium", "atRisk"), "warn", "conditional"],
    ["a level it names: blocking", risk("high", "atRisk"), "fail", "blocking"],
    ["confirmed compromised at a level it names: blocking", risk("high", "confirmedCompromised"), "fail", "blocking"],
    ["remediated: conditional", risk("none", "remediated"), "warn", "conditional"],
    ["risk unreadable (no P2): conditional, not unknown", failed<RiskyUserFact>("unlicensed", "no P2"), "warn", "conditional"],
  ] as const)("%s", (_name, userRisk, status, eff) => {
    const { status: s, finding } = effect(userRisk);
    expect(s).toBe(status);
    expect(finding?.effect).toBe(eff);
    if (eff === "blocking") expect(finding?.reason).toMatch(/user risk is high, which meets the policy's user-risk condition/);
  });

  it("stays conditional when another condition narrows it too", () => {
    const p = riskPolicy(["high"], { platforms: { includePlatforms: ["android"] } });
    expect(effect(risk("high", "atRisk"), p).finding?.effect).toBe("conditional");
  });
});
