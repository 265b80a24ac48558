/** The PSA clients of the tickets tests, each over its simulator, paced for tests: shared by the tests and their worker process. */
import { autotaskClient } from "../../lib/tickets/psa/autotask.js";
import { connectwiseClient } from "../../lib/tickets/psa/connectwise.js";
import { haloClient } from "../../lib/tickets/psa/halo.js";
import { DEFAULT_PRIORITIES } from "../../lib/tickets/psa/priority.js";
import type { TransportPolicy } from "../../lib/tickets/psa/transport.js";
import type { PsaClient, PsaVendor } from "../../lib/tickets/psa/types.js";
import type { RunningPsaSimulator } from "../../sim/psa/testing.js";

const FAST: TransportPolicy = { timeoutMs: 5_000, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 30_000, concurrency: 2, minIntervalMs: 0 };
const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };

type SimAddress = Pick<RunningPsaSimulator, "url" | "apiBase" | "credentials">;

/** Each vendor's client over its simulator, and the simulator's closed status id. */
export const VENDORS: Record<PsaVendor, { make: (sim: SimAddress) => PsaClient; closed: number }> = {
  connectwise: {
    make: (sim) =>
      connectwiseClient(
        { baseUrl: sim.apiBase, ...sim.credentials.connectwise, boardId: 1, openStatusId: 3, closedStatusId: 5, priorities: DEFAULT_PRIORITIES.connectwise },
        noSleep,
        FAST,
      ),
    closed: 5,
  },
  autotask: {
    make: (sim) =>
      autotaskClient(
        {
          lookupUrl: `${sim.url}/atservicesrest`,
          zoneKnown: false,
          ...sim.credentials.autotask,
          queueId: 29683,
          openStatusId: 1,
          closedStatusId: 5,
          priorities: DEFAULT_PRIORITIES.autotask,
        },
        noSleep,
        FAST,
      ),
    closed: 5,
  },
  halo: {
    make: (sim) =>
      haloClient(
        { baseUrl: sim.url, ...sim.credentials.halo, openStatusId: 2, closedStatusId: 9, priorities: DEFAULT_PRIORITIES.halo, noteOutcomeId: 7 },
        noSleep,
        FAST,
      ),
    closed: 9,
  },
};
