/**
 * The queue messages, their schemas and their wire encoding.
 *
 * Encoding: the Functions queue trigger base64-decodes message text by default (host.json
 * `extensions.queues.messageEncoding: "base64"`), while @azure/storage-queue sends text as given.
 * So every message is JSON, then base64 (`encodeMessage`); a plain-text message would fail to
 * decode in the host and go straight to the poison queue.
 *
 * On the way in the host hands the handler either the decoded text or, when that text is JSON,
 * the parsed object; `parseMessage` accepts both and validates with zod. A message that does not
 * parse is not retried: retrying cannot fix it.
 *
 * Field names must not collide with the trigger's metadata (id, dequeueCount, popReceipt, …): the
 * Node.js library copies a JSON payload's properties over `context.triggerMetadata`
 * (azure-functions-nodejs-library#459), and checkTenant reads `dequeueCount` from there.
 */
import { z } from "zod";
import { tenantIdSchema } from "../../lib/model/tenant.js";
import { accountKeySchema } from "../../lib/model/account.js";

export const CHECK_REASONS = ["schedule", "manual"] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

export const tenantCheckMessageSchema = z.object({
  tenantId: tenantIdSchema,
  enqueuedAt: z.iso.datetime({ error: "enqueuedAt must be an ISO date-time" }),
  reason: z.enum(CHECK_REASONS, { error: `reason must be one of ${CHECK_REASONS.join(", ")}` }),
  /** The check lease taken for this message; the check releases only its own lease. */
  leaseId: z.string().min(1).max(64).optional(),
});
export type TenantCheckMessage = z.infer<typeof tenantCheckMessageSchema>;

export const alertMessageSchema = z.object({
  tenantId: tenantIdSchema,
  /** The account the alert is of: absent or "" for the tenant's first account (messages queued before accounts had keys). */
  accountKey: accountKeySchema.optional(),
  /** The outbox row id (`alert|{alertId}` in the account's Monitor partition). */
  alertId: z.string().regex(/^[0-9a-f]{8,64}$/, { error: "alertId must be an outbox row id (hex)" }),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/** The trigger metadata names a message field must not use (see the file comment). */
export const TRIGGER_METADATA_NAMES = ["id", "queueTrigger", "dequeueCount", "expirationTime", "insertionTime", "nextVisibleTime", "popReceipt"] as const;

/** JSON then base64: the text to send so the queue trigger reads it back as the JSON. */
export function encodeMessage(message: TenantCheckMessage | AlertMessage): string {
  return Buffer.from(JSON.stringify(message), "utf8").toString("base64");
}

/** What the trigger does to the text before the handler sees it (base64 → UTF-8). */
export function decodeMessageText(text: string): string {
  return Buffer.from(text, "base64").toString("utf8");
}

type ParsedMessage<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

/** Validates a trigger payload: the decoded text, or the object the host parsed from it. */
export function parseMessage<T>(schema: z.ZodType<T>, payload: unknown): ParsedMessage<T> {
  let value = payload;
  if (typeof payload === "string") {
    try {
      value = JSON.parse(payload) as unknown;
    } catch {
      return { ok: false, error: `not JSON: ${JSON.stringify(payload.slice(0, 80))}` };
    }
  } else if (payload instanceof Uint8Array) {
    return parseMessage(schema, Buffer.from(payload).toString("utf8"));
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ") };
  }
  return { ok: true, message: parsed.data };
}
