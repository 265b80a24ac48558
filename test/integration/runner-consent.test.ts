/**
 * Consent stays whole, end to end: the simulator's tenant has not granted Domain.Read.All (the app's
 * required set grew past what it consented to); the real runner reads the app's grants, the consent
 * check names the missing permission with how to grant it, the password-expiry check says skipped
 * naming it, `doctor --all` lists the tenant from the store (Azurite), and granting it in the
 * simulator clears the finding on the next due read of the grants (a day later), not before.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { requiredPermissions } from "../../lib/graph/permissions.js";
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
    expect(check(outcome, "consent")?.status).toBe("warn");
    expect(check(outcome, "consent")?.evidence?.filter((e) => e.startsWith("missing "))).toEqual(["missing Application.Read.All"]);
    expect(check(outcome, "password-expiry")?.status).not.toBe("skipped");
  });
});

describe("the consent summary, once per upgrade", () => {
  it("the digest after the required set grew says once how many tenants need Domain.Read.All; run twice at once and the next day, never again", async () => {
    const required = requiredPermissions();
    // The estate was told of the set before Domain.Read.All was added.
    const before = required.filter((p) => p !== "Domain.Read.All");
    await store.outbox.consent.record({ required: before, day: "2026-03-01", lines: [] });
    for (const name of [NAME, "Fabrikam"])
      sim.state.tenant(registered(name).tenantId).grantedPermissions = SIM_GRANTED_PERMISSIONS.filter((p) => p !== "Domain.Read.All");
    await run();
    await runTenantCheck(
      await registeredIn(store, "Fabrikam"),
      runnerDeps(sim, store, clock, { collectOptions: { sleep: async () => {}, random: () => 0.5, appId: APP_ID, grantsCache: grants } }),
    );

    const dir = mkdtempSync(join(tmpdir(), "consent-digest-"));
    try {
      const settings = loadAlertSettings({ OUTBOX_DIR: dir, ALERT_TO: "noc@msp.example" });
      const deps = {
        sources: {
          listStates: () => store.monitor.listStates(),
          listTenants: () => store.tenants.list(),
          listDeadLettered: () => store.outbox.listDeadLettered(),
        },
        channels: createChannels(settings),
        settings,
        ledger: store.outbox.markers,
        consent: { required, marker: store.outbox.consent },
        now: () => clock.now(),
        sleep: async () => undefined,
        random: () => 0.5,
      };
      // Two workers at once: one digest, one summary.
      await Promise.all([sendDigest(deps), sendDigest(deps)]);
      const mails = () =>
        readdirSync(dir)
          .filter((f) => f.endsWith(".eml"))
          .map((f) => readFileSync(join(dir, f), "utf8"));
      expect(mails()).toHaveLength(1);
      expect(mails()[0]).toMatch(/2 tenants need Domain\.Read\.All granted/);
      expect(await store.outbox.consent.read()).toMatchObject({ required, lines: ["2 tenants need Domain.Read.All granted"] });

      clock.advanceHours(24);
      await sendDigest(deps);
      expect(mails()).toHaveLength(2);
      expect(mails().filter((m) => /need Domain\.Read\.All granted/.test(m))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
