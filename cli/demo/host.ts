/**
 * A small stand-in for the Functions host, enough to run the real handlers in this process: a
 * timer invocation, and a queue drained the way the queue trigger does it — receive with the real
 * QueueClient, base64-decode, hand the JSON to the handler with its dequeueCount, delete the
 * message when the handler returns, make it visible again when it throws, and move it to
 * `<queue>-poison` after maxDequeueCount attempts.
 */
import { randomUUID } from "node:crypto";
import type { InvocationContext, Timer } from "@azure/functions";
import type { QueueServiceClient } from "@azure/storage-queue";
import pLimit from "p-limit";
import { decodeMessageText } from "../../functions/queue/messages.js";
import { poisonQueueName } from "../../functions/queue/names.js";
import { invocationContext, timerInfo } from "../../functions/handlers/context.js";
import { errorMessage } from "../../lib/errors/text.js";

interface HostLog {
  readonly functionName: string;
  readonly level: string;
  readonly text: string;
}

interface Invocation<R> {
  readonly functionName: string;
  readonly result: R | undefined;
  readonly error: string | undefined;
}

export class DemoHost {
  /** Every line the handlers logged, for --verbose and for explaining a failure. */
  readonly logs: HostLog[] = [];

  constructor(
    private readonly queues: QueueServiceClient,
    private readonly options: { readonly maxDequeueCount: number; readonly concurrency: number; readonly onLog?: (log: HostLog) => void },
  ) {}

  /** An invocation context whose log lines the host keeps. */
  context(functionName: string, triggerMetadata: Record<string, unknown> = {}): InvocationContext {
    return invocationContext({
      functionName,
      invocationId: randomUUID(),
      triggerMetadata,
      logHandler: (level, ...args) => {
        const log = { functionName, level, text: args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ") };
        this.logs.push(log);
        this.options.onLog?.(log);
      },
    });
  }

  async timer<R>(functionName: string, handler: (timer: Timer, context: InvocationContext) => Promise<R>, now: Date): Promise<R> {
    return handler(timerInfo(now), this.context(functionName));
  }

  /** Runs `handler` on every message in `queueName` until the queue is empty; returns each invocation. */
  async drain<R>(queueName: string, functionName: string, handler: (payload: unknown, context: InvocationContext) => Promise<R>): Promise<Invocation<R>[]> {
    const queue = this.queues.getQueueClient(queueName);
    await queue.createIfNotExists();
    const limit = pLimit(this.options.concurrency);
    const done: Invocation<R>[] = [];
    for (;;) {
      // Short visibility: a handler that throws is retried on the next receive, not a minute later.
      const batch = (await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 })).receivedMessageItems;
      if (batch.length === 0) {
        const { approximateMessagesCount } = await queue.getProperties();
        if (!approximateMessagesCount) return done;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      await Promise.all(
        batch.map((m) =>
          limit(async () => {
            const text = decodeMessageText(m.messageText);
            let payload: unknown = text;
            try {
              // The host hands a JSON message over parsed.
              payload = JSON.parse(text) as unknown;
            } catch {
              // left as text: the handler reports it
            }
            const context = this.context(functionName, { id: m.messageId, dequeueCount: m.dequeueCount, popReceipt: m.popReceipt });
            try {
              const result = await handler(payload, context);
              await queue.deleteMessage(m.messageId, m.popReceipt);
              done.push({ functionName, result, error: undefined });
            } catch (error) {
              const text = errorMessage(error);
              if (m.dequeueCount >= this.options.maxDequeueCount) {
                await this.poison(queueName, m.messageText);
                await queue.deleteMessage(m.messageId, m.popReceipt);
                done.push({ functionName, result: undefined, error: text });
              } else {
                await queue.updateMessage(m.messageId, m.popReceipt, undefined, 0);
              }
            }
          }),
        ),
      );
    }
  }

  private async poison(queueName: string, messageText: string): Promise<void> {
    const poison = this.queues.getQueueClient(poisonQueueName(queueName));
    await poison.createIfNotExists();
    await poison.sendMessage(messageText);
  }
}
