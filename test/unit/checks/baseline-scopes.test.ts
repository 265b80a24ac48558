/**
 * "All resources" with resource exclusions: Microsoft evaluates a sign-in that requests only baseline
 * scopes as Windows Azure Active Directory, and such a policy is enforced on it whatever it excludes
 * (docs/conditional-access.md). Table-driven: the profile's assumed sign-ins, one observed sign-in,
 * and the policy's verdict from observed sign-ins.
 */
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../../lib/checks/conditional-access/evaluate-policy.js";
import { locationIndex } from "../../../lib/checks/conditional-access/locations.js";
import { evaluateContext } from "../../../lib/checks/conditional-access/observed.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import { APP } from "../../../lib/checks/well-known.js";
import type { CaApplications, CaEffect, SignInContext } from "../../../lib/model/index.js";
import { context, policy } from "./builders.js";
import { ipLocation, signInContext } from "./observed-contexts-helpers.js";

const strict = PROFILES.strict!;
const AAD = APP.azureAdGraph;
const GRAPH = APP.microsoftGraph;
const EXO = APP.exchangeOnline;
/** Every resource app the strict profile assumes the account signs in to. */
const EVERY_ACCOUNT_APP = [...strict.signInApps];
const BASELINE = /^baseline scopes: .* evaluated as Windows Azure Active Directory, which resource exclusions no longer exempt .*2026-06-15/;

const apps = (a: Partial<CaApplications>) => ({ applications: { includeApplications: [], excludeApplications: [], includeUserActions: [], ...a } });
const mfa = { operator: "OR", builtInControls: ["mfa"] };

interface ProfileRow {
  readonly name: string;
  readonly apps: Partial<CaApplications>;
  readonly effect: CaEffect;
  /** The narrowing conditions: "baseline" for the rule's one. */
  readonly conditions?: readonly string[] | "baseline";
}

const ALL_BUT = (...ids: string[]): Partial<CaApplications> => ({ includeApplications: ["All"], excludeApplications: ids });

describe("the profile's assumed sign-ins", () => {
  it.each<ProfileRow>([
    {
      name: "All, every account app excluded: conditional on baseline scopes",
      apps: ALL_BUT(...EVERY_ACCOUNT_APP),
      effect: "conditional",
      conditions: "baseline",
    },
    { name: "All, only Exchange excluded: the other apps are covered, blocking as before", apps: ALL_BUT(EXO), effect: "blocking", conditions: [] },
    { name: "All, nothing excluded: blocking as before", apps: { includeApplications: ["All"] }, effect: "blocking", conditions: [] },
    { name: "named apps, not All: an exclusion still exempts", apps: { includeApplications: [EXO], excludeApplications: [EXO] }, effect: "not-applicable" },
    {
      name: "Office365 with Office365 excluded: not All, not reached",
      apps: { includeApplications: ["Office365"], excludeApplications: ["Office365"] },
      effect: "not-applicable",
    },
  ])("$name", (row) => {
    const f = evaluatePolicy(policy({ conditions: apps(row.apps), grantControls: mfa }), context(), strict);
    expect(f?.effect).toBe(row.effect);
    if (row.conditions === "baseline") {
      expect(f?.conditions).toHaveLength(1);
      expect(f?.conditions?.[0]).toMatch(BASELINE);
    } else if (row.conditions) {
      expect(f?.conditions ?? []).toEqual(row.conditions);
    }
  });

  it("report-only: would apply conditionally if enforced", () => {
    const p = policy({ state: "enabledForReportingButNotEnforced", conditions: apps(ALL_BUT(...EVERY_ACCOUNT_APP)), grantControls: mfa });
    expect(evaluatePolicy(p, context(), strict)?.reason).toMatch(/report-only, would apply conditionally if enforced/);
  });

  it("an account that signs in to neither Graph is not reached", () => {
    const exchangeOnly = { ...strict, signInApps: [EXO] };
    const f = evaluatePolicy(policy({ conditions: apps(ALL_BUT(EXO)), grantControls: mfa }), context(), exchangeOnly);
    expect(f?.effect).toBe("not-applicable");
    expect(f?.reason).toMatch(/the account's apps are in its excluded applications/);
  });
});

interface ContextRow {
  readonly name: string;
  readonly apps: Partial<CaApplications>;
  readonly ctx: Partial<SignInContext>;
  readonly applies: "yes" | "no" | "maybe";
  readonly why?: RegExp;
}

const TO_GRAPH = { resourceId: GRAPH, resourceDisplayName: "Microsoft Graph" };
const TO_AAD = { resourceId: AAD, resourceDisplayName: "Windows Azure Active Directory" };

describe("one observed sign-in", () => {
  it.each<ContextRow>([
    {
      name: "to Microsoft Graph, excluded from All: maybe (the log does not show the scopes)",
      apps: ALL_BUT(GRAPH),
      ctx: TO_GRAPH,
      applies: "maybe",
      why: /Microsoft Graph is among its excluded applications, but baseline scopes: /,
    },
    {
      name: "to Windows Azure Active Directory, excluded from All: met (directory access)",
      apps: ALL_BUT(AAD, EXO),
      ctx: TO_AAD,
      applies: "yes",
      why: /Windows Azure Active Directory is among its excluded applications, but its resource exclusions do not exempt directory access/,
    },
    {
      name: "to Exchange, excluded from All: not met (an Exchange token carries Exchange's scopes)",
      apps: ALL_BUT(EXO),
      ctx: {},
      applies: "no",
      why: /Exchange Online is among its excluded applications$/,
    },
    {
      name: "to Microsoft Graph, excluded from named apps (not All): not met",
      apps: { includeApplications: [GRAPH, EXO], excludeApplications: [GRAPH] },
      ctx: TO_GRAPH,
      applies: "no",
    },
    { name: "to Microsoft Graph, not excluded: met, nothing to explain", apps: ALL_BUT(EXO), ctx: TO_GRAPH, applies: "yes", why: /^$/ },
  ])("$name", (row) => {
    const verdict = evaluateContext(policy({ conditions: apps(row.apps) }), signInContext(row.ctx), locationIndex(null));
    expect(verdict.applies).toBe(row.applies);
    if (row.why) expect(verdict.why).toMatch(row.why);
  });

  it("a location the sign-in does not meet still rules it out", () => {
    const p = policy({ conditions: { ...apps(ALL_BUT(AAD)), locations: { includeLocations: ["loc-x"] } } });
    expect(evaluateContext(p, signInContext(TO_AAD), locationIndex([ipLocation("loc-x", ["192.0.2.0/24"])])).applies).toBe("no");
  });
});

describe("the policy's verdict from observed sign-ins", () => {
  const observed = (contexts: SignInContext[]) => ({ contexts, locations: locationIndex(null) });
  const excluding = (...ids: string[]) => policy({ conditions: apps({ includeApplications: ["All"], excludeApplications: ids }), grantControls: mfa });

  const EXCHANGE = { resourceId: EXO, resourceDisplayName: "Exchange Online" };
  it.each([
    {
      name: "signs in to Windows Azure Active Directory: blocking, saying why the exclusion does not count",
      excluded: [AAD],
      contexts: [TO_AAD],
      effect: "blocking",
      reason: /blocks sign-ins from 203\.0\.113\.7 \(US\) to Windows Azure Active Directory \(.*do not exempt directory access \(baseline scopes\)/,
    },
    {
      name: "signs in to Microsoft Graph and Exchange, both excluded: conditional",
      excluded: [GRAPH, EXO],
      contexts: [TO_GRAPH, EXCHANGE],
      effect: "conditional",
      reason: /included via/,
    },
    {
      name: "signs in to Exchange only, excluded: not applicable as before",
      excluded: [EXO],
      contexts: [EXCHANGE],
      effect: "not-applicable",
      reason: /Exchange Online is among its excluded applications/,
    },
  ] as const)("$name", ({ excluded, contexts, effect, reason }) => {
    const f = evaluatePolicy(excluding(...excluded), context(), strict, observed(contexts.map((c) => signInContext(c))));
    expect(f?.effect).toBe(effect);
    expect(f?.reason).toMatch(reason);
    if (effect === "conditional") expect(f?.conditions?.join("; ")).toMatch(/Microsoft Graph is among its excluded applications, but baseline scopes/);
  });
});
