/**
 * Tickets through the real delivery loop (Azurite, the ACS fake) to each PSA simulator over HTTPS:
 * a drift opens one ticket per tenant finding in the mapped company; a reminder or a change adds a note (a change mails no one);
 * resolution notes and closes it; a ticket a person closed while the drift stands is reopened, or
 * replaced per setting; a message delivered twice changes nothing; a record write lost after the
 * PSA saved the ticket leaves one ticket after the retry, and email is not held meanwhile.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverDue, type DeliveryDeps } from "../../lib/alerts/deliver.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { OutboxAlert, Transition } from "../../lib/model/state.js";
import { tableClientFactory } from "../../lib/store/connection.js";
import { ticketsChannel } from "../../lib/tickets/channel.js";
import { TicketStore, type TicketRecord } from "../../lib/tickets/store.js";
import type { OnClosedByPerson } from "../../lib/tickets/apply.js";
import type { PsaVendor } from "../../lib/tickets/psa/types.js";
import { VENDORS } from "./tickets-helpers.js";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import type { SimTicket } from "../../sim/psa/state.js";
import { minimalState } from "../support/state.js";
import { alertOf, caFinding, securityDefaultsFinding } from "../unit/alerts/samples.js";
import { acceptedFor, harness, START, useAcsFake, type Harness } from "./alerts-delivery-helpers.js";

useAcsFake();

const ca = caFinding();
const at = (minutes: number): string => new Date(START + minutes * 60_000).toISOString();
const open = (f = ca): Transition => ({ kind: "drift-detected", key: `drift-detected|${f.key}`, finding: f });
const remind = (n: number, f = ca): Transition => ({ kind: "reminder", key: `reminder|${f.key}|${n}`, finding: f, lastAlertedAt: at(0), flaps: 0 });
const fix = (f = ca): Transition => ({ kind: "resolved", key: `resolved|${f.key}`, finding: f, resolvedAt: at(30) });

/** A TicketStore whose next write of a ticket id fails (after the PSA saved the ticket): the process killed between create and record. */
class FailingOnce extends TicketStore {
  armed = false;
  override async record(findingKey: string, record: TicketRecord, etag: string | undefined): Promise<string> {
    if (this.armed && record.ticketId !== "") {
      this.armed = false;
      throw new Error("process killed before the record was written");
    }
    return super.record(findingKey, record, etag);
  }
}

describe.each(Object.keys(VENDORS) as PsaVendor[])("tickets in %s", (vendor) => {
  let sim: RunningPsaSimulator;
  let h: Harness;
  let store: FailingOnce;
  const etags = new Map<string, string>();

  beforeAll(async () => {
    sim = await startTestPsaSimulator(vendor);
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.state.reset();
    h = harness();
    const target = loadStoreSettings(process.env).storage;
    store = new FailingOnce(tableClientFactory(target)(`Tickets${randomBytes(4).toString("hex")}`));
  });

  const deps = (onClosed: OnClosedByPerson = "reopen"): DeliveryDeps => {
    const base = h.deps();
    return { ...base, channels: [...base.channels, ticketsChannel({ store, clients: { [vendor]: VENDORS[vendor].make(sim) }, onClosed })] };
  };

  /** A drifted tenant mapped to a company of the simulator (by name, looked up, or by id). */
  async function tenant(company: string, byId = false): Promise<string> {
    const tenantId = randomUUID();
    const { etag } = await h.store.monitor.commitRun({ partition: tenantId, expectedEtag: null, state: minimalState(tenantId, { at: at(0) }), alerts: [] });
    etags.set(tenantId, etag);
    const found = sim.state.companies.find((c) => c.name === company)!;
    const name = vendor === "connectwise" ? found.identifier : found.name;
    await store.importMappings([{ tenantId, psa: vendor, ...(byId ? { companyId: String(found.id) } : { companyName: name }) }]);
    return tenantId;
  }

  async function send(tenantId: string, minutes: number, ...transitions: Transition[]): Promise<string> {
    const alert: OutboxAlert = { ...alertOf(`r${randomBytes(4).toString("hex")}`, transitions, { createdAt: at(minutes) }), tenantId };
    const { etag } = await h.store.monitor.commitRun({
      partition: tenantId,
      expectedEtag: etags.get(tenantId)!,
      state: minimalState(tenantId, { at: at(minutes) }),
      alerts: [alert],
    });
    etags.set(tenantId, etag);
    return alert.id;
  }

  async function deliver(d: DeliveryDeps): Promise<void> {
    h.clock.t += 60 * 60_000;
    await deliverDue(d);
  }

  const ticketsOf = (companyName: string): SimTicket[] => {
    const company = sim.state.companies.find((c) => c.name === companyName)!;
    return sim.state.tickets.filter((t) => t.companyId === company.id);
  };

  it("opens one ticket per drifted tenant finding, notes a reminder, and notes and closes it at resolution", async () => {
    const contoso = await tenant("Contoso");
    const fabrikam = await tenant("Fabrikam", true);
    await send(contoso, 0, open(), open(securityDefaultsFinding));
    await send(fabrikam, 0, open());
    const d = deps();
    await deliver(d);
    expect(ticketsOf("Contoso")).toHaveLength(2);
    expect(ticketsOf("Fabrikam")).toHaveLength(1);
    expect(sim.state.tickets.every((t) => !t.closed)).toBe(true);

    await send(contoso, 10, remind(1));
    await deliver(d);
    const [caTicket, sdTicket] = ticketsOf("Contoso");
    expect(caTicket!.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Still drifting/)]);
    expect(caTicket!.notes[0]!.internal).toBe(true);
    expect(sdTicket!.notes).toHaveLength(0);

    await send(contoso, 30, fix());
    await deliver(d);
    expect(ticketsOf("Contoso")).toHaveLength(2);
    expect(caTicket!.closed).toBe(true);
    expect(caTicket!.notes.at(-1)!.text).toMatch(/^Resolved/);
    expect(sdTicket!.closed).toBe(false);
    expect(ticketsOf("Fabrikam")[0]!.closed).toBe(false);
  });

  it("a finding that now fails for something else notes the open ticket, and mails no one", async () => {
    const t = await tenant("Fabrikam");
    await send(t, 0, open(securityDefaultsFinding));
    const d = deps();
    await deliver(d);
    const changed = { ...securityDefaultsFinding, summary: "Security Defaults are enabled and now enforced for every user" };
    const id = await send(t, 5, { kind: "finding-changed", key: `finding-changed|${changed.key}|1`, finding: changed });
    await deliver(d);
    const [ticket] = ticketsOf("Fabrikam");
    expect(ticketsOf("Fabrikam")).toHaveLength(1);
    expect(ticket!.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Changed at .*now enforced for every user/)]);
    const row = (await h.store.monitor.listAlerts(t)).find((r) => r.alert.id === id)!;
    expect(row.delivery).toBe("sent");
    expect(acceptedFor(id)).toHaveLength(0);
  });

  it.each(["reopen", "new"] as const)("a ticket a person closed while the drift stands: %s", async (onClosed) => {
    const t = await tenant("Litware");
    await send(t, 0, open());
    const d = deps(onClosed);
    await deliver(d);
    const [first] = ticketsOf("Litware");
    sim.state.setStatus(first!, VENDORS[vendor].closed);
    await send(t, 10, remind(1));
    await deliver(d);
    const now = ticketsOf("Litware");
    if (onClosed === "reopen") {
      expect(now).toHaveLength(1);
      expect(first!.closed).toBe(false);
      expect(first!.notes.at(-1)!.text).toMatch(/^Reopened/);
    } else {
      expect(now).toHaveLength(2);
      expect(first!.closed).toBe(true);
      expect(now[1]!.closed).toBe(false);
    }
  });

  it("a message delivered twice opens no second ticket and writes no second note", async () => {
    const t = await tenant("Northwind Traders");
    await send(t, 0, open());
    const d = deps();
    await deliver(d);
    await send(t, 10, remind(1));
    await deliver(d);
    const channel = d.channels.at(-1)!;
    const rows = await h.store.monitor.listAlerts(t);
    for (const row of rows) {
      const outcome = await channel.send({ rendered: { id: row.alert.id } as never, from: "x@y", to: [], date: new Date(), alert: row.alert });
      expect(outcome.ok).toBe(true);
    }
    const [ticket] = ticketsOf("Northwind Traders");
    expect(ticketsOf("Northwind Traders")).toHaveLength(1);
    expect(ticket!.notes).toHaveLength(1);
  });

  it("the PSA saved the ticket but its record was lost: the retry finds it by key, and email is not held", async () => {
    const t = await tenant("Contoso");
    const id = await send(t, 0, open());
    store.armed = true;
    const logs: { kind: string; channel?: string }[] = [];
    const d = { ...deps(), log: (e: { kind: string; channel?: string }) => logs.push(e) };
    await deliver(d);
    await deliver(d);
    expect(store.armed).toBe(false);
    expect(logs.filter((l) => l.kind === "failed").map((l) => l.channel)).toEqual(["tickets"]);
    expect(ticketsOf("Contoso")).toHaveLength(1);
    const row = (await h.store.monitor.listAlerts(t)).find((r) => r.alert.id === id)!;
    expect(row.delivery).toBe("sent");
    expect(acceptedFor(id)).toHaveLength(1);
  });

  it("a PSA that is down holds only the tickets channel: email goes, the ticket opens once the PSA is back", async () => {
    const t = await tenant("Fabrikam");
    const id = await send(t, 0, open());
    sim.state.addFault({ route: "*", kind: "5xx" });
    const d = deps();
    await deliverDue(d);
    expect(acceptedFor(id)).toHaveLength(1);
    expect(sim.state.tickets).toHaveLength(0);
    const row = (await h.store.monitor.listAlerts(t)).find((r) => r.alert.id === id)!;
    expect(row.delivery).not.toBe("sent");
    sim.state.clearFaults();
    await deliver(d);
    expect(ticketsOf("Fabrikam")).toHaveLength(1);
    expect(acceptedFor(id)).toHaveLength(1);
  });

  it("a tenant mapped to a company the PSA does not have dead-letters the tickets channel alone", async () => {
    const t = await tenant("Fabrikam");
    await store.importMappings([{ tenantId: t, psa: vendor, companyName: "No Such Company" }]);
    const id = await send(t, 0, open());
    await deliver(deps());
    expect(acceptedFor(id)).toHaveLength(1);
    expect(sim.state.tickets).toHaveLength(0);
    const row = (await h.store.monitor.listAlerts(t)).find((r) => r.alert.id === id)!;
    expect(row.lastError).toMatch(/no company "No Such Company"/);
  });

  it("two deliverers on one finding at once open one ticket: the second conflicts and its retry notes nothing twice", async () => {
    const t = await tenant("Litware");
    await send(t, 0, open());
    const [row] = await h.store.monitor.listAlerts(t);
    const channel = deps().channels.at(-1)!;
    const message = { rendered: { id: row!.alert.id } as never, from: "x@y", to: [], date: new Date(), alert: row!.alert };
    const outcomes = await Promise.all([channel.send(message), channel.send(message)]);
    expect(outcomes.some((o) => o.ok)).toBe(true);
    expect((await channel.send(message)).ok).toBe(true);
    expect(ticketsOf("Litware")).toHaveLength(1);
    expect(ticketsOf("Litware")[0]!.notes).toHaveLength(0);
  });
});
