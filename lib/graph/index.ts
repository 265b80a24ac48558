/** Microsoft Graph access: the client per tenant and the fact collector. */
export { createGraphClient } from "./client.js";
export { clearCredentialCache, TOKEN_EXCHANGE_SCOPE, type CredentialDeps } from "./credentials.js";
export { collectFacts, type CollectTarget } from "./collect.js";
export { collectAccounts } from "./collect-accounts.js";
