/** The consent comparison (required against granted, with the 403s' names) and every status of the consent check. */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import { consentGap } from "../../../lib/checks/consent/gap.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import { GRAPH_APP_ROLE_IDS, permissionOfAppRole } from "../../../lib/graph/app-roles.js";
import { FACTS } from "../../../lib/graph/facts/index.js";
import { requiredPermissions } from "../../../lib/graph/permissions.js";
import type { TenantFacts } from "../../../lib/model/index.js";
import { TENANT_ID, facts, failed, ok } from "./builders.js";

const REQUIRED = ["User.Read.All", "Domain.Read.All", "Application.Read.All"];
const granted = (...names: string[]): TenantFacts["appPermissions"] => ok({ granted: names });

describe("consentGap", () => {
  it.each<{ name: string; over: Partial<TenantFacts>; gap: ReturnType<typeof consentGap> }>([
    { name: "nothing required to compare", over: { requiredPermissions: undefined }, gap: null },
    { name: "all granted", over: { appPermissions: granted(...REQUIRED) }, gap: { missing: [], complete: true } },
    { name: "one missing", over: { appPermissions: granted("User.Read.All", "Application.Read.All") }, gap: { missing: ["Domain.Read.All"], complete: true } },
    {
      name: "grants unreadable without Application.Read.All: that one is missing, the rest unknown",
      over: { appPermissions: failed("forbidden", "Graph answered 403", "Application.Read.All") },
      gap: { missing: ["Application.Read.All"], complete: false },
    },
    { name: "grants unreadable, nothing refused", over: { appPermissions: failed("unavailable") }, gap: { missing: [], complete: false } },
    { name: "the whole required set missing", over: { appPermissions: granted() }, gap: { missing: REQUIRED, complete: true } },
    {
      name: "extra grants are not a gap",
      over: { appPermissions: granted(...REQUIRED, "Policy.Read.ConditionalAccess") },
      gap: { missing: [], complete: true },
    },
  ])("$name", ({ over, gap }) => {
    expect(consentGap(facts({ requiredPermissions: REQUIRED, ...over }))).toEqual(gap);
  });
});

describe("consent check", () => {
  const run = (over: Partial<TenantFacts>) => CHECKS.consent.run(facts({ requiredPermissions: REQUIRED, ...over }), PROFILES.strict!);

  it.each<{ name: string; over: Partial<TenantFacts>; status: string; summary: RegExp }>([
    { name: "all granted", over: { appPermissions: granted(...REQUIRED) }, status: "pass", summary: /Every permission the checks need is granted/ },
    {
      name: "Domain.Read.All missing: a finding naming it and both ways to grant it",
      over: { appPermissions: granted("User.Read.All", "Application.Read.All") },
      status: "warn",
      summary: new RegExp(`^Grant Domain\\.Read\\.All: .*tenants consent --tenant ${TENANT_ID}.*consent-url --tenant ${TENANT_ID}`),
    },
    { name: "grants unreadable for a transient reason", over: { appPermissions: failed("unavailable") }, status: "unknown", summary: /Could not read/ },
    { name: "no client id: not compared", over: { requiredPermissions: undefined }, status: "skipped", summary: /client id/ },
  ])("$name: $status", ({ over, status, summary }) => {
    const r = run(over);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });
});

describe("the permission registry", () => {
  it("every fact's permission has Graph's app role id, and the ids resolve back", () => {
    for (const def of Object.values(FACTS)) expect(permissionOfAppRole(GRAPH_APP_ROLE_IDS[def.permission])).toBe(def.permission);
  });

  it("the required set is the checks' facts' permissions, the grants' own included", () => {
    expect(requiredPermissions()).toContain("Domain.Read.All");
    expect(requiredPermissions()).toContain("Application.Read.All");
    expect(new Set(requiredPermissions()).size).toBe(requiredPermissions().length);
  });
});
