/**
 * The browser tests' estate: the demo's 17 sample tenants registered in an app on the run's
 * Azurite and checked against the simulator on a test clock, with a hostile Conditional Access
 * policy name in Northwind Traders and an emergency-access account beside Wingtip Toys' connection account. Northwind is checked again two days later after an
 * administrator renames that policy once more, so it has two snapshots to compare and the
 * 30-day chart has more than one day.
 */
import { randomBytes } from "node:crypto";
import { setApp, type App } from "../../functions/app/index.js";
import { checkTenant } from "../../functions/handlers/index.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { SAMPLE_TENANTS, sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { startDashboardServer, type RunningDashboard } from "../../cli/dashboard/server.js";
import { queueContext, testApp, TestClock } from "../integration/functions-helpers.js";

export const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\u202Egnp.exe`;
export const northwind = sampleTenant("Northwind");
/** Registered with a second account, an emergency-access one: the page shows both, grouped under the tenant. */
export const wingtip = sampleTenant("Wingtip");
export const WINGTIP_BREAK_GLASS = "breakglass@wingtiptoys.onmicrosoft.com";

export interface BrowserEstate {
  readonly app: App;
  readonly sim: RunningSimulator;
  readonly dashboard: RunningDashboard;
  readonly clock: TestClock;
  stop(): Promise<void>;
}

async function checkAll(app: App, clock: TestClock, tenantIds: readonly string[]): Promise<void> {
  const results = await Promise.all(
    tenantIds.map((tenantId) =>
      checkTenant({ tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, queueContext(1, `m-${randomBytes(4).toString("hex")}`)),
    ),
  );
  const failed = results.filter((r) => !r || r.kind === "skipped");
  if (failed.length > 0) throw new Error(`checks did not run: ${JSON.stringify(failed)}`);
}

export async function startBrowserEstate(): Promise<BrowserEstate> {
  const sim = await startTestSimulator();
  const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  const policies = sim.state.tenant(northwind.tenantId).conditionalAccessPolicies;
  const first = policies[0];
  if (!first) throw new Error("Northwind Traders has no Conditional Access policy in the sample estate");
  first.displayName = HOSTILE;
  const app = testApp(sim, clock);
  setApp(app);
  for (const t of SAMPLE_TENANTS) {
    const accounts = [
      { ref: t.account, kind: "connection" },
      ...(t.tenantId === wingtip.tenantId ? [{ ref: WINGTIP_BREAK_GLASS, kind: "emergency-access" }] : []),
    ];
    await app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, accounts, recipients: ["ops@example.com"] });
  }
  await checkAll(
    app,
    clock,
    SAMPLE_TENANTS.map((t) => t.tenantId),
  );
  clock.advanceMinutes(2 * 24 * 60);
  first.displayName = `${HOSTILE} (renamed)`;
  await checkAll(app, clock, [northwind.tenantId]);
  const dashboard = await startDashboardServer(dashboardDeps(app, { access: { kind: "local" }, log: () => {} }));
  return {
    app,
    sim,
    dashboard,
    clock,
    stop: async () => {
      await dashboard.stop();
      await sim.stop();
      setApp(undefined);
    },
  };
}
