/**
 * Email through Azure Communication Services. The operation id is derived from the outbox row
 * (RenderedEmail.operationId), so a repeated send — a retry after a timeout, a sender that
 * crashed before it recorded success — names the operation the service already has instead of
 * queuing a second email.
 *
 * The SDK's own retry policy is turned off: this module reports 429/5xx with their Retry-After
 * and the delivery loop decides (with an injected clock), so attempts are counted on the row.
 */
import { EmailClient, type EmailMessage, type EmailSendResponse } from "@azure/communication-email";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { EmailTarget } from "../../config/alert-settings.js";
import { isRetryableStatus, retryAfterMs, type HeaderSource } from "../../retry/backoff.js";
import type { Channel, OutgoingMessage, SendOutcome } from "./types.js";
import { redact } from "../../errors/redact.js";

/** The slice of EmailClient used here, so tests can interpose. */
export interface EmailSender {
  beginSend: EmailClient["beginSend"];
}

export interface AcsClientOptions {
  /** Overrides DefaultAzureCredential for ACS_ENDPOINT (managed identity). */
  readonly credential?: TokenCredential;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** http is allowed only to a loopback endpoint (the local fake in tests); settings refuse any other. */
function insecureAllowed(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

export function createEmailClient(target: Exclude<EmailTarget, { kind: "eml" }>, options: AcsClientOptions = {}): EmailClient {
  const clientOptions = { retryOptions: { maxRetries: 0 }, allowInsecureConnection: insecureAllowed(target.endpoint) };
  if (target.kind === "acs-connection-string") return new EmailClient(target.connectionString, clientOptions);
  const credential = options.credential ?? new DefaultAzureCredential(target.clientId ? { managedIdentityClientId: target.clientId } : {});
  return new EmailClient(target.endpoint, credential, clientOptions);
}

interface RestErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
  readonly response?: { readonly headers?: HeaderSource };
}

function asRestError(error: unknown): RestErrorLike {
  if (typeof error !== "object" || error === null) return { message: String(error) };
  const e = error as Partial<RestErrorLike>;
  return {
    statusCode: typeof e.statusCode === "number" ? e.statusCode : undefined,
    code: typeof e.code === "string" ? e.code : undefined,
    message: redact(typeof e.message === "string" ? e.message : String(error)),
    response: e.response && typeof e.response.headers?.get === "function" ? { headers: e.response.headers } : undefined,
  };
}

interface AcsChannelOptions {
  /** How often the send operation is polled (ms). */
  readonly pollIntervalMs?: number;
  /** Clock for Retry-After dates. */
  readonly now?: () => Date;
  /** How long the POST and the polling until the operation ends may take together (default 90 s). */
  readonly timeoutMs?: number;
}

/**
 * ACS usually ends an operation within seconds; 90 s covers a slow service while keeping a send
 * that will never end from holding the sender (and its lease) for the function's whole timeout.
 */
const ACS_TIMEOUT_MS = 90_000;

export function acsChannel(client: EmailSender, options: AcsChannelOptions = {}): Channel {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? ACS_TIMEOUT_MS;
  return {
    name: "acs",
    timeoutMs,
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      if (m.to.length === 0) {
        return { ok: false, retryable: false, error: "no recipients: the tenant has none and ALERT_TO is empty" };
      }
      const message: EmailMessage = {
        senderAddress: m.from,
        content: { subject: m.rendered.subject, html: m.rendered.html, plainText: m.rendered.text },
        recipients: { to: m.to.map((address) => ({ address })) },
        headers: { "X-Drift-Monitor-Alert": m.rendered.id },
      };
      let poller: Awaited<ReturnType<EmailSender["beginSend"]>> | undefined;
      const abortSignal = AbortSignal.timeout(timeoutMs);
      try {
        const updateIntervalInMs = options.pollIntervalMs ?? 2_000;
        poller = await client.beginSend(message, { operationId: m.rendered.operationId, updateIntervalInMs, abortSignal });
        const result: EmailSendResponse = await poller.pollUntilDone({ abortSignal });
        if (result.status === "Succeeded") return { ok: true, detail: `ACS operation ${m.rendered.operationId} succeeded` };
        return {
          ok: false,
          retryable: false,
          error: `ACS operation ${m.rendered.operationId} ended ${result.status}${result.error?.message ? `: ${redact(result.error.message)}` : ""}`,
        };
      } catch (error) {
        // No answer in time: the operation id makes the next try find this operation if it did start.
        if (abortSignal.aborted) return { ok: false, retryable: true, timedOut: true, error: `ACS gave no answer within ${Math.round(timeoutMs / 1000)} s` };
        const state = poller?.getOperationState().status;
        const e = asRestError(error);
        if (state === "failed" || state === "canceled") {
          // The service accepted the operation and then gave up on it (e.g. a rejected recipient);
          // the same operation id would only return the same verdict.
          return { ok: false, retryable: false, error: `ACS operation ${m.rendered.operationId} ${state}: ${e.message}` };
        }
        const status = e.statusCode;
        return {
          ok: false,
          retryable: isRetryableStatus(status),
          error: `ACS ${status ?? "request failed"}${e.code ? ` ${e.code}` : ""}: ${e.message}`,
          retryAfterMs: retryAfterMs(e.response?.headers, now()),
          ...(status === 429 ? { throttled: true } : {}),
        };
      }
    },
  };
}
