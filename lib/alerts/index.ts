/**
 * Alerts: render outbox rows as email (HTML + text) and chat messages, deliver them once through
 * ACS, `.eml` files or a webhook, and summarise the estate in a daily digest.
 */
export {
  renderAlert,
  renderDocument,
  alertDocument,
  renderHtml,
  renderText,
  alertSubject,
  type RenderedEmail,
  type RenderOptions,
  type MessageDocument,
} from "./render/index.js";
export { teamsPayload } from "./render/teams.js";
export { slackPayload } from "./render/slack.js";
export { buildMime, quotedPrintable, encodeHeaderWords } from "./mime.js";
export { operationIdFor, messageIdFor } from "./ids.js";
export { mergeRecipients } from "./recipients.js";
export { backoffMs, retryAfterMs, ALERT_BACKOFF as DEFAULT_BACKOFF, type BackoffOptions } from "../retry/backoff.js";
export {
  createChannels,
  acsChannel,
  emlChannel,
  webhookChannel,
  createEmailClient,
  emlFileName,
  type Channel,
  type OutgoingMessage,
  type SendOutcome,
  type ChannelOptions,
} from "./channels/index.js";
export {
  deliverDue,
  deliverAlert,
  type DeliveryDeps,
  type DeliveryStore,
  type DeliverySettings,
  type DeliverySummary,
  type DeliveryEvent,
  type RowOutcome,
} from "./deliver.js";
export { summariseEstate, ageBucket, AGE_BUCKETS, type DigestInput, type DigestSummary, type DeadLetter } from "./digest/summary.js";
export { digestDocument, renderDigest, digestId } from "./digest/render.js";
export { sendDigest, deadLetterOf, type DigestDeps, type DigestSources, type DigestResult } from "./digest/send.js";
