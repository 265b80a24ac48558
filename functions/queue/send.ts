/**
 * Sending to a queue: the queue is created on first use (remembered per process, retried if the
 * creation failed), and every message goes out encoded as the trigger expects.
 */
import type { QueueClient } from "@azure/storage-queue";
import { encodeMessage, type AlertMessage, type TenantCheckMessage } from "./messages.js";

export class MessageQueue<T extends TenantCheckMessage | AlertMessage> {
  private created: Promise<void> | undefined;
  constructor(readonly client: QueueClient) {}

  get name(): string {
    return this.client.name;
  }

  /** Resolves once the queue exists (createIfNotExists: "already there" is success). */
  async ready(): Promise<QueueClient> {
    this.created ??= this.client.createIfNotExists().then(
      () => undefined,
      (error: unknown) => {
        this.created = undefined;
        throw error;
      },
    );
    await this.created;
    return this.client;
  }

  /** Sends one message; returns the queue's message id. */
  async send(message: T): Promise<string> {
    const client = await this.ready();
    const r = await client.sendMessage(encodeMessage(message));
    return r.messageId;
  }
}
