/**
 * The token step of the doctor, pure: what an Entra refusal means and what to do about it.
 */
import type { TokenResult } from "./types.js";

/** AADSTS codes an operator meets when onboarding a tenant, with the fix. */
const FIXES: Readonly<Record<string, string>> = {
  "65001": "The app has no admin consent in this tenant, or it was revoked: a Global Administrator of the tenant opens the consent link",
  "700016":
    "Entra does not know the app in this tenant: check AZURE_CLIENT_ID (the multi-tenant app's client id) and that the app is multi-tenant, then " +
    "grant admin consent",
  "7000215": "The client secret is wrong or expired: set AZURE_CLIENT_SECRET to a current secret of the app (or use the federated credential)",
  "7000222": "The client secret expired: create a new one (or use the federated credential)",
  "700027": "The client certificate is not registered on the app or its assertion is invalid: upload the certificate's public key to the app registration",
  "70021":
    "No federated identity credential matches the managed identity's token: check the app's federated credential (issuer https://login.microsoftonline.com/<home tenant>/v2.0, subject = the identity's principal id, audience api://AzureADTokenExchange)",
  "700213":
    "No federated identity credential matches the managed identity's token: check the app's federated credential (issuer https://login.microsoftonline.com/<home tenant>/v2.0, subject = the identity's principal id, audience api://AzureADTokenExchange)",
  "90002": "The tenant id does not exist (or is in another cloud): check --tenant",
  "500011": "The resource (Microsoft Graph) is not available to the app in this tenant: grant admin consent",
  "7000112": "The app is disabled in this tenant (Enterprise applications → the app → Properties → Enabled for users to sign in)",
};

export function tokenFailure(message: string, consentUrl: string | undefined): Extract<TokenResult, { ok: false }> {
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  // The first line carries the code and description; trace and correlation ids follow.
  const first = (message.split("\n")[0] ?? message).replace(/\s*Trace ID:.*$/, "");
  const consent = consentUrl ? ` (${consentUrl})` : " (drift-monitor consent-url --tenant <id> prints the link)";
  const known = aadsts ? FIXES[aadsts] : undefined;
  const fix = known
    ? known + (aadsts === "65001" || aadsts === "700016" || aadsts === "500011" ? consent : "")
    : aadsts
      ? `Entra refused the token (AADSTS${aadsts}): check the app registration and its credential for this tenant`
      : "No token could be had and Entra gave no reason: check AZURE_AUTHORITY_HOST and the network path to it";
  return { ok: false, ...(aadsts ? { aadsts } : {}), message: first.length > 300 ? `${first.slice(0, 297)}...` : first, fix };
}
