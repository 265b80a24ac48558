/**
 * Every PsaClient path against its vendor's simulator over HTTPS: company lookup, create, find by
 * key (never by title), note, close, reopen, refused credentials, 429 then success, 5xx, a create
 * whose answer was lost, a Retry-After beyond what a call waits, and credentials kept out of errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import { connectwiseClient } from "../../lib/tickets/psa/connectwise.js";
import { autotaskClient } from "../../lib/tickets/psa/autotask.js";
import { haloClient } from "../../lib/tickets/psa/halo.js";
import { DEFAULT_PRIORITIES } from "../../lib/tickets/psa/priority.js";
import { PsaError, type TransportDeps, type TransportPolicy } from "../../lib/tickets/psa/transport.js";
import type { PsaClient, PsaVendor } from "../../lib/tickets/psa/types.js";
import type { PsaCredentials } from "../../sim/psa/server.js";

const FAST: TransportPolicy = { timeoutMs: 5_000, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 30_000, concurrency: 2, minIntervalMs: 0 };
const HORIZON_MS = 60 * 60_000;

type Factory = (sim: RunningPsaSimulator, deps: TransportDeps, credentials?: Partial<PsaCredentials>) => PsaClient;

/** Each vendor: the client as the simulator's credentials configure it, and the statuses its sim starts with. */
const VENDORS: Record<PsaVendor, { make: Factory; wrong: Partial<PsaCredentials>; secrets: (sim: RunningPsaSimulator) => string[] }> = {
  connectwise: {
    make: (sim, deps, c) =>
      connectwiseClient(
        {
          baseUrl: sim.apiBase,
          ...(c?.connectwise ?? sim.credentials.connectwise),
          boardId: 1,
          openStatusId: 3,
          closedStatusId: 5,
          priorities: DEFAULT_PRIORITIES.connectwise,
        },
        deps,
        FAST,
      ),
    wrong: { connectwise: { company: "driftmsp", publicKey: "sim-public-key", privateKey: "wrong-private-key-1234", clientId: "0d3c1a52-sim-client-id" } },
    secrets: (sim) => [sim.credentials.connectwise.privateKey, "wrong-private-key-1234"],
  },
  autotask: {
    make: (sim, deps, c) =>
      autotaskClient(
        {
          lookupUrl: `${sim.url}/atservicesrest`,
          zoneKnown: false,
          ...(c?.autotask ?? sim.credentials.autotask),
          queueId: 29683,
          openStatusId: 1,
          closedStatusId: 5,
          priorities: DEFAULT_PRIORITIES.autotask,
        },
        deps,
        FAST,
      ),
    wrong: { autotask: { userName: "api-user@driftmsp.example", secret: "wrong-autotask-secret", integrationCode: "SIMINTEGRATIONCODE000000001" } },
    secrets: (sim) => [sim.credentials.autotask.secret, "wrong-autotask-secret"],
  },
  halo: {
    make: (sim, deps, c) =>
      haloClient(
        { baseUrl: sim.url, ...(c?.halo ?? sim.credentials.halo), openStatusId: 2, closedStatusId: 9, priorities: DEFAULT_PRIORITIES.halo, noteOutcomeId: 7 },
        deps,
        FAST,
      ),
    wrong: { halo: { clientId: "sim-halo-client", clientSecret: "wrong-halo-secret-0000" } },
    secrets: (sim) => [sim.credentials.halo.clientSecret, "wrong-halo-secret-0000"],
  },
};

describe.each(Object.keys(VENDORS) as PsaVendor[])("%s client against its simulator", (vendor) => {
  let sim: RunningPsaSimulator;
  let client: PsaClient;
  let sleeps: number[];
  const deps: TransportDeps = {
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
  };
  const key = "t01-acct01-ca-policy-blocks";
  // Halo creates and updates through the same POST /api/Tickets.
  const createRoute = vendor === "halo" ? "tickets.save" : "tickets.create";
  const newTicket = (companyId: string, k = key) => ({
    companyId,
    key: k,
    summary: "Drift: Conditional Access blocks the connection account",
    description: "Policy CA02 now applies.",
    severity: "now" as const,
  });

  beforeAll(async () => {
    sim = await startTestPsaSimulator(vendor);
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.state.reset();
    sleeps = [];
    client = VENDORS[vendor].make(sim, deps);
  });

  it("finds the mapped company and nothing for an unknown one", async () => {
    const company = await client.findCompany(vendor === "connectwise" ? "NorthwindTraders" : "Northwind Traders");
    expect(company).toEqual({ id: String(sim.state.companies[1]!.id), name: "Northwind Traders" });
    expect(await client.findCompany("No Such Company")).toBeUndefined();
  });

  it("opens a ticket with the key, finds it by the key and not by its title, notes it, closes and reopens it", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    const created = await client.createTicket(newTicket(company.id));
    expect(created).toMatchObject({ companyId: company.id, closed: false });
    expect(sim.state.tickets).toHaveLength(1);
    const stored = sim.state.tickets[0]!;
    expect(stored.priority).toBe(DEFAULT_PRIORITIES[vendor].now);
    if (vendor === "connectwise") expect(stored.externalRef).toBe(key);
    expect(stored.description).toContain(`[drift-monitor:${key}]`);

    expect((await client.findTicketByKey(company.id, key))?.id).toBe(created.id);
    // Same title, other key: a retitled or other finding is never taken for this one.
    await client.createTicket(newTicket(company.id, "t01-acct01-other-check"));
    expect((await client.findTicketByKey(company.id, key))?.id).toBe(created.id);
    expect(await client.findTicketByKey(company.id, "t99-no-such-ticket-key")).toBeUndefined();
    const other = (await client.findCompany("Litware"))!;
    expect(await client.findTicketByKey(other.id, key)).toBeUndefined();

    await client.addNote(created.id, "Reminder: the drift still stands.");
    expect(stored.notes).toEqual([expect.objectContaining({ text: "Reminder: the drift still stands.", internal: true })]);

    const closed = await client.setStatus(created.id, "closed");
    expect(closed.closed).toBe(true);
    expect(stored.closed).toBe(true);
    expect((await client.findTicketByKey(company.id, key))?.closed).toBe(true);
    expect((await client.getTicket(created.id))?.closed).toBe(true);

    const reopened = await client.setStatus(created.id, "open");
    expect(reopened.closed).toBe(false);
    expect(stored.closed).toBe(false);
    expect(await client.getTicket("987654")).toBeUndefined();
  });

  it("refuses wrong credentials with a 401 that names neither secret", async () => {
    const wrong = VENDORS[vendor].make(sim, deps, VENDORS[vendor].wrong);
    const error = await wrong.findCompany("Fabrikam").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PsaError);
    expect((error as PsaError).status).toBe(401);
    for (const secret of VENDORS[vendor].secrets(sim)) expect((error as PsaError).message).not.toContain(secret);
    expect(sim.state.tickets).toHaveLength(0);
  });

  it("waits out a 429 for its Retry-After, then succeeds", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    sim.state.addFault({ route: createRoute, kind: "429", times: 1, retryAfterSeconds: 2 });
    await client.createTicket(newTicket(company.id));
    expect(sleeps).toContain(2_000);
    expect(sim.state.counters[createRoute]).toBe(2);
    expect(sim.state.tickets).toHaveLength(1);
  });

  it("retries a 5xx, and gives up after its attempts with a retryable error", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    sim.state.addFault({ route: "tickets.query", kind: "5xx", times: 1 });
    expect(await client.findTicketByKey(company.id, key)).toBeUndefined();
    sim.state.addFault({ route: "tickets.query", kind: "5xx" });
    const before = sim.state.counters["tickets.query"] ?? 0;
    const error = await client.findTicketByKey(company.id, key).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((sim.state.counters["tickets.query"] ?? 0) - before).toBe(FAST.maxAttempts);
  });

  it("opens one ticket, not two, when the create's answer is lost after the PSA saved it", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    sim.state.addFault({ route: createRoute, kind: "5xx-after", times: 1 });
    const ticket = await client.createTicket(newTicket(company.id));
    expect(sim.state.tickets).toHaveLength(1);
    expect(ticket.id).toBe(String(sim.state.tickets[0]!.id));
  });

  it("hands a Retry-After longer than a call waits back to the caller, clamped to the horizon", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    sim.state.addFault({ route: "notes.create", kind: "429", retryAfterSeconds: 10 * 24 * 3600 });
    const ticket = await client.createTicket(newTicket(company.id));
    const error = await client.addNote(ticket.id, "note").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: HORIZON_MS });
    expect(sleeps.every((ms) => ms <= FAST.maxDelayMs)).toBe(true);
  });

  it("keeps its credentials out of an error whose body echoes the request", async () => {
    const company = (await client.findCompany("Fabrikam"))!;
    sim.state.addFault({ route: "tickets.query", kind: "400-echo", times: 1 });
    const error = (await client.findTicketByKey(company.id, key).catch((e: unknown) => e)) as PsaError;
    expect(error.status).toBe(400);
    expect(error.message).toContain("[redacted]");
    for (const secret of VENDORS[vendor].secrets(sim)) expect(error.message).not.toContain(secret);
    const basic = Buffer.from(
      `${sim.credentials.connectwise.company}+${sim.credentials.connectwise.publicKey}:${sim.credentials.connectwise.privateKey}`,
    ).toString("base64");
    expect(error.message).not.toContain(basic);
  });
});

describe("vendor specifics", () => {
  it("Autotask looks its zone up once, and Halo asks for one token for many calls", async () => {
    const at = await startTestPsaSimulator("autotask");
    const halo = await startTestPsaSimulator("halo");
    try {
      const deps: TransportDeps = { sleep: () => Promise.resolve() };
      const a = VENDORS.autotask.make(at, deps);
      const h = VENDORS.halo.make(halo, deps);
      for (const c of [a, h]) {
        await c.findCompany("Fabrikam");
        await c.findTicketByKey("250", "t01-acct01-ca-policy-blocks");
      }
      expect(at.state.counters.zoneInformation).toBe(1);
      expect(halo.state.counters.token).toBe(1);
    } finally {
      await at.stop();
      await halo.stop();
    }
  });
});
