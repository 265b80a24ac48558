export { QUEUE_HOST_SETTINGS, FUNCTION_TIMEOUT, timeSpanMs, maxCheckInFlightMs } from "../../lib/config/host.js";
export { TENANT_CHECKS_QUEUE, ALERTS_QUEUE, DEFAULT_QUEUE_NAMES, QUEUE_NAME, poisonQueueName, type QueueNames } from "./names.js";
export {
  CHECK_REASONS,
  TRIGGER_METADATA_NAMES,
  tenantCheckMessageSchema,
  alertMessageSchema,
  encodeMessage,
  decodeMessageText,
  parseMessage,
  type CheckReason,
  type TenantCheckMessage,
  type AlertMessage,
  type ParsedMessage,
} from "./messages.js";
export { queueServiceClient, type QueueClientOptions } from "./client.js";
export { MessageQueue } from "./send.js";
