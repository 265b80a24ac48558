/**
 * The registry is the one list of checks: everything about a check comes from its folder, and
 * the emails follow the registry (README's table is generated from it: test/unit/docs). A check
 * added to the registry without its metadata or its folder fails here.
 */
import { signInContext } from "./observed-contexts-helpers.js";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkTitle, findingLinks, findingRank, requirementOf } from "../../../lib/alerts/render/findings.js";
import { inTenant } from "../../../lib/alerts/render/tenant-links.js";
import { CHECK_IDS, CHECKS, factsReadBy, PROFILES, REGISTRY, securityDefaultsCheck, type Check } from "../../../lib/checks/index.js";
import { checkOf } from "../../../lib/checks/registry.js";
import type { FactKey, TenantFacts } from "../../../lib/model/index.js";
import type { FindingRef } from "../../../lib/model/state.js";
import { account, facts, failed, membership, ok, policy } from "./builders.js";

const ROOT = new URL("../../../", import.meta.url);
const ids = REGISTRY.map((c) => c.meta.id);

/** Every key of TenantFacts that holds a Fact, from a full set of facts. */
const FACT_KEYS = Object.entries(facts())
  .filter(([, v]) => typeof v === "object" && v !== null && "ok" in v)
  .map(([k]) => k as FactKey);

describe("the registry", () => {
  it("lists each check once, and CHECK_IDS and CHECKS follow it", () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect([...CHECK_IDS]).toEqual(ids);
    for (const c of REGISTRY) expect(CHECKS[c.meta.id]).toBe(c);
  });

  it.each(REGISTRY.map((c): [string, Check<string>] => [c.meta.id, c]))("%s carries everything about itself", (id, c) => {
    const m = c.meta;
    expect(m.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(existsSync(fileURLToPath(new URL(`lib/checks/${id}/check.ts`, ROOT)))).toBe(true);
    expect(m.requirement).toMatch(/^R\d+$/);
    for (const text of [m.title, m.shortName, m.description, m.remediation]) expect(text.trim()).not.toBe("");
    expect(Number.isInteger(m.rank)).toBe(true);
    expect(m.facts.length).toBeGreaterThan(0);
    expect(m.facts.filter((f) => !FACT_KEYS.includes(f))).toEqual([]);
    expect(m.references.length).toBeGreaterThan(0);
    for (const url of [...m.references, ...m.links.map((l) => l.url)]) expect(url).toMatch(/^https:\/\//);
    for (const l of m.links) expect(l.label.trim()).not.toBe("");
  });

  it("gives each check its own rank and requirement", () => {
    const ranks = REGISTRY.map((c) => c.meta.rank);
    expect(new Set(ranks).size).toBe(ranks.length);
    const requirements = REGISTRY.map((c) => c.meta.requirement);
    expect(new Set(requirements).size).toBe(requirements.length);
  });

  it("has a folder for every check, and every check folder is registered", () => {
    const dirs = readdirSync(fileURLToPath(new URL("lib/checks/", ROOT)), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(fileURLToPath(new URL(`lib/checks/${d.name}/check.ts`, ROOT))))
      .map((d) => d.name);
    expect(dirs.sort()).toEqual([...ids].sort());
  });
});

/** Records which facts a rule touches. */
function watched(f: TenantFacts, seen: Set<string>): TenantFacts {
  return new Proxy(f, {
    get(target, key, receiver) {
      if (typeof key === "string") seen.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** Fact sets that walk the rules down their branches: compliant, each fact unreadable, and a few verdicts that read further. */
const VARIANTS: TenantFacts[] = [
  facts(),
  ...FACT_KEYS.map((k) => facts({ [k]: failed("forbidden", "Graph answered 403", "Some.Permission") })),
  facts({ membership: ok(membership({ roles: [] })), roleAssignments: ok([]) }),
  facts({ conditionalAccessPolicies: ok([policy()]) }),
  // A policy whose only grant is the phishing-resistant strength: the emergency-access verdict reads the methods.
  facts({ conditionalAccessPolicies: ok([policy({ grantControls: { authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } } })]) }),
  // A password that can expire: the expiry check reads the domains.
  facts({ account: ok(account({ passwordPolicies: null })) }),
  facts({ conditionalAccessPolicies: ok([policy()]), signInContexts: ok([signInContext()]) }),
  // Sessions revoked after the last sign-in: the check reads who did it.
  facts({ account: ok(account({ signInSessionsValidFromDateTime: "2026-01-02T12:00:00Z" })) }),
];

describe("the facts a check declares", () => {
  // Every profile: a fact may be read under one profile only (the emergency-access CA verdict reads the account's methods).
  const profiles = Object.values(PROFILES);

  it.each(REGISTRY.map((c): [string, Check<string>] => [c.meta.id, c]))("%s reads exactly the facts it declares", (_id, c) => {
    const seen = new Set<string>();
    for (const f of VARIANTS) for (const p of profiles) c.run(watched(f, seen), p);
    const read = FACT_KEYS.filter((k) => seen.has(k));
    expect([...read].sort()).toEqual([...c.meta.facts].sort());
  });

  it("factsReadBy: the facts of the given checks, each once", () => {
    expect(factsReadBy([securityDefaultsCheck])).toEqual(["securityDefaults"]);
    expect(factsReadBy([])).toEqual([]);
    const all = factsReadBy();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...new Set(REGISTRY.flatMap((c) => c.meta.facts))].sort());
  });
});

describe("the emails", () => {
  const finding = (checkId: string): FindingRef => ({
    key: `${checkId}|`,
    checkId,
    subject: "",
    subjectName: null,
    summary: "It drifted",
    reason: null,
    remediation: null,
    evidence: [],
    since: "2026-01-02T12:00:00.000Z",
  });

  it.each(ids)("%s: name, requirement, rank and links come from the registry", (id) => {
    const m = CHECKS[id].meta;
    expect(checkTitle(id)).toBe(m.shortName);
    expect(requirementOf(id)).toBe(m.requirement);
    expect(findingRank(finding(id))).toBe(m.rank);
    const tenant = "0f5e7a61-3c2b-4d8e-9a1f-2b3c4d5e6f70";
    expect(findingLinks(finding(id), tenant)).toEqual(m.links.map((l) => ({ label: l.label, url: inTenant(l.url, tenant) })));
  });

  it.each(["security-defaults-enabled", "toString", "__proto__", "constructor", ""])(
    "a stored id this version does not know (%j) has no check: an email names it as it is, ranks it last and links nothing",
    (id) => {
      expect(checkOf(id)).toBeUndefined();
      expect(checkTitle(id)).toBe(id);
      expect(findingRank(finding(id))).toBe(Number.MAX_SAFE_INTEGER);
      expect(findingLinks(finding(id), "0f5e7a61-3c2b-4d8e-9a1f-2b3c4d5e6f70")).toEqual([]);
    },
  );
});
