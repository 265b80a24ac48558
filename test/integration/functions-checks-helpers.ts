/** Set-up shared by the functions-checks-*.test.ts files: the simulator, a fresh app on a test clock, queue helpers and sample tenants. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { setApp, type App } from "../../functions/app/index.js";
import { poisonQueueName, tenantCheckMessageSchema, type TenantCheckMessage } from "../../functions/queue/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { testApp, TestClock } from "./functions-helpers.js";

let sim: RunningSimulator;
export let clock: TestClock;
export let app: App;

export function fresh(env: Record<string, string> = {}, options: Parameters<typeof testApp>[3] = {}): App {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock, env, options);
  setApp(app);
  return app;
}

/** The simulator the group's tests run against (started by useSimulator). */
export const simulator = (): RunningSimulator => sim;

export const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
const serviceClient = () => QueueServiceClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "");
export const poisonOf = (queue: QueueClient) => serviceClient().getQueueClient(poisonQueueName(queue.name));
export const parseCheck = (text: string): TenantCheckMessage => tenantCheckMessageSchema.parse(JSON.parse(text));

export const woodgrove = sampleTenant("Woodgrove");
export const fabrikam = sampleTenant("Fabrikam");
export const adatum = sampleTenant("Adatum");
export const litware = sampleTenant("Litware");

/** Registers the set-up and tear-down every test file of this group shares. */
export function useSimulator(): void {
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  afterEach(() => setApp(undefined));
}
