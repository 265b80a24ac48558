/**
 * Rendering entry points. Pure: the same alert, settings and clock give byte-identical output,
 * which the fixture tests rely on.
 */
import type { OutboxAlert } from "../../model/state.js";
import { messageIdFor, operationIdFor } from "../ids.js";
import { alertDocument, type RenderOptions } from "./alert.js";
import type { MessageDocument } from "./document.js";
import { renderHtml } from "./html.js";
import { renderText } from "./text.js";

export interface RenderedEmail {
  /** The outbox row id (or digest id) this message is for. */
  readonly id: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** RFC 5322 Message-ID, derived from the id. */
  readonly messageId: string;
  /** The ACS operation id (a GUID derived from the id and generation): the service's idempotency key. */
  readonly operationId: string;
  /** The row's requeue generation (0 for a digest): with the id, what a webhook receiver folds repeats by. */
  readonly generation: number;
  /** The format-neutral content, for the webhook renderers. */
  readonly document: MessageDocument;
}

export function renderDocument(id: string, doc: MessageDocument): RenderedEmail {
  return {
    id,
    subject: doc.subject,
    html: renderHtml(doc),
    text: renderText(doc),
    messageId: messageIdFor(id),
    operationId: operationIdFor(id),
    generation: 0,
    document: doc,
  };
}

export function renderAlert(alert: OutboxAlert, options: RenderOptions): RenderedEmail {
  return renderDocument(alert.id, alertDocument(alert, options));
}

export type { MessageDocument } from "./document.js";
