/**
 * The What If comparison, table-driven: agreement, disagreement both ways, and
 * Microsoft's documented gaps handled (conditions left out count as not met, app groups not
 * expanded, service dependencies not evaluated), plus the check's verdicts.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../lib/checks/index.js";
import { locationIndex } from "../../../lib/checks/conditional-access/locations.js";
import { contextKey } from "../../../lib/checks/conditional-access/context-key.js";
import { compareAnswer } from "../../../lib/checks/what-if/compare.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import type { CaPolicy, SignInContext, WhatIfFact } from "../../../lib/model/index.js";
import { ACCOUNT_ID, context, facts, ok, policy } from "./builders.js";
import { EXO, GRAPH, ipLocation, signInContext } from "./observed-contexts-helpers.js";

const TEAMS = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe";
const ARM = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
const OFFICE = ipLocation("loc-office", ["203.0.113.0/24"]);
const index = locationIndex([OFFICE]);

type Row = readonly [string, CaPolicy, Partial<SignInContext>, boolean, string | null, "agree" | "disagree" | "gap" | "undecided"];

const ROWS: readonly Row[] = [
  ["both say it applies", policy(), {}, true, "notSet", "agree"],
  ["both say it does not (excluded)", policy({ conditions: { users: { includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] } } }), {}, false, "users", "agree"],
  [
    "we say applies, What If says not for location",
    policy({ conditions: { locations: { includeLocations: ["loc-office"] } } }),
    {},
    false,
    "location",
    "disagree",
  ],
  [
    "we say excluded, What If says it applies",
    policy({ conditions: { users: { includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] } } }),
    {},
    true,
    "notSet",
    "disagree",
  ],
  [
    "location left out of the request (no IP, no country)",
    policy({ conditions: { locations: { includeLocations: ["All"] } } }),
    { ipAddress: null, country: null },
    false,
    "location",
    "gap",
  ],
  ["platform not logged", policy({ conditions: { platforms: { includePlatforms: ["all"] } } }), { operatingSystem: null }, false, "devicePlatform", "gap"],
  ["notEnoughInformation", policy(), {}, false, "notEnoughInformation", "gap"],
  ["Office 365 app group not expanded", policy({ conditions: { applications: { includeApplications: ["Office365"] } } }), {}, false, "application", "gap"],
  ["a direct app id is compared", policy({ conditions: { applications: { includeApplications: [EXO] } } }), {}, false, "application", "disagree"],
  [
    "service dependency (Teams → Exchange)",
    policy({ conditions: { applications: { includeApplications: [EXO] } } }),
    { resourceId: TEAMS, resourceDisplayName: "Teams" },
    true,
    "notSet",
    "gap",
  ],
  ["our undecided conditions are not compared", policy({ conditions: { signInRiskLevels: ["high"] } }), {}, false, "signInRisk", "undecided"],
  [
    "Graph-only policy, Exchange sign-in, both say no",
    policy({ conditions: { applications: { includeApplications: [GRAPH] } } }),
    {},
    false,
    "application",
    "agree",
  ],
];

describe("compareAnswer", () => {
  it.each(ROWS.map((r) => ({ name: r[0], p: r[1], c: r[2], applies: r[3], reason: r[4], expected: r[5] })))(
    "$name → $expected",
    ({ p, c, applies, reason, expected }) => {
      const ctx = signInContext(c);
      const out = compareAnswer(p, context(), ctx, index, { context: contextKey(ctx), policyId: p.id, policyApplies: applies, analysisReasons: reason });
      expect(out.kind).toBe(expected);
    },
  );
});

describe("the what-if check", () => {
  const strict = PROFILES.strict!;
  const ctx = signInContext();
  const p = policy({ conditions: { locations: { includeLocations: ["loc-office"] } } });
  const run = (whatIf: WhatIfFact | undefined) =>
    evaluate(
      facts({ conditionalAccessPolicies: ok([p]), namedLocations: ok([OFFICE]), signInContexts: ok([ctx]), ...(whatIf ? { whatIf } : { whatIf: undefined }) }),
      strict,
    ).checks.find((c) => c.id === "what-if")!;
  const answer = (policyApplies: boolean) => ({
    context: contextKey(ctx),
    policyId: p.id,
    policyApplies,
    analysisReasons: policyApplies ? "notSet" : "location",
  });

  it("warns with both answers when they disagree", () => {
    const r = run({ status: "evaluated", evaluatedAt: "2026-01-02T12:00:00Z", answers: [answer(false)], contexts: [ctx] });
    expect(r.status).toBe("warn");
    expect(r.reason).toContain(`our evaluator and Microsoft's What If disagree on policy "${p.displayName}" for sign-ins from 203.0.113.7 (US)`);
    expect(r.reason).toContain("What If: does not apply (location)");
  });
  it("passes when they agree", () => {
    expect(run({ status: "evaluated", evaluatedAt: "2026-01-02T12:00:00Z", answers: [answer(true)], contexts: [ctx] }).status).toBe("pass");
  });
  it("a refusal is skipped with the permission to grant, never unknown or fail", () => {
    const r = run({ status: "skipped", reason: "Graph answered 403", permission: "Policy.Read.ConditionalAccess" });
    expect(r.status).toBe("skipped");
    expect(r.summary).toContain("Policy.Read.ConditionalAccess");
  });
  it("not evaluated: skipped", () => {
    expect(run(undefined).status).toBe("skipped");
  });
});

describe("the mandatory-mfa check", () => {
  const strict = PROFILES.strict!;
  const check = (contexts: Parameters<typeof ok<SignInContext[]>>[0]) =>
    evaluate(facts({ signInContexts: ok(contexts) }), strict).checks.find((c) => c.id === "mandatory-mfa")!;
  it.each([
    ["Azure CLI to ARM (phase 2)", { appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", resourceId: ARM }, "fail", "Azure CLI"],
    [
      "Azure PowerShell, resource not logged (phase 2)",
      { appId: "1950a258-227b-4e31-a9cf-717495945fc2", resourceId: null, resourceDisplayName: null },
      "fail",
      "Azure PowerShell",
    ],
    [
      "Azure PowerShell, no resource id but ARM's name",
      { appId: "1950a258-227b-4e31-a9cf-717495945fc2", resourceId: null, resourceDisplayName: "Windows Azure Service Management API" },
      "fail",
      "Azure PowerShell",
    ],
    [
      "Azure PowerShell to Microsoft Graph: not what phase 2 enforces",
      { appId: "1950a258-227b-4e31-a9cf-717495945fc2", resourceId: GRAPH },
      "pass",
      "No recent",
    ],
    ["the Azure portal (phase 1)", { appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c" }, "fail", "Azure portal"],
    ["Azure Resource Manager as the resource", { resourceId: ARM }, "fail", "Azure Resource Manager"],
    ["Exchange Online through PowerShell for AAD", {}, "pass", "No recent sign-in"],
  ] as const)("%s → %s", (_n, over, status, text) => {
    const r = check([signInContext(over)]);
    expect(r.status).toBe(status);
    expect(r.summary).toContain(text);
    if (status === "fail") expect(r.reason).toMatch(/workload identity/);
  });
  it("skipped without a premium licence; unknown when unreadable", () => {
    const r = (f: Parameters<typeof facts>[0]) => evaluate(facts(f), strict).checks.find((c) => c.id === "mandatory-mfa")!.status;
    expect(r({ signInContexts: { ok: false, code: "unlicensed", reason: "needs Entra ID P1" } })).toBe("skipped");
    expect(r({ signInContexts: { ok: false, code: "forbidden", reason: "403", permission: "AuditLog.Read.All" } })).toBe("unknown");
  });
});
