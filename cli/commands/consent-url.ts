import { Command } from "commander";
import { adminConsentUrl } from "../doctor/consent-url.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";

interface ConsentUrlOptions {
  tenant: string;
  clientId?: string;
  redirectUri?: string;
}

/** Needs no Graph credential: it only builds a link, so it reads AZURE_CLIENT_ID alone, not loadSettings. */
export function consentUrlCommand(io: CliIo): Command {
  return new Command("consent-url")
    .description("print the admin consent link a customer tenant's Global Administrator opens to grant the app its permissions")
    .requiredOption("--tenant <id>", "the customer tenant (directory) id, a GUID")
    .option("--client-id <id>", "the multi-tenant app's application (client) id; default AZURE_CLIENT_ID")
    .option("--redirect-uri <uri>", "where Entra sends the administrator afterwards; must be registered on the app")
    .action((opts: ConsentUrlOptions) => {
      const result = adminConsentUrl({
        tenantId: opts.tenant,
        clientId: opts.clientId ?? io.env.AZURE_CLIENT_ID,
        redirectUri: opts.redirectUri,
        authorityHost: io.env.AZURE_AUTHORITY_HOST,
      });
      if (!result.ok) throw new UsageError(result.problems.join("\n"));
      io.stdout(`${result.url}\n`);
      io.setExitCode(0);
    });
}
