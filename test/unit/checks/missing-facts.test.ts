/**
 * Verdicts that rest on a fact Microsoft Graph cannot give (the legacy MFA trusted IPs inside
 * "AllTrusted", the custom security attributes an application filter reads, the insider risk
 * level) name it; verdicts that are certain, or undecided only for what a sign-in decides, do not.
 */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/registry.js";
import { evaluatePolicy } from "../../../lib/checks/conditional-access/evaluate-policy.js";
import { locationIndex } from "../../../lib/checks/conditional-access/locations.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import type { CaConditions, CaEffect, SignInContext } from "../../../lib/model/index.js";
import { missingFactLine } from "../../../lib/text/missing-facts.js";
import { context, facts, ok, policy } from "./builders.js";
import { ipLocation, signInContext } from "./observed-contexts-helpers.js";

const strict = PROFILES.strict!;
const TRUSTED = ipLocation("loc-trusted", ["198.51.100.0/24"], { isTrusted: true });
const OFFICE = ipLocation("loc-office", ["203.0.113.0/24"]);
const LOCATIONS = [TRUSTED, OFFICE];
const OFF_SITE = signInContext(); // 203.0.113.7: in no trusted named location
const ON_SITE = signInContext({ ipAddress: "198.51.100.9" });
const NO_IP = signInContext({ ipAddress: null });

const TRUSTED_IPS = "MFA trusted IPs";
const ATTRIBUTES = "custom security attributes";
const INSIDER = "insider risk level";

const exceptTrusted: Partial<CaConditions> = { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } };
const onlyTrusted: Partial<CaConditions> = { locations: { includeLocations: ["AllTrusted"], excludeLocations: [] } };
const appFilter = (mode: string): Partial<CaConditions> => ({
  applications: {
    includeApplications: mode === "include" ? [] : ["All"],
    excludeApplications: [],
    applicationFilter: { mode, rule: 'CustomSecurityAttribute.Tier -eq "1"' },
  },
});
const insider: Partial<CaConditions> = { insiderRiskLevels: "elevated" };

interface Row {
  readonly name: string;
  readonly conditions: Partial<CaConditions>;
  /** Observed sign-ins; none = the profile's assumed sign-in. */
  readonly contexts?: readonly SignInContext[];
  readonly state?: string;
  readonly effect: CaEffect;
  readonly missing: readonly string[] | undefined;
}

const ROWS: readonly Row[] = [
  {
    name: "All except AllTrusted, an IP in no trusted named location",
    conditions: exceptTrusted,
    contexts: [OFF_SITE],
    effect: "conditional",
    missing: [TRUSTED_IPS],
  },
  {
    name: "All except AllTrusted, an IP in a trusted named location",
    conditions: exceptTrusted,
    contexts: [ON_SITE],
    effect: "not-applicable",
    missing: undefined,
  },
  { name: "only AllTrusted, an IP in no trusted named location", conditions: onlyTrusted, contexts: [OFF_SITE], effect: "conditional", missing: [TRUSTED_IPS] },
  {
    name: "All except AllTrusted, the IP not logged (the IP is missing, not a Graph fact)",
    conditions: exceptTrusted,
    contexts: [NO_IP],
    effect: "conditional",
    missing: undefined,
  },
  { name: "All except AllTrusted, no sign-in observed (a future IP decides it)", conditions: exceptTrusted, effect: "conditional", missing: undefined },
  {
    name: "one sign-in met for certain, another undecided on trusted IPs",
    conditions: { locations: { includeLocations: ["loc-office", "AllTrusted"] } },
    contexts: [OFF_SITE],
    effect: "blocking",
    missing: undefined,
  },
  {
    name: "report-only, All except AllTrusted, off site",
    conditions: exceptTrusted,
    contexts: [OFF_SITE],
    state: "enabledForReportingButNotEnforced",
    effect: "report-only",
    missing: [TRUSTED_IPS],
  },
  { name: "include-mode application filter, assumed sign-in", conditions: appFilter("include"), effect: "conditional", missing: [ATTRIBUTES] },
  {
    name: "include-mode application filter, observed sign-in",
    conditions: appFilter("include"),
    contexts: [OFF_SITE],
    effect: "conditional",
    missing: [ATTRIBUTES],
  },
  { name: "exclude-mode application filter (Microsoft's apps carry no tag)", conditions: appFilter("exclude"), effect: "blocking", missing: undefined },
  { name: "insider risk, assumed sign-in", conditions: insider, effect: "conditional", missing: [INSIDER] },
  { name: "insider risk, observed sign-in", conditions: insider, contexts: [OFF_SITE], effect: "conditional", missing: [INSIDER] },
  {
    name: "insider risk and All except AllTrusted, off site: both, in one order",
    conditions: { ...insider, ...exceptTrusted },
    contexts: [OFF_SITE],
    effect: "conditional",
    missing: [TRUSTED_IPS, INSIDER],
  },
  {
    name: "a device filter: decided by the sign-in's device, not a missing fact",
    conditions: { devices: { deviceFilter: { mode: "include", rule: 'device.model -eq "X"' } } },
    effect: "conditional",
    missing: undefined,
  },
  { name: "sign-in risk: decided by the sign-in, not a missing fact", conditions: { signInRiskLevels: ["high"] }, effect: "conditional", missing: undefined },
  {
    name: "excluded: nothing rests on the filter",
    conditions: { ...appFilter("include"), users: { includeUsers: ["All"], excludeUsers: ["aaaaaaaa-0000-0000-0000-000000000001"] } },
    effect: "excluded",
    missing: undefined,
  },
];

describe("which fact a verdict rests on that Graph cannot give", () => {
  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_, row) => {
    const p = policy({ conditions: row.conditions, ...(row.state ? { state: row.state } : {}) });
    const observed = row.contexts ? { contexts: row.contexts, locations: locationIndex(LOCATIONS) } : undefined;
    const f = evaluatePolicy(p, context(), strict, observed);
    expect(f?.effect).toBe(row.effect);
    expect(f?.missingFacts).toEqual(row.missing);
  });

  it("AllTrusted undecided because the named locations could not be read names no trusted-IPs fact (Graph can give those)", () => {
    const f = evaluatePolicy(policy({ conditions: exceptTrusted }), context(), strict, { contexts: [OFF_SITE], locations: locationIndex(null) });
    expect(f?.effect).toBe("conditional");
    expect(f?.missingFacts).toBeUndefined();
  });
});

describe("the check names each missing fact once, with the policies that rest on it", () => {
  const run = (policies: ReturnType<typeof policy>[]) =>
    CHECKS["conditional-access"].run(facts({ conditionalAccessPolicies: ok(policies), signInContexts: ok([OFF_SITE]), namedLocations: ok(LOCATIONS) }), strict);

  it("lists them on the result, catalogue order, every policy named", () => {
    const r = run([
      policy({ id: "p1", displayName: "MFA off site", conditions: exceptTrusted }),
      policy({ id: "p2", displayName: "Tier-1 apps", conditions: appFilter("include") }),
      policy({ id: "p3", displayName: "MFA off site (2)", conditions: onlyTrusted }),
    ]);
    expect(r.status).toBe("warn");
    expect(r.missingFacts?.map((m) => [m.fact, m.subjects])).toEqual([
      [TRUSTED_IPS, ["MFA off site", "MFA off site (2)"]],
      [ATTRIBUTES, ["Tier-1 apps"]],
    ]);
    expect(missingFactLine(r.missingFacts![0]!)).toMatch(
      /^Missing fact: MFA trusted IPs \(for "MFA off site", "MFA off site \(2\)"\): .*Graph does not list.*\. Look it up: Entra admin center → .*Configure MFA trusted IPs/,
    );
  });

  it("a fail keeps them beside the blocking policy; a report without them has no field", () => {
    const failing = run([policy({ id: "p0", displayName: "Block" }), policy({ id: "p1", displayName: "MFA off site", conditions: exceptTrusted })]);
    expect(failing.status).toBe("fail");
    expect(failing.missingFacts?.map((m) => m.fact)).toEqual([TRUSTED_IPS]);
    expect(run([policy({ conditions: { signInRiskLevels: ["high"] } })])).not.toHaveProperty("missingFacts");
  });
});
