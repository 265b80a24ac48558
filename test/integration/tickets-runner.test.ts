/**
 * Tickets from the real runner over the Graph simulator: sample tenants drift, the runner writes
 * its alert rows (Azurite), the delivery loop sends them (the ACS fake) and the tickets channel
 * opens one ticket per drifted finding in each PSA simulator; the runner's reminder adds a note, a
 * blocking policy whose grant controls change adds a note (and mails no one), and its resolution
 * notes and closes the ticket.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { deliverDue, type DeliveryDeps } from "../../lib/alerts/deliver.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import { ticketsChannel } from "../../lib/tickets/channel.js";
import { openTicketStore, type TicketStore } from "../../lib/tickets/store.js";
import { psaClients } from "../../lib/tickets/psa/index.js";
import { loadPsaSettings } from "../../lib/tickets/psa/settings.js";
import type { PsaVendor } from "../../lib/tickets/psa/types.js";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import type { RunningSimulator } from "../../sim/testing.js";
import { fake, useAcsFake } from "./alerts-delivery-helpers.js";
import { blockingCaPolicy, registeredIn, runnerDeps, useSimulatorAndStore, type TestClock } from "./runner-helpers.js";

useAcsFake();

let graph: RunningSimulator;
let clock: TestClock;
let store: Store;
useSimulatorAndStore("Tix", (s, c, st) => {
  graph = s;
  clock = c;
  store = st;
});

const TENANTS = ["Woodgrove", "Fabrikam"] as const;
const POLICY = "d7f399a0-0000-4000-8000-000000000099";

/** The PSA settings each simulator's credentials make (the app reads the same names from its environment). */
function psaEnv(vendor: PsaVendor, sim: RunningPsaSimulator): Record<string, string> {
  const c = sim.credentials;
  if (vendor === "connectwise")
    return {
      PSA_CONNECTWISE_URL: sim.apiBase,
      PSA_CONNECTWISE_COMPANY: c.connectwise.company,
      PSA_CONNECTWISE_PUBLIC_KEY: c.connectwise.publicKey,
      PSA_CONNECTWISE_PRIVATE_KEY: c.connectwise.privateKey,
      PSA_CONNECTWISE_CLIENT_ID: c.connectwise.clientId,
      PSA_CONNECTWISE_BOARD_ID: "1",
      PSA_CONNECTWISE_OPEN_STATUS_ID: "3",
      PSA_CONNECTWISE_CLOSED_STATUS_ID: "5",
    };
  if (vendor === "autotask")
    return {
      PSA_AUTOTASK_ZONE_URL: `${sim.url}/atservicesrest`,
      PSA_AUTOTASK_USERNAME: c.autotask.userName,
      PSA_AUTOTASK_SECRET: c.autotask.secret,
      PSA_AUTOTASK_INTEGRATION_CODE: c.autotask.integrationCode,
      PSA_AUTOTASK_QUEUE_ID: "29683",
    };
  return { PSA_HALO_URL: sim.url, PSA_HALO_CLIENT_ID: c.halo.clientId, PSA_HALO_CLIENT_SECRET: c.halo.clientSecret };
}

describe.each(["connectwise", "autotask", "halo"] as const)("tickets from the runner in %s", (vendor) => {
  let psa: RunningPsaSimulator;
  beforeAll(async () => {
    psa = await startTestPsaSimulator(vendor);
  });
  afterAll(() => psa.stop());

  it("one ticket per drifted tenant finding, a note at the reminder and at a change, closed at resolution", async () => {
    const tickets: TicketStore = openTicketStore(loadStoreSettings(process.env).storage, `Tix${randomBytes(4).toString("hex")}`);
    const clients = psaClients(loadPsaSettings(psaEnv(vendor, psa)), { sleep: () => Promise.resolve(), random: () => 0 });
    const settings = loadAlertSettings({ ACS_CONNECTION_STRING: fake.connectionString, ALERT_FROM: "DoNotReply@drift.example.com" });
    const deliverAt = (): DeliveryDeps => ({
      store: store.outbox,
      throttle: store.outbox.markers,
      channels: [...createChannels(settings, { pollIntervalMs: 5 }), ticketsChannel({ store: tickets, clients })],
      settings: { from: settings.from, to: settings.to, maxAttempts: settings.maxAttempts },
      now: () => new Date(clock.now().getTime() + 60_000),
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
    const company = (name: string) => psa.state.companies.find((c) => c.name === name)!;
    const run = async () => {
      let drifted = 0;
      for (const name of TENANTS) {
        const t = await registeredIn(store, name);
        const out = await runTenantCheck(t, runnerDeps(graph, store, clock));
        drifted += out.transitions.filter((x) => x.kind === "drift-detected").length;
      }
      await deliverDue(deliverAt());
      return drifted;
    };

    for (const [i, name] of TENANTS.entries()) {
      const t = await registeredIn(store, name);
      await tickets.importMappings([{ tenantId: t.tenantId, psa: vendor, companyId: String(company(["Contoso", "Litware"][i]!).id) }]);
    }
    // The baseline: a sample tenant may already drift (Fabrikam's blocking policy).
    let drifted = await run();
    for (const name of TENANTS) graph.state.tenant((await registeredIn(store, name)).tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    drifted += await run();
    expect(drifted).toBeGreaterThanOrEqual(3);
    expect(psa.state.tickets).toHaveLength(drifted);
    const byCompany = (name: string) => psa.state.tickets.filter((x) => x.companyId === company(name).id);
    expect(byCompany("Contoso").length).toBeGreaterThanOrEqual(1);
    expect(byCompany("Litware").length).toBeGreaterThanOrEqual(1);

    clock.advanceHours(24);
    await run();
    expect(psa.state.tickets).toHaveLength(drifted);
    for (const ticket of psa.state.tickets) expect(ticket.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Still drifting/)]);

    // A policy that blocks, then blocks for other grant controls within the reminder period: a note, and no email.
    const woodgrove = await registeredIn(store, "Woodgrove");
    const policies = graph.state.tenant(woodgrove.tenantId).conditionalAccessPolicies;
    policies.push(blockingCaPolicy(POLICY, { displayName: "CA99 - Require MFA", controls: ["mfa"] }));
    clock.advanceHours(1);
    expect(await run()).toBe(1);
    const policyTicket = psa.state.tickets.at(-1)!;
    const mailed = fake.accepted.length;
    policies.splice(-1, 1, blockingCaPolicy(POLICY, { displayName: "CA99 - Require MFA", controls: ["mfa", "compliantDevice"] }));
    clock.advanceHours(1);
    await run();
    expect(policyTicket.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Changed at /)]);
    expect(fake.accepted.length).toBe(mailed);

    graph.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = false;
    clock.advanceHours(1);
    await run();
    const closed = byCompany("Contoso").filter((x) => x.closed);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.notes.at(-1)!.text).toMatch(/^Resolved/);
    expect(byCompany("Litware").every((x) => !x.closed)).toBe(true);
  });
});
