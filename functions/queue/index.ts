export { QUEUE_HOST_SETTINGS, FUNCTION_TIMEOUT, timeSpanMs, maxCheckInFlightMs } from "../../lib/config/host.js";
export { poisonQueueName } from "./names.js";
export {
  TRIGGER_METADATA_NAMES,
  tenantCheckMessageSchema,
  alertMessageSchema,
  encodeMessage,
  decodeMessageText,
  parseMessage,
  type TenantCheckMessage,
} from "./messages.js";
