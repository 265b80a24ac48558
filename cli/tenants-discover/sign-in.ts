/**
 * Signing in as the partner's administrator. Discovery needs a person's delegated token for the
 * partner tenant (the GDAP lists) and one per customer tenant (its directory, through GDAP): an
 * @azure/identity credential that takes `tenantId` per token request does both.
 * - `device-code`: MSAL's device code flow (device-code.ts); the code and URL go to stderr. Each
 *   customer's token is then had silently with the refresh token of the one sign-in.
 * - `azure-cli`: AzureCliCredential, i.e. `az account get-access-token --tenant <customer>` after
 *   one `az login` (https://learn.microsoft.com/en-us/cli/azure/account#az-account-get-access-token).
 * - `token`: a token from PARTNER_ACCESS_TOKEN (from `az account get-access-token --resource-type
 *   ms-graph`); it serves the partner tenant only, so customers' directories are not read.
 * Tokens are never printed; a given one is registered for redaction.
 */
import { AzureCliCredential, type GetTokenOptions, type TokenCredential } from "@azure/identity";
import { PartnerDeviceCodeCredential } from "./device-code.js";
import { isMicrosoftAuthority, StaticTokenCredential } from "../../lib/graph/credentials.js";
import { registerSecrets } from "../../lib/errors/redact.js";
import { GRAPH_SCOPE } from "../../lib/graph/client.js";

export const SIGN_IN_MODES = ["device-code", "azure-cli", "token"] as const;
export type SignInMode = (typeof SIGN_IN_MODES)[number];

/** Microsoft Azure CLI's public client: first-party, so a GDAP sign-in to a customer needs no consent there. */
const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

export interface PartnerSignIn {
  readonly credential: TokenCredential;
  /** Whether it can get tokens for customer tenants (a given token cannot). */
  readonly reachesCustomers: boolean;
}

interface SignInOptions {
  readonly mode: SignInMode;
  readonly authorityHost: string;
  /** The partner tenant; default `organizations` (the account's home tenant). */
  readonly partnerTenant?: string;
  readonly clientId?: string;
  readonly token?: string;
  /** Shows the device code message to the person. */
  readonly prompt: (message: string) => void;
  readonly timeoutMs: number;
}

function partnerSignIn(o: SignInOptions): PartnerSignIn {
  switch (o.mode) {
    case "token": {
      if (!o.token)
        throw new Error("--sign-in token needs PARTNER_ACCESS_TOKEN (az account get-access-token --resource-type ms-graph --query accessToken -o tsv)");
      registerSecrets([o.token]);
      return { credential: new StaticTokenCredential(o.token), reachesCustomers: false };
    }
    case "azure-cli":
      return {
        credential: new AzureCliCredential({
          additionallyAllowedTenants: ["*"],
          processTimeoutInMs: o.timeoutMs,
          ...(o.partnerTenant ? { tenantId: o.partnerTenant } : {}),
        }),
        reachesCustomers: true,
      };
    case "device-code":
      return {
        credential: new PartnerDeviceCodeCredential({
          partnerTenant: o.partnerTenant ?? "organizations",
          clientId: o.clientId ?? AZURE_CLI_CLIENT_ID,
          authorityHost: o.authorityHost,
          disableInstanceDiscovery: !isMicrosoftAuthority(o.authorityHost),
          prompt: o.prompt,
        }),
        reachesCustomers: true,
      };
  }
}

/**
 * A device code stays valid 15 minutes (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code):
 * the person gets that long to sign in; every later token comes silently, within the call timeout.
 */
const SIGN_IN_TIMEOUT_MS = 15 * 60 * 1000;

/** Signs the person in (the partner tenant's token) before any customer is read. */
export async function signInNow(signIn: PartnerSignIn): Promise<void> {
  const token = await signIn.credential.getToken(GRAPH_SCOPE, { abortSignal: AbortSignal.timeout(SIGN_IN_TIMEOUT_MS) });
  if (!token) throw new Error("the sign-in gave no token");
}

/** The credential, asking every token for `tenantId` (a customer), or for the signed-in tenant when undefined. */
export function forTenant(credential: TokenCredential, tenantId: string | undefined): TokenCredential {
  if (tenantId === undefined) return credential;
  return { getToken: (scopes, options?: GetTokenOptions) => credential.getToken(scopes, { ...options, tenantId }) };
}

interface CliSignInOptions {
  readonly authorityHost: string;
  readonly timeoutMs: number;
  readonly partnerTenant?: string | undefined;
  readonly clientId?: string | undefined;
  readonly token?: string | undefined;
}

/** The sign-in a command's options ask for, the device code shown on stderr; `given` (a test's) wins. */
export function cliSignIn(
  mode: SignInMode,
  o: CliSignInOptions,
  stderr: (text: string) => void,
  given?: (mode: SignInMode, prompt: (message: string) => void) => PartnerSignIn,
): PartnerSignIn {
  const prompt = (message: string) => stderr(`${message}\n`);
  return (
    given?.(mode, prompt) ??
    partnerSignIn({
      mode,
      authorityHost: o.authorityHost,
      prompt,
      timeoutMs: o.timeoutMs,
      ...(o.partnerTenant ? { partnerTenant: o.partnerTenant } : {}),
      ...(o.clientId ? { clientId: o.clientId } : {}),
      ...(o.token ? { token: o.token } : {}),
    })
  );
}
