/**
 * Conditional Access clauses 2–4 over observed sign-in contexts: location, platform, client-app and
 * application conditions decided from the account's real sign-ins (table-driven), and what that
 * makes of the policy's effect.
 */
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../../lib/checks/conditional-access/evaluate-policy.js";
import { inCidr } from "../../../lib/checks/conditional-access/ip-range.js";
import { locationIndex } from "../../../lib/checks/conditional-access/locations.js";
import { evaluateContext } from "../../../lib/checks/conditional-access/observed.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import type { CaConditions, NamedLocationFact, SignInContext } from "../../../lib/model/index.js";
import { context, policy } from "./builders.js";
import { countryLocation, EXO, GRAPH, ipLocation, signInContext } from "./observed-contexts-helpers.js";

const OFFICE = ipLocation("loc-office", ["203.0.113.0/24"]);
const V6 = ipLocation("loc-v6", ["2001:db8::/32"]);
const US = countryLocation("loc-us", ["US"]);
const TRUSTED = ipLocation("loc-trusted", ["198.51.100.0/24"], { isTrusted: true });
const GPS = countryLocation("loc-gps", ["US"], { countryLookupMethod: "authenticatorAppGps" });
const CUT = ipLocation("loc-cut", ["192.0.2.0/24"], { truncated: true });
const ALL_LOCATIONS = [OFFICE, V6, US, TRUSTED, GPS, CUT];

describe("inCidr", () => {
  it.each([
    ["203.0.113.7", "203.0.113.0/24", true],
    ["203.0.114.7", "203.0.113.0/24", false],
    ["10.1.2.3", "10.0.0.0/8", true],
    ["10.1.2.3", "10.1.2.3/32", true],
    ["10.1.2.3", "10.1.2.3", true],
    ["2001:db8::1", "2001:db8::/32", true],
    ["2001:db9::1", "2001:db8::/32", false],
    ["::ffff:203.0.113.7", "::ffff:203.0.113.0/120", true],
    ["203.0.113.7", "2001:db8::/32", false],
    ["not-an-ip", "203.0.113.0/24", null],
    ["203.0.113.7", "203.0.113.0/99", null],
  ] as const)("%s in %s → %s", (ip, cidr, expected) => {
    expect(inCidr(ip, cidr)).toBe(expected);
  });
});

type Row = readonly [string, Partial<CaConditions>, Partial<SignInContext>, "yes" | "no" | "maybe", (readonly NamedLocationFact[] | null)?];

const ROWS: readonly Row[] = [
  ["no narrowing condition: met", {}, {}, "yes"],
  // locations
  ["IP location that holds the IP", { locations: { includeLocations: ["loc-office"] } }, {}, "yes"],
  ["IP location that does not hold it", { locations: { includeLocations: ["loc-office"] } }, { ipAddress: "192.0.2.9" }, "no"],
  ["All except the IP's location", { locations: { includeLocations: ["All"], excludeLocations: ["loc-office"] } }, {}, "no"],
  ["All except another location", { locations: { includeLocations: ["All"], excludeLocations: ["loc-v6"] } }, {}, "yes"],
  ["IPv6 location", { locations: { includeLocations: ["loc-v6"] } }, { ipAddress: "2001:db8:1::5" }, "yes"],
  ["country location", { locations: { includeLocations: ["loc-us"] } }, {}, "yes"],
  ["country location, other country", { locations: { includeLocations: ["loc-us"] } }, { country: "FR" }, "no"],
  ["country unknown in the log", { locations: { includeLocations: ["loc-us"] } }, { country: null }, "maybe"],
  ["GPS country lookup cannot be decided", { locations: { includeLocations: ["loc-gps"] } }, {}, "maybe"],
  ["range list cut short", { locations: { includeLocations: ["loc-cut"] } }, {}, "maybe"],
  ["unknown IP", { locations: { includeLocations: ["loc-office"] } }, { ipAddress: null }, "maybe"],
  ["unknown location id", { locations: { includeLocations: ["loc-gone"] } }, {}, "maybe"],
  ["named locations unreadable", { locations: { includeLocations: ["loc-office"] } }, {}, "maybe", null],
  ["AllTrusted with the IP in a trusted location", { locations: { includeLocations: ["AllTrusted"] } }, { ipAddress: "198.51.100.4" }, "yes"],
  ["AllTrusted otherwise: MFA trusted IPs are not in Graph", { locations: { includeLocations: ["AllTrusted"] } }, {}, "maybe"],
  ["All except AllTrusted, IP trusted", { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } }, { ipAddress: "198.51.100.4" }, "no"],
  // platforms
  ["platform included", { platforms: { includePlatforms: ["windows"] } }, {}, "yes"],
  ["platform not included", { platforms: { includePlatforms: ["android", "iOS"] } }, {}, "no"],
  ["all platforms except Windows", { platforms: { includePlatforms: ["all"], excludePlatforms: ["windows"] } }, {}, "no"],
  ["macOS", { platforms: { includePlatforms: ["macOS"] } }, { operatingSystem: "MacOs" }, "yes"],
  ["Linux", { platforms: { includePlatforms: ["all"], excludePlatforms: ["linux"] } }, { operatingSystem: "Linux" }, "no"],
  ["platform not logged", { platforms: { includePlatforms: ["windows"] } }, { operatingSystem: null }, "maybe"],
  // client apps
  ["browser only, desktop client", { clientAppTypes: ["browser"] }, {}, "no"],
  ["browser only, browser", { clientAppTypes: ["browser"] }, { clientAppUsed: "Browser" }, "yes"],
  ["legacy only, IMAP", { clientAppTypes: ["exchangeActiveSync", "other"] }, { clientAppUsed: "IMAP4" }, "yes"],
  ["client app not logged", { clientAppTypes: ["browser"] }, { clientAppUsed: null }, "maybe"],
  // applications
  ["Office365 covers Exchange", { applications: { includeApplications: ["Office365"] } }, {}, "yes"],
  ["Office365 does not cover Graph", { applications: { includeApplications: ["Office365"] } }, { resourceId: GRAPH }, "no"],
  ["Exchange excluded", { applications: { includeApplications: ["All"], excludeApplications: [EXO] } }, {}, "no"],
  ["another app only", { applications: { includeApplications: ["797f4846-ba00-4fd7-ba43-dac1f8f63013"] } }, {}, "no"],
  // what the log cannot decide
  ["sign-in risk", { signInRiskLevels: ["high"] }, {}, "maybe"],
  ["device filter", { devices: { deviceFilter: { mode: "exclude", rule: 'device.trustType -eq "AzureAD"' } } }, {}, "maybe"],
  ["a met location with a risk condition stays undecided", { locations: { includeLocations: ["loc-office"] }, userRiskLevels: ["high"] }, {}, "maybe"],
  ["an unmet platform wins over risk", { platforms: { includePlatforms: ["android"] }, userRiskLevels: ["high"] }, {}, "no"],
];

describe("evaluateContext: one observed sign-in against a policy's conditions", () => {
  it.each(ROWS.map((r) => ({ name: r[0], conditions: r[1], ctx: r[2], expected: r[3], locations: r.length > 4 ? (r[4] ?? null) : ALL_LOCATIONS })))(
    "$name",
    ({ conditions, ctx, expected, locations }) => {
      const verdict = evaluateContext(policy({ conditions }), signInContext(ctx), locationIndex(locations));
      expect(verdict.applies).toBe(expected);
      if (expected !== "yes") expect(verdict.why).not.toBe("");
    },
  );
});

describe("evaluatePolicy with observed sign-ins", () => {
  const strict = PROFILES.strict!;
  const observed = (contexts: SignInContext[]) => ({ contexts, locations: locationIndex(ALL_LOCATIONS) });

  it("a location policy that blocks the account's only IP is blocking, naming the sign-in", () => {
    const p = policy({ conditions: { locations: { includeLocations: ["loc-office"] } }, grantControls: { builtInControls: ["block"] } });
    const f = evaluatePolicy(p, context(), strict, observed([signInContext()]));
    expect(f?.effect).toBe("blocking");
    expect(f?.reason).toContain("blocks sign-ins from 203.0.113.7 (US) to Office 365 Exchange Online");
  });

  it("one that excludes it is not-applicable, with a note that a new context could meet it", () => {
    const p = policy({ conditions: { locations: { includeLocations: ["All"], excludeLocations: ["loc-office"] } } });
    const f = evaluatePolicy(p, context(), strict, observed([signInContext()]));
    expect(f?.effect).toBe("not-applicable");
    expect(f?.reason).toMatch(/excluded locations .* contain 203\.0\.113\.7.*a new sign-in context could/);
  });

  it("one context met and one not: blocking (a real sign-in is stopped)", () => {
    const p = policy({ conditions: { locations: { includeLocations: ["loc-us"] } } });
    const f = evaluatePolicy(p, context(), strict, observed([signInContext({ country: "FR", ipAddress: "192.0.2.1" }), signInContext()]));
    expect(f?.effect).toBe("blocking");
  });

  it("undecided contexts stay conditional, with what is undecided", () => {
    const p = policy({ conditions: { locations: { includeLocations: ["loc-office"] } } });
    const f = evaluatePolicy(p, context(), strict, observed([signInContext({ ipAddress: null })]));
    expect(f?.effect).toBe("conditional");
    expect(f?.conditions?.join(" ")).toContain("unknown IP");
  });

  it("the observed apps replace the profile's: a Graph-only policy is not-applicable to an Exchange-only account", () => {
    const p = policy({ conditions: { applications: { includeApplications: [GRAPH] } } });
    expect(evaluatePolicy(p, context(), strict)?.effect).toBe("blocking");
    expect(evaluatePolicy(p, context(), strict, observed([signInContext()]))?.effect).toBe("not-applicable");
  });

  it("without observed contexts the verdict is as before (conditional)", () => {
    const p = policy({ conditions: { locations: { includeLocations: ["loc-office"] } } });
    expect(evaluatePolicy(p, context(), strict)?.effect).toBe("conditional");
    expect(evaluatePolicy(p, context(), strict, observed([]))?.effect).toBe("conditional");
  });

  it("report-only keeps its verdict", () => {
    const p = policy({ state: "enabledForReportingButNotEnforced", conditions: { locations: { includeLocations: ["loc-office"] } } });
    expect(evaluatePolicy(p, context(), strict, observed([signInContext()]))?.effect).toBe("report-only");
  });
});
