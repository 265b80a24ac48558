/**
 * The fact registry, fact by fact: what the collector, the pacer and the doctor take from each
 * definition is there, and each normaliser refuses a malformed answer with a problem a person
 * can place (the path and what was wrong), which becomes the fact's invalid-response reason.
 */
import { describe, expect, it } from "vitest";
import { factFromResult } from "../../../lib/graph/fact-result.js";
import { FACTS, FACT_KEYS, factRecord, type FactDefinition, type Licence } from "../../../lib/graph/facts/index.js";
import type { FactKey } from "../../../lib/model/facts.js";

/** The budgets and licences the design states (formerly FACT_BUDGETS and the premium flags; PIM needs P2). */
const EXPECTED: Record<FactKey, { budget?: "ca" | "reports"; licence?: Licence; version: "v1.0" | "beta" }> = {
  account: { version: "v1.0" },
  membership: { version: "v1.0" },
  roleAssignments: { version: "v1.0" },
  roleEligibility: { licence: "Entra ID P2", version: "v1.0" },
  roleAssignmentInstances: { licence: "Entra ID P2", version: "v1.0" },
  conditionalAccessPolicies: { budget: "ca", version: "v1.0" },
  securityDefaults: { version: "v1.0" },
  authMethods: { version: "v1.0" },
  registrationDetails: { budget: "reports", licence: "Entra ID P1", version: "v1.0" },
  registrationCampaign: { version: "v1.0" },
  perUserMfa: { version: "beta" },
  domainPasswordPolicies: { version: "v1.0" },
  signInActivity: { licence: "Entra ID P1", version: "v1.0" },
  riskyUser: { licence: "Entra ID P2 (Identity Protection)", version: "v1.0" },
  signInContexts: { budget: "reports", licence: "Entra ID P1", version: "beta" },
  namedLocations: { budget: "ca", version: "v1.0" },
  sessionRevocation: { budget: "reports", version: "v1.0" },
  signIns: { budget: "reports", licence: "Entra ID P1", version: "beta" },
  appPermissions: { version: "v1.0" },
};

const ctx = { objectId: "6f1c0f5a-0000-4000-8000-000000000001", signInsSince: "2026-01-01T00:00:00.000Z" };

/** What the batch runner hands over for a malformed 200: a page list for paged facts, a body otherwise. */
function malformed(def: FactDefinition<unknown>): { ok: true; status: number; body: unknown; values?: unknown[] }[] {
  return def.paged
    ? [
        { ok: true, status: 200, body: undefined, values: [{}] },
        { ok: true, status: 200, body: undefined, values: [42] },
      ]
    : [
        { ok: true, status: 200, body: {} },
        { ok: true, status: 200, body: "not an object" },
      ];
}

describe("the fact registry", () => {
  it("holds every fact of TenantFacts, each under its own key, in the batching order", () => {
    expect(FACT_KEYS).toEqual(Object.keys(EXPECTED));
    for (const key of FACT_KEYS) expect(FACTS[key].fact).toBe(key);
    expect(Object.keys(factRecord(() => ({ ok: false, code: "unavailable", reason: "x" })))).toEqual(FACT_KEYS);
  });

  it("gives every request an id unique across facts (they share batches) and a URL relative to the version", () => {
    const ids = FACT_KEYS.flatMap((key) => FACTS[key].requests(ctx).map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const key of FACT_KEYS) for (const r of FACTS[key].requests(ctx)) expect(r.url, key).toMatch(/^\/[a-zA-Z]/);
  });

  describe.each(FACT_KEYS)("%s", (key) => {
    const def: FactDefinition<unknown> = FACTS[key];

    it("names a permission, a version, its words, its licence and its budget", () => {
      expect(def.permission).toMatch(/^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/);
      expect(def.version).toBe(EXPECTED[key].version);
      expect(def.reads.trim()).not.toBe("");
      expect(def.subject).toMatch(/^the /);
      expect(def.licence).toBe(EXPECTED[key].licence);
      expect(def.budget).toBe(EXPECTED[key].budget);
      const tenantWide = ["account", "conditionalAccessPolicies", "securityDefaults", "registrationCampaign", "domainPasswordPolicies", "namedLocations"];
      tenantWide.push("appPermissions");
      expect(def.needsObjectId).toBe(!tenantWide.includes(key));
    });

    it("refuses a malformed answer with a clear problem, which the fact carries as invalid-response", () => {
      for (const result of malformed(def)) {
        const n = def.paged ? def.normalise(result.values ?? []) : def.normalise(result.body);
        expect(n.ok).toBe(false);
        const problem = n.ok ? "" : n.problem;
        // "<path>: <what>", the path naming the entry of a list: value[0].id, (root), isEnabled…
        expect(problem).toMatch(def.paged ? /^value\[0\]\.?[^:]*: \S/ : /^[^:]+: \S/);
        expect(problem).toContain("expected");
        const fact = factFromResult(def, result);
        expect(fact).toMatchObject({ ok: false, code: "invalid-response" });
        expect(fact.ok ? "" : fact.reason).toBe(`Graph's answer for ${def.subject} did not have the documented shape: ${problem}`);
      }
    });

    it(key === "account" || key === "riskyUser" ? "reads a 404 as an answer: no account, no risk record" : "reads a 404 as a failure", () => {
      const fact = factFromResult(def, { ok: false, kind: "http", status: 404, body: undefined, attempts: 1 });
      if (key === "account") expect(fact).toEqual({ ok: true, value: null });
      else if (key === "riskyUser")
        expect(fact).toEqual({ ok: true, value: { riskLevel: "none", riskState: "none", riskDetail: null, riskLastUpdatedDateTime: null } });
      else expect(fact).toMatchObject({ ok: false, code: "unavailable", httpStatus: 404 });
    });
  });
});
