/** The controls and the policy state in the Conditional Access evaluation, one row each, and the evaluation's edge cases. */
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../../lib/checks/index.js";
import { ACCOUNT_ID, context, policy } from "./builders.js";
import type { Row } from "./evaluate-policy-helpers.js";
import { GRAPH, apps, expectRow, strict, users } from "./evaluate-policy-helpers.js";

const rows: Row[] = [
  // Clause 5: controls
  { name: "block", policy: policy({ grantControls: { operator: "OR", builtInControls: ["block"] } }), effect: "blocking", controls: ["block"] },
  {
    name: "compliant device AND hybrid joined",
    policy: policy({ grantControls: { operator: "AND", builtInControls: ["compliantDevice", "domainJoinedDevice"] } }),
    effect: "blocking",
    controls: ["compliantDevice", "domainJoinedDevice"],
  },
  {
    name: "approved or compliant app, OR",
    policy: policy({ grantControls: { operator: "OR", builtInControls: ["approvedApplication", "compliantApplication"] } }),
    effect: "blocking",
  },
  {
    name: "password change",
    policy: policy({ grantControls: { operator: "AND", builtInControls: ["mfa", "passwordChange"] } }),
    effect: "blocking",
    controls: ["mfa", "passwordChange"],
  },
  {
    name: "authentication strength",
    policy: policy({
      grantControls: {
        operator: "OR",
        builtInControls: [],
        authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA" },
      },
    }),
    effect: "blocking",
    controls: ["authentication strength Phishing-resistant MFA"],
  },
  {
    name: "terms of use",
    policy: policy({ grantControls: { operator: "OR", builtInControls: [], termsOfUse: ["tou-1"] } }),
    effect: "blocking",
    controls: ["terms of use"],
  },
  {
    name: "custom control",
    policy: policy({ grantControls: { operator: "OR", customAuthenticationFactors: ["Duo"] } }),
    effect: "blocking",
    controls: ["custom control Duo"],
  },
  {
    name: "session controls only",
    policy: policy({ grantControls: null, sessionControls: { signInFrequency: { value: 1, type: "hours", isEnabled: true }, persistentBrowser: null } }),
    effect: "session-only",
    reason: "included via all users; session controls only (sign-in frequency)",
  },
  {
    name: "session control switched off is no control",
    policy: policy({ grantControls: { operator: "OR", builtInControls: [] }, sessionControls: { signInFrequency: { isEnabled: false } } }),
    effect: "not-applicable",
    reason: /no grant or session controls/,
  },
  {
    name: "continuous access evaluation disabled is no control",
    policy: policy({ grantControls: null, sessionControls: { continuousAccessEvaluation: { mode: "disabled" } } }),
    effect: "not-applicable",
    reason: /no grant or session controls/,
  },
  {
    name: "continuous access evaluation strict location is a session control",
    policy: policy({ grantControls: null, sessionControls: { continuousAccessEvaluation: { mode: "strictLocation" } } }),
    effect: "session-only",
    reason: "included via all users; session controls only (continuous access evaluation)",
  },
  {
    name: "grant and session controls: the grant control decides",
    policy: policy({ sessionControls: { applicationEnforcedRestrictions: { isEnabled: true } } }),
    effect: "blocking",
  },

  // State
  {
    name: "report-only that would block",
    policy: policy({ state: "enabledForReportingButNotEnforced" }),
    effect: "report-only",
    reason: /would block if enforced/,
  },
  {
    name: "report-only that would apply conditionally",
    policy: policy({ state: "enabledForReportingButNotEnforced", conditions: { signInRiskLevels: ["high"] } }),
    effect: "report-only",
    conditions: ["sign-in risk: high"],
  },
  {
    name: "report-only session-only",
    policy: policy({
      state: "enabledForReportingButNotEnforced",
      grantControls: null,
      sessionControls: { persistentBrowser: { mode: "never", isEnabled: true } },
    }),
    effect: "report-only",
    reason: /session controls only \(persistent browser\); report-only, would set session controls/,
  },
  {
    name: "report-only, excluded",
    policy: policy({ state: "enabledForReportingButNotEnforced", conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }),
    effect: "excluded",
  },
];

describe("evaluatePolicy", () => {
  it.each(rows)("$name → $effect", expectRow);

  it("skips a disabled policy", () => {
    expect(evaluatePolicy(policy({ state: "disabled" }), context(), strict)).toBeNull();
  });

  it("lists no conditions for a blocking policy and no controls for a pass", () => {
    const blocking = evaluatePolicy(policy(), context(), strict);
    expect(blocking?.conditions).toBeUndefined();
    const excluded = evaluatePolicy(policy({ conditions: users({ includeUsers: ["All"], excludeUsers: [ACCOUNT_ID] }) }), context(), strict);
    expect(excluded?.controls).toBeUndefined();
  });

  it("reads the account's apps and client types from the profile, not from built-in constants", () => {
    const graphOnly = { ...strict, signInApps: [GRAPH] };
    expect(evaluatePolicy(policy({ conditions: apps({ includeApplications: ["Office365"] }) }), context(), graphOnly)?.effect).toBe("not-applicable");
    const legacyClient = { ...strict, clientAppTypes: ["exchangeActiveSync"] };
    expect(evaluatePolicy(policy({ conditions: { clientAppTypes: ["exchangeActiveSync"] } }), context(), legacyClient)?.effect).toBe("blocking");
  });

  it("accepts a policy with null conditions parts and unknown fields", () => {
    const odd = policy({
      conditions: { applications: null, clientAppTypes: null, locations: null, platforms: null, futureCondition: { x: 1 } },
      futureField: true,
    });
    expect(evaluatePolicy(odd, context(), strict)?.effect).toBe("blocking");
  });
});
