/**
 * Shared pieces of the Functions app tests: an app on the run's Azurite in tables and queues of
 * its own, whose Graph credential is a client secret against the simulator's token endpoint (the
 * production credential path, one token per tenant); a clock the test moves; and a small stand-in
 * for the host's queue listener that reads messages with the real QueueClient, hands the handler
 * what the trigger would (base64-decoded text, dequeueCount in the trigger metadata), deletes
 * the message on success, makes it visible again on failure, and moves it to `<queue>-poison`
 * after maxDequeueCount attempts — as the host does.
 */
import { randomBytes } from "node:crypto";
import type { InvocationContext } from "@azure/functions";
import type { QueueClient } from "@azure/storage-queue";
import { createApp, type App, type AppOptions } from "../../functions/app/index.js";
import type { RegisteredTenantInput } from "../../lib/model/tenant.js";
import { decodeMessageText, QUEUE_HOST_SETTINGS } from "../../functions/queue/index.js";
import { invocationContext } from "../../functions/handlers/context.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";

const CLIENT_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";

export class TestClock {
  constructor(private at: Date) {}
  now = (): Date => new Date(this.at.getTime());
  advanceMinutes(minutes: number): Date {
    this.at = new Date(this.at.getTime() + minutes * 60_000);
    return this.now();
  }
}

export function testApp(sim: RunningSimulator, clock: TestClock, env: Record<string, string> = {}, options: Partial<AppOptions> = {}): App {
  const suffix = randomBytes(4).toString("hex");
  const connectionString = process.env.AzureWebJobsStorage;
  if (!connectionString) throw new Error("AzureWebJobsStorage is not set: run through vitest (test/setup/azurite.ts)");
  return createApp({
    env: {
      AzureWebJobsStorage: connectionString,
      GRAPH_ENDPOINT: sim.url,
      AZURE_AUTHORITY_HOST: sim.url,
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: "test-only",
      ...env,
    },
    storeOptions: { tenantsTable: `FnT${suffix}`, monitorTable: `FnM${suffix}` },
    queueNames: { tenantChecks: `checks-${suffix}`, alerts: `alerts-${suffix}` },
    now: clock.now,
    runner: { collectOptions: { sleep: async () => {}, random: () => 0.5 } },
    delivery: { sleep: async () => {}, random: () => 0.5 },
    digest: { sleep: async () => {}, random: () => 0.5 },
    ...options,
  });
}

/** A sample tenant as the API or CLI would register it. */
export function sampleInput(name: string, overrides: Partial<RegisteredTenantInput> = {}): RegisteredTenantInput {
  const t = sampleTenant(name);
  return { tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"], ...overrides };
}

/** A context as the host builds it for a queue message (logs kept quiet unless asked). */
export function queueContext(dequeueCount: number, messageId = "test-message"): InvocationContext {
  return invocationContext({ triggerMetadata: { dequeueCount, id: messageId }, logHandler: () => {} });
}

export const quietContext = (): InvocationContext => invocationContext({ logHandler: () => {} });

/** Every message waiting on a queue, decoded as the trigger would hand it over, then deleted. */
export async function takeAll(queue: QueueClient): Promise<string[]> {
  await queue.createIfNotExists();
  const out: string[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) return out;
    for (const m of receivedMessageItems) {
      out.push(decodeMessageText(m.messageText));
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

interface DrainStats {
  /** Handler invocations per message text. */
  readonly invocations: Map<string, number>;
  readonly poisoned: string[];
}

/**
 * Runs `handler` over the queue until it is empty, as the host's listener would (see the file
 * comment). A failed message is made visible again at once instead of after visibilityTimeout.
 */
export async function drain(
  queue: QueueClient,
  poison: QueueClient,
  handler: (payload: unknown, context: InvocationContext) => Promise<unknown>,
): Promise<DrainStats> {
  await queue.createIfNotExists();
  const invocations = new Map<string, number>();
  const poisoned: string[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 16, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) return { invocations, poisoned };
    for (const m of receivedMessageItems) {
      const text = decodeMessageText(m.messageText);
      invocations.set(text, (invocations.get(text) ?? 0) + 1);
      try {
        await handler(text, queueContext(m.dequeueCount, m.messageId));
        await queue.deleteMessage(m.messageId, m.popReceipt);
      } catch {
        if (m.dequeueCount >= QUEUE_HOST_SETTINGS.maxDequeueCount) {
          await poison.createIfNotExists();
          await poison.sendMessage(m.messageText);
          await queue.deleteMessage(m.messageId, m.popReceipt);
          poisoned.push(text);
        } else {
          await queue.updateMessage(m.messageId, m.popReceipt, undefined, 0);
        }
      }
    }
  }
}
