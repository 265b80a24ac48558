/**
 * Two deliverers on one finding, each through the real tickets channel against Azurite and a PSA
 * simulator over HTTPS, with the first one's create held inside the simulator before it saves
 * anything (`hold-before`): the second finds the claim and no ticket under its key, and must wait
 * the claim out rather than open a second ticket. A claim is taken over only once its life (on the
 * storage service's clock) is over: then a ticket the PSA saved after its maker gave up is found by
 * its key, and a create that never reached the PSA is made once.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OutgoingMessage, SendOutcome } from "../../lib/alerts/channels/types.js";
import { findingKeyOf } from "../../lib/alerts/lifecycle/event.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { OutboxAlert } from "../../lib/model/state.js";
import { tableClientFactory } from "../../lib/store/connection.js";
import { ticketsChannel } from "../../lib/tickets/channel.js";
import { TicketStore } from "../../lib/tickets/store.js";
import type { PsaVendor } from "../../lib/tickets/psa/types.js";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import { alertOf, caFinding } from "../unit/alerts/samples.js";
import { VENDORS } from "./tickets-helpers.js";

const ca = caFinding();
/** The route of the ticket create (Halo saves new and changed tickets through one route). */
const CREATE: Record<PsaVendor, string> = { connectwise: "tickets.create", autotask: "tickets.create", halo: "tickets.save" };

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(Object.keys(VENDORS) as PsaVendor[])("claims on a finding's ticket in %s", (vendor) => {
  let sim: RunningPsaSimulator;
  let store: TicketStore;
  let message: OutgoingMessage;
  let tenantId: string;

  beforeAll(async () => {
    sim = await startTestPsaSimulator(vendor);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    sim.state.reset();
    store = new TicketStore(tableClientFactory(loadStoreSettings(process.env).storage)(`Claims${randomBytes(4).toString("hex")}`));
    tenantId = randomUUID();
    const company = sim.state.companies.find((c) => c.name === "Contoso")!;
    await store.importMappings([{ tenantId, psa: vendor, companyId: String(company.id) }]);
    const opened = { kind: "drift-detected", key: `drift-detected|${ca.key}`, finding: ca } as const;
    const alert: OutboxAlert = { ...alertOf(`c${randomBytes(4).toString("hex")}`, [opened]), tenantId };
    message = { rendered: { id: alert.id } as never, from: "drift@example.com", to: [], date: new Date(), alert };
  });

  const channel = (claimTtlMs?: number) => ticketsChannel({ store, clients: { [vendor]: VENDORS[vendor].make(sim) }, ...(claimTtlMs && { claimTtlMs }) });
  const creates = (): number => sim.state.counters[CREATE[vendor]] ?? 0;

  /** Sends until the channel succeeds, sleeping what each refusal asks (a deliverer's retries, in short). */
  async function untilSent(send: () => Promise<SendOutcome>, tries = 5): Promise<SendOutcome & { ok: true }> {
    for (let i = 0; i < tries; i++) {
      const outcome = await send();
      if (outcome.ok) return outcome;
      expect(outcome.retryable).toBe(true);
      await pause(outcome.retryAfterMs ?? 200);
    }
    throw new Error(`not sent in ${tries} tries`);
  }

  it("a second deliverer during the first one's create waits for it, creates nothing, and its retry finds the event applied", async () => {
    sim.state.addFault({ route: CREATE[vendor], kind: "hold-before", times: 1 });
    const first = channel().send(message);
    await within(15_000, "the first create", sim.state.whenHeld());

    const second = await channel().send(message);
    expect(second).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/another deliverer is opening the ticket/) });
    const wait = second.ok ? 0 : (second.retryAfterMs ?? 0);
    // The rest of the claim's life, which began a moment ago on the service's clock.
    expect(wait).toBeGreaterThan(170_000);
    expect(wait).toBeLessThanOrEqual(180_000);
    expect(creates()).toBe(1);
    expect(sim.state.tickets).toHaveLength(0);

    sim.state.releaseHeld();
    expect(await first).toMatchObject({ ok: true, detail: expect.stringMatching(/opened ticket/) });
    expect(await channel().send(message)).toMatchObject({ ok: true, detail: expect.stringMatching(/opened already applied/) });
    expect(sim.state.tickets).toHaveLength(1);
    expect(sim.state.tickets[0]!.notes).toEqual([]);
    expect(creates()).toBe(1);
  });

  it("a resolution delivered while the ticket is being opened waits for it, then notes and closes that ticket", async () => {
    sim.state.addFault({ route: CREATE[vendor], kind: "hold-before", times: 1 });
    const first = channel().send(message);
    await within(15_000, "the first create", sim.state.whenHeld());

    const fixed = { kind: "resolved", key: `resolved|${ca.key}`, finding: ca, resolvedAt: new Date().toISOString() } as const;
    const resolved: OutboxAlert = { ...alertOf(`r${randomBytes(4).toString("hex")}`, [fixed]), tenantId };
    const resolution = { ...message, rendered: { id: resolved.id } as never, alert: resolved };
    expect(await channel().send(resolution)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/another deliverer is opening/) });

    sim.state.releaseHeld();
    expect(await first).toMatchObject({ ok: true });
    expect(await channel().send(resolution)).toMatchObject({ ok: true, detail: expect.stringMatching(/closed ticket/) });
    expect(sim.state.tickets).toHaveLength(1);
    expect(sim.state.tickets[0]!.closed).toBe(true);
    expect(sim.state.tickets[0]!.notes.map((n) => n.text)).toEqual([expect.stringMatching(/^Resolved/)]);
  });

  it("a create cut off at its budget and saved late by the PSA is found by the deliverer that takes the claim over, not opened twice", async () => {
    const ttlMs = 1_500;
    sim.state.addFault({ route: CREATE[vendor], kind: "hold-before", times: 1 });
    const started = Date.now();
    const first = await channel(ttlMs).send(message);
    // Its budget is two thirds of the claim's life: it stopped waiting then, and said why.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(first).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/cut off at the caller's deadline/) });
    expect(sim.state.tickets).toHaveLength(0);

    // The PSA saves the request it had received, after its caller gave up.
    sim.state.releaseHeld();
    await within(5_000, "the late save", (async () => {
      while (sim.state.tickets.length === 0) await pause(20);
    })());

    const taken = await untilSent(() => channel(ttlMs).send(message));
    expect(taken.detail).toMatch(/found ticket \d+, opened by an interrupted delivery/);
    expect(sim.state.tickets).toHaveLength(1);
    expect(creates()).toBe(1);
    expect((await store.ticket(findingKeyOf(tenantId, ca.checkId, ca.subject))).record).toMatchObject({ ticketId: String(sim.state.tickets[0]!.id) });
  });

  it("a claim whose create never reached the PSA is waited out, then taken over and the ticket opened once", async () => {
    const ttlMs = 3_000;
    sim.state.addFault({ route: CREATE[vendor], kind: "5xx", times: 10 });
    const first = await channel(ttlMs).send(message);
    expect(first).toMatchObject({ ok: false, retryable: true });
    sim.state.clearFaults();
    const failedCreates = creates();

    // Straight after, the claim still lives: nobody creates.
    const soon = await channel(ttlMs).send(message);
    expect(soon).toMatchObject({ ok: false, error: expect.stringMatching(/another deliverer is opening the ticket/) });
    expect(creates()).toBe(failedCreates);

    const taken = await untilSent(() => channel(ttlMs).send(message));
    expect(taken.detail).toMatch(/opened ticket \d+/);
    expect(sim.state.tickets).toHaveLength(1);
    expect(creates()).toBe(failedCreates + 1);
    const { record } = await store.ticket(findingKeyOf(tenantId, ca.checkId, ca.subject));
    expect(record).toMatchObject({ generation: 0, ticketId: String(sim.state.tickets[0]!.id) });
  });
});
