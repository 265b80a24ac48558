/**
 * The Functions host's queue listener, as one instance runs it for one queue function, enough to
 * drive the real handler in a worker process of the benchmark:
 *
 * - it fetches `batchSize` messages at a time and fetches again when the messages in flight drop
 *   to `newBatchThreshold`, so at most batchSize + newBatchThreshold run at once (host.json);
 * - a message is received invisible for 10 minutes (the host's own lease, which it renews while
 *   the function runs; a check here finishes well inside it);
 * - the handler gets the base64-decoded text (parsed, when it is JSON) and a context whose
 *   trigger metadata carries id, dequeueCount and popReceipt;
 * - returned: the message is deleted; thrown: it is made visible again after host.json's
 *   `visibilityTimeout`, or, on the `maxDequeueCount`th attempt, copied to `<queue>-poison` and
 *   deleted;
 * - an empty queue is polled again after a randomized back-off from 100 ms doubling up to
 *   `maxPollingInterval`; a non-empty one at once.
 */
import type { InvocationContext } from "@azure/functions";
import type { DequeuedMessageItem, QueueClient } from "@azure/storage-queue";
import { invocationContext } from "../functions/handlers/context.js";
import { decodeMessageText } from "../functions/queue/messages.js";
import { QUEUE_HOST_SETTINGS, timeSpanMs } from "../lib/config/host.js";
import { errorMessage } from "../lib/errors/text.js";

/** What became of one delivery of a message. */
export interface Delivery {
  readonly messageId: string;
  readonly dequeueCount: number;
  /** `returned`: deleted; `threw`: visible again later; `poisoned`: moved to `<queue>-poison`. */
  readonly outcome: "returned" | "threw" | "poisoned";
  readonly result?: unknown;
  readonly error?: string;
  readonly payload: unknown;
}

type Handler = (payload: unknown, context: InvocationContext) => Promise<unknown>;

/** The host's message lease on receive (WebJobs QueueListener: 10 minutes, renewed while running). */
const RECEIVE_VISIBILITY_SECONDS = 600;
const MIN_POLL_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class QueueListener {
  inFlight = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly settled = new Set<Promise<void>>();

  constructor(
    private readonly queue: QueueClient,
    /** `<queue>-poison` (functions/queue/names.ts `poisonQueueName`). */
    private readonly poison: QueueClient,
    private readonly handler: Handler,
    private readonly onDelivery: (d: Delivery) => void,
    private readonly settings = QUEUE_HOST_SETTINGS,
  ) {}

  /** Starts polling (at the shortest interval) if it is not already. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops fetching and waits for the messages in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    await Promise.all(this.settled);
  }

  private async poll(): Promise<void> {
    const maxPollMs = timeSpanMs(this.settings.maxPollingInterval);
    let idleMs = MIN_POLL_MS;
    while (this.running) {
      if (this.inFlight > this.settings.newBatchThreshold) {
        await new Promise<void>((resolve) => (this.wakeUp = resolve));
        continue;
      }
      let batch: DequeuedMessageItem[];
      try {
        batch = (await this.queue.receiveMessages({ numberOfMessages: this.settings.batchSize, visibilityTimeout: RECEIVE_VISIBILITY_SECONDS }))
          .receivedMessageItems;
      } catch (error) {
        // A queue nobody has sent to yet does not exist: as the host, poll it as an empty one.
        if ((error as { statusCode?: number }).statusCode !== 404) console.error(`queue listener: receive failed, polling again: ${errorMessage(error)}`);
        batch = [];
      }
      if (batch.length === 0) {
        // Randomized exponential back-off, as the host's: ±20 % around the doubling interval.
        await this.idle(idleMs * (0.8 + Math.random() * 0.4));
        idleMs = Math.min(maxPollMs, idleMs * 2);
        continue;
      }
      idleMs = MIN_POLL_MS;
      for (const m of batch) {
        this.inFlight += 1;
        const p = this.deliver(m.messageId, m.popReceipt, m.messageText, m.dequeueCount).finally(() => {
          this.inFlight -= 1;
          this.settled.delete(p);
          if (this.inFlight <= this.settings.newBatchThreshold) this.wakeUp?.();
        });
        this.settled.add(p);
      }
    }
  }

  private async idle(ms: number): Promise<void> {
    await Promise.race([sleep(ms), new Promise<void>((resolve) => (this.wakeUp = resolve))]);
  }

  private async deliver(messageId: string, popReceipt: string, messageText: string, dequeueCount: number): Promise<void> {
    const text = decodeMessageText(messageText);
    let payload: unknown = text;
    try {
      payload = JSON.parse(text) as unknown; // the host hands a JSON message over parsed
    } catch {
      // left as text: the handler reports it
    }
    const context = invocationContext({ triggerMetadata: { id: messageId, dequeueCount, popReceipt }, logHandler: () => {} });
    try {
      const result = await this.handler(payload, context);
      await this.queue.deleteMessage(messageId, popReceipt);
      this.onDelivery({ messageId, dequeueCount, outcome: "returned", result, payload });
    } catch (error) {
      const text = errorMessage(error);
      try {
        if (dequeueCount >= this.settings.maxDequeueCount) {
          await this.poison.createIfNotExists();
          await this.poison.sendMessage(messageText);
          await this.queue.deleteMessage(messageId, popReceipt);
          this.onDelivery({ messageId, dequeueCount, outcome: "poisoned", error: text, payload });
        } else {
          await this.queue.updateMessage(messageId, popReceipt, undefined, timeSpanMs(this.settings.visibilityTimeout) / 1000);
          this.onDelivery({ messageId, dequeueCount, outcome: "threw", error: text, payload });
        }
      } catch (release) {
        // As the host: the message comes back when its 10-minute lease runs out.
        this.onDelivery({ messageId, dequeueCount, outcome: "threw", error: `${text}; then: ${errorMessage(release)}`, payload });
      }
    }
  }
}
