/**
 * The delivering process killed between the ticket create and its record: a real child process
 * (tickets-crash-worker.ts) runs the production delivery against Azurite and the PSA simulator,
 * which saves the ticket and holds its answer until the test has SIGKILLed the child. The ticket
 * then exists in the PSA, and the finding's record holds only the claim. Delivering the same row
 * again (here, in the test process, once the dead sender's lease is over) leaves exactly one
 * ticket, notes nothing, and the ticket is then noted and closed as usual.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue, type DeliveryDeps } from "../../lib/alerts/deliver.js";
import { findingKeyOf } from "../../lib/alerts/lifecycle/event.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { OutboxAlert, Transition } from "../../lib/model/state.js";
import { tableClientFactory } from "../../lib/store/connection.js";
import { createStore } from "../../lib/store/index.js";
import { ticketsChannel } from "../../lib/tickets/channel.js";
import { TicketStore } from "../../lib/tickets/store.js";
import type { PsaVendor } from "../../lib/tickets/psa/types.js";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import { minimalState } from "../support/state.js";
import { alertOf, caFinding } from "../unit/alerts/samples.js";
import { VENDORS } from "./tickets-helpers.js";

const WORKER = fileURLToPath(new URL("./tickets-crash-worker.ts", import.meta.url));
const LEASE_MS = 5 * 60_000;
const ca = caFinding();

/** The route whose answer is held: the ticket create (Halo saves new and changed tickets through one route). */
const CREATE: Record<PsaVendor, string> = { connectwise: "tickets.create", autotask: "tickets.create", halo: "tickets.save" };

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

describe.each(Object.keys(VENDORS) as PsaVendor[])("a sender killed after %s saved the ticket", (vendor) => {
  let sim: RunningPsaSimulator;
  beforeAll(async () => {
    sim = await startTestPsaSimulator(vendor);
  });
  afterAll(() => sim.stop());

  it("leaves one ticket: the redelivery finds it by its key, then notes and closes it", async () => {
    const target = loadStoreSettings(process.env).storage;
    const monitorTable = `CrashMonitor${randomBytes(4).toString("hex")}`;
    const ticketsTable = `CrashTickets${randomBytes(4).toString("hex")}`;
    const { monitor, outbox } = createStore(target, { monitorTable, tenantsTable: `CrashTenants${randomBytes(4).toString("hex")}` });
    const tickets = new TicketStore(tableClientFactory(target)(ticketsTable));
    const tenantId = randomUUID();
    const company = sim.state.companies.find((c) => c.name === "Contoso")!;
    await tickets.importMappings([{ tenantId, psa: vendor, companyId: String(company.id) }]);

    let etag: string | null = null;
    const send = async (...transitions: Transition[]): Promise<void> => {
      const alert: OutboxAlert = { ...alertOf(`k${randomBytes(4).toString("hex")}`, transitions), tenantId };
      ({ etag } = await monitor.commitRun({ partition: tenantId, expectedEtag: etag, state: minimalState(tenantId), alerts: [alert] }));
    };
    await send({ kind: "drift-detected", key: `drift-detected|${ca.key}`, finding: ca });

    sim.state.addFault({ route: CREATE[vendor], kind: "hold-after", times: 1 });
    const env = { ...process.env, PSA_VENDOR: vendor, PSA_SIM: JSON.stringify(sim), MONITOR_TABLE: monitorTable, TICKETS_TABLE: ticketsTable };
    const child = spawn(process.execPath, ["--import", "tsx", WORKER], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    await within(15_000, `the worker's ticket create (output: ${output})`, sim.state.whenHeld());
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    sim.state.releaseHeld();

    // The PSA has the ticket; the finding's record holds the claim without its id.
    expect(sim.state.tickets).toHaveLength(1);
    const findingKey = findingKeyOf(tenantId, ca.checkId, ca.subject);
    expect((await tickets.ticket(findingKey)).record).toMatchObject({ ticketId: "", generation: 0, resolved: false });
    expect(output).not.toContain("delivered");

    const clock = { t: Date.now() + LEASE_MS + 60_000 };
    const deps: DeliveryDeps = {
      store: outbox,
      throttle: outbox.markers,
      channels: [ticketsChannel({ store: tickets, clients: { [vendor]: VENDORS[vendor].make(sim) } })],
      settings: loadAlertSettings({}),
      now: () => new Date(clock.t),
      sleep: (ms) => Promise.resolve(void (clock.t += ms)),
    };
    const redelivered = await deliverDue(deps, { tenantId });
    expect(redelivered.outcomes.map((o) => o.status)).toEqual(["sent"]);
    const [ticket] = sim.state.tickets;
    expect(sim.state.tickets).toHaveLength(1);
    expect(ticket!.notes).toEqual([]);
    expect((await tickets.ticket(findingKey)).record).toMatchObject({ ticketId: String(ticket!.id) });

    await send({ kind: "reminder", key: `reminder|${ca.key}|1`, finding: ca, lastAlertedAt: ca.since, flaps: 0 });
    await deliverDue(deps, { tenantId });
    await send({ kind: "resolved", key: `resolved|${ca.key}`, finding: ca, resolvedAt: new Date(clock.t).toISOString() });
    await deliverDue(deps, { tenantId });
    expect(sim.state.tickets).toHaveLength(1);
    expect(ticket!.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Still drifting/), expect.stringMatching(/^Resolved/)]);
    expect(ticket!.closed).toBe(true);
  });
});
