/**
 * Consent stays whole, end to end: the simulator's tenant has not granted Domain.Read.All (the app's
 * required set grew past what it consented to); the real runner reads the app's grants, the consent
 * check names the missing permission with how to grant it, the password-expiry check says skipped
 * naming it, `doctor --all` lists the tenant from the store (Azurite), and granting it in the
 * simulator clears the finding on the next due read of the grants (a day later), not before.
 */
import { describe, expect, it } from "vitest";
import { consentEstate, formatConsentEstate } from "../../cli/doctor/all.js";
import { DayCache } from "../../lib/graph/domain-cache.js";
import type { AppPermissionsFact } from "../../lib/model/index.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import { SIM_GRANTED_PERMISSIONS } from "../../sim/handlers/service-principals.js";
import type { TestClock } from "./runner-helpers.js";
import { registered, registeredIn, runnerDeps, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;
let grants: DayCache<AppPermissionsFact>;

useSimulatorAndStore("Consent", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
  grants = new DayCache<AppPermissionsFact>();
});

const APP_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";
const NAME = "Contoso";

async function run(): Promise<RunOutcome> {
  const tenant = await registeredIn(store, NAME);
  return runTenantCheck(
    tenant,
    runnerDeps(sim, store, clock, { collectOptions: { sleep: async () => {}, random: () => 0.5, appId: APP_ID, grantsCache: grants } }),
  );
}

const check = (o: RunOutcome, id: string) => o.report.checks.find((c) => c.id === id);

describe("runTenantCheck: the app's consent", () => {
  it("a tenant missing Domain.Read.All gets the finding naming it, doctor --all lists it, and granting it clears it on the next due read", async () => {
    const tenantId = registered(NAME).tenantId;
    sim.state.tenant(tenantId).grantedPermissions = SIM_GRANTED_PERMISSIONS.filter((p) => p !== "Domain.Read.All");

    const first = await run();
    expect(check(first, "consent")).toMatchObject({ status: "warn", evidence: expect.arrayContaining(["missing Domain.Read.All"]) });
    expect(check(first, "consent")?.summary).toMatch(new RegExp(`^Grant Domain\\.Read\\.All: .*tenants consent --tenant ${tenantId}`));
    expect(check(first, "password-expiry")).toMatchObject({ status: "skipped", summary: expect.stringMatching(/grant the application Domain\.Read\.All/) });

    const estate = await consentEstate(store);
    expect(estate.ok).toBe(false);
    expect(estate.tenants).toEqual([expect.objectContaining({ tenantId, missing: ["Domain.Read.All"] })]);
    expect(formatConsentEstate(estate)).toMatch(/1 tenant needs Domain\.Read\.All granted/);

    // Granted: the grants were read within the day, so the finding stands until their next read.
    sim.state.tenant(tenantId).grantedPermissions = undefined;
    clock.advanceHours(1);
    expect(check(await run(), "consent")?.status).toBe("warn");
    clock.advanceHours(24);
    const later = await run();
    expect(check(later, "consent")).toMatchObject({ status: "pass" });
    expect((await consentEstate(store)).ok).toBe(true);
  });

  it("without Application.Read.All the grants cannot be read: that one is named, and the checks still run", async () => {
    const tenantId = registered(NAME).tenantId;
    sim.state.tenant(tenantId).grantedPermissions = SIM_GRANTED_PERMISSIONS.filter((p) => p !== "Application.Read.All");
    const outcome = await run();
    expect(check(outcome, "consent")).toMatchObject({ status: "warn", evidence: ["missing Application.Read.All"] });
    expect(check(outcome, "password-expiry")?.status).not.toBe("skipped");
  });
});
