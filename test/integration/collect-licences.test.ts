/**
 * Licence gaps through the collector and the checks, against the simulator: a tenant with Entra ID
 * P1 but not P2 (PIM's roleEligibilityScheduleInstances answers 400 AadPremiumLicenseRequired), and
 * one with neither. The gap is a fact that is `unlicensed`, naming the licence; admin-role still
 * judges the active roles.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../lib/checks/evaluate.js";
import { getProfile } from "../../lib/checks/profiles.js";
import type { TenantFacts } from "../../lib/model/facts.js";
import { sampleTenant } from "../../sim/testing.js";
import { LUCERNE, collect, failed, idOf, sim, useSimulator } from "./collect-helpers.js";

useSimulator();

const TAILSPIN = sampleTenant("Tailspin").tenantId; // Entra ID P1 without P2
const WIDE_WORLD = sampleTenant("Wide World").tenantId; // Global Administrator only PIM-eligible
const P2 = "Entra ID P2 or Microsoft Entra ID Governance";

function adminRole(facts: TenantFacts) {
  const profile = getProfile("strict");
  if (!profile) throw new Error("no strict profile");
  const report = evaluate(facts, profile);
  return { report, check: report.checks.find((c) => c.id === "admin-role") };
}

describe("licence gaps through the collector", () => {
  it("P1 without P2: PIM eligibility and schedules `unlicensed` naming P2, the rest read, admin-role passes on the active assignment", async () => {
    const { facts } = await collect(TAILSPIN, { accountObjectId: idOf(TAILSPIN) });
    expect(failed(facts)).toEqual(["roleEligibility", "roleAssignmentInstances"]);
    expect(facts.roleEligibility).toMatchObject({ ok: false, code: "unlicensed", httpStatus: 400 });
    expect(facts.roleAssignmentInstances).toMatchObject({ ok: false, code: "unlicensed", httpStatus: 400 });
    expect(facts.roleEligibility.ok ? "" : facts.roleEligibility.reason).toContain(`no ${P2} licence`);
    const { report, check } = adminRole(facts);
    expect(check).toMatchObject({ status: "pass", summary: "Global Administrator is active" });
    expect(report.status).toBe(sampleTenant("Tailspin").expected);
  });

  it("neither P1 nor P2: eligibility, reports and sign-ins `unlicensed`, each naming its own licence; the tenant stays compliant", async () => {
    const { facts } = await collect(LUCERNE, { accountObjectId: idOf(LUCERNE) });
    expect(failed(facts)).toEqual(["roleEligibility", "roleAssignmentInstances", "registrationDetails", "signIns"]);
    expect(facts.roleEligibility.ok ? "" : facts.roleEligibility.reason).toContain(`no ${P2} licence`);
    expect(facts.signIns.ok ? "" : facts.signIns.reason).toContain("no Entra ID P1 licence");
    const { report, check } = adminRole(facts);
    expect(check?.status).toBe("pass");
    expect(report.status).toBe("compliant");
  });

  it("the PIM-eligible-only tenant losing P2: admin-role fails from the active roles (not unknown), the eligibility hint is unavailable", async () => {
    const licenses = sim.state.tenant(WIDE_WORLD).licenses;
    const before = { ...licenses };
    licenses.entraIdP2 = false;
    try {
      const { facts } = await collect(WIDE_WORLD, { accountObjectId: idOf(WIDE_WORLD) });
      expect(facts.roleEligibility).toMatchObject({ code: "unlicensed" });
      const { check } = adminRole(facts);
      expect(check).toMatchObject({ status: "fail", summary: "The account does not hold Global Administrator" });
      expect(check?.reason).toMatch(/PIM eligibility is not licensed/);
    } finally {
      Object.assign(licenses, before);
    }
  });
});
