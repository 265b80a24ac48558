/** Microsoft Graph access: the client per tenant and the fact collector. */
export { createGraphClient, endpointHost, GRAPH_SCOPE, RoundTripCounter, type CreateGraphClientOptions } from "./client.js";
export {
  getCredential,
  createCredential,
  clearCredentialCache,
  StaticTokenCredential,
  SharedTokenCredential,
  CredentialConfigError,
  TOKEN_EXCHANGE_SCOPE,
  type CredentialDeps,
} from "./credentials.js";
export { collectFacts, type CollectTarget, type CollectOptions, type CollectResult } from "./collect.js";
export { runBatch, MAX_BATCH_SIZE, type BatchItem, type ItemResult, type BatchOptions } from "./batch.js";
export { GRAPH_BACKOFF as DEFAULT_BACKOFF, backoffDelay, parseRetryAfter, type BackoffPolicy } from "../retry/backoff.js";
export { odataString, encodePathSegment, graphPath, relativeToVersion } from "./odata.js";
export { FACTS, FACT_KEYS, factRequests, factUrl, accountUrl, type FactDefinition, type GraphVersion } from "./facts/index.js";
export type { FactKey } from "../model/facts.js";
