/**
 * What every PSA client inherits from its transport, shown over HTTPS against a simulator: bounded
 * concurrency, pacing between starts, a timeout per attempt, and Halo's token kept, renewed when it
 * expires and fetched again once when the PSA refuses it, and a caller's deadline over all its requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import { autotaskClient } from "../../lib/tickets/psa/autotask.js";
import { haloClient } from "../../lib/tickets/psa/halo.js";
import { DEFAULT_PRIORITIES } from "../../lib/tickets/psa/priority.js";
import { withDeadline, type TransportDeps, type TransportPolicy } from "../../lib/tickets/psa/transport.js";

const POLICY: TransportPolicy = { timeoutMs: 5_000, maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 30_000, concurrency: 3, minIntervalMs: 0 };

describe("PSA transport", () => {
  let at: RunningPsaSimulator;
  let halo: RunningPsaSimulator;
  let sleeps: number[];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const autotask = (policy: TransportPolicy, deps: TransportDeps = { sleep }) =>
    autotaskClient(
      {
        lookupUrl: `${at.url}/atservicesrest`,
        zoneKnown: true,
        ...at.credentials.autotask,
        queueId: 1,
        openStatusId: 1,
        closedStatusId: 5,
        priorities: DEFAULT_PRIORITIES.autotask,
      },
      deps,
      policy,
    );
  const haloOf = (deps: TransportDeps) =>
    haloClient(
      { baseUrl: halo.url, ...halo.credentials.halo, openStatusId: 2, closedStatusId: 9, priorities: DEFAULT_PRIORITIES.halo, noteOutcomeId: 7 },
      deps,
      POLICY,
    );

  beforeAll(async () => {
    at = await startTestPsaSimulator("autotask");
    halo = await startTestPsaSimulator("halo");
  });
  afterAll(async () => {
    await at.stop();
    await halo.stop();
  });
  beforeEach(() => {
    at.state.reset();
    halo.state.reset();
    sleeps = [];
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    at.state.latencyMs = 80;
    const client = autotask(POLICY, {});
    await Promise.all(Array.from({ length: 9 }, () => client.findCompany("Fabrikam")));
    expect(at.state.counters["companies.query"]).toBe(9);
    expect(at.state.peakInFlight).toBe(3);
  });

  it("spaces the starts of its requests by minIntervalMs", async () => {
    const fixed = new Date("2026-12-06T12:00:00Z");
    const client = autotask({ ...POLICY, minIntervalMs: 1_000 }, { sleep, now: () => fixed });
    for (let i = 0; i < 3; i++) await client.findCompany("Fabrikam");
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it("gives each attempt a timeout and retries a read that got no answer", async () => {
    at.state.latencyMs = 400;
    const error = await autotask({ ...POLICY, timeoutMs: 100 })
      .findCompany("Fabrikam")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: undefined, retryable: true, message: "autotask company lookup: no answer within 100 ms" });
    expect(at.state.counters["companies.query"]).toBe(POLICY.maxAttempts);
  });

  it("starts no request after the caller's deadline, and cuts off the one in flight when it passes", async () => {
    const client = autotask(POLICY, {});
    const late = await withDeadline(AbortSignal.abort(), () => client.findCompany("Fabrikam")).catch((e: unknown) => e);
    expect(late).toMatchObject({ retryable: true, message: "autotask company lookup: not sent, the caller's deadline has passed" });
    expect(at.state.counters["companies.query"]).toBeUndefined();

    at.state.latencyMs = 2_000;
    const cut = await withDeadline(AbortSignal.timeout(100), () => client.findCompany("Fabrikam")).catch((e: unknown) => e);
    expect(cut).toMatchObject({ status: undefined, message: "autotask company lookup: cut off at the caller's deadline, no answer yet" });
    // Not retried: the deadline is the caller's, not one attempt's.
    expect(at.state.counters["companies.query"]).toBe(1);
  });

  it("keeps Halo's token until shortly before it expires, then takes a new one", async () => {
    let now = new Date("2026-12-06T12:00:00Z");
    const client = haloOf({ sleep, now: () => now });
    await client.findCompany("Fabrikam");
    now = new Date(now.getTime() + 58 * 60_000);
    await client.findCompany("Fabrikam");
    expect(halo.state.counters.token).toBe(1);
    now = new Date(now.getTime() + 60_000);
    await client.findCompany("Fabrikam");
    expect(halo.state.counters.token).toBe(2);
  });

  it("takes a new Halo token once when the PSA refuses the one it has", async () => {
    const client = haloOf({ sleep });
    await client.findCompany("Fabrikam");
    halo.state.tokens.clear();
    expect(await client.findCompany("Fabrikam")).toMatchObject({ name: "Fabrikam" });
    expect(halo.state.counters.token).toBe(2);
    expect(halo.state.counters["companies.query"]).toBe(3);
  });
});
