/**
 * `drift-monitor tenants discover`: signs in as the partner's administrator, lists the GDAP
 * customers and what their relationships grant, proposes each one's connection account, and
 * writes a CSV that `tenants import` reads. Nothing is registered here: a person reads the CSV
 * (the `decide` rows above all), then imports it.
 */
import { access, rename, writeFile } from "node:fs/promises";
import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";
import { parseAccountPattern } from "../tenants-discover/account-pattern.js";
import { cliSignIn, signInNow, SIGN_IN_MODES, type PartnerSignIn, type SignInMode } from "../tenants-discover/sign-in.js";
import { discoverEstate } from "../tenants-discover/discover.js";
import { toDiscoveryCsv } from "../tenants-discover/csv-rows.js";
import { discoverySummary } from "../tenants-discover/summary.js";
import { GraphReadError } from "../tenants-discover/graph-reads.js";

interface DiscoverCliOptions {
  out: string;
  accountPattern: string;
  signIn: string;
  partnerTenant?: string;
  clientId?: string;
  concurrency: string;
  timeoutSeconds: string;
  force?: boolean;
}

/** Where the person's sign-in comes from; tests give the simulator's tokens. */
interface DiscoverDeps {
  readonly signIn?: (mode: SignInMode, prompt: (message: string) => void) => PartnerSignIn;
}

const envSchema = z.object({
  GRAPH_ENDPOINT: z.string().url().default("https://graph.microsoft.com"),
  AZURE_AUTHORITY_HOST: z.string().url().default("https://login.microsoftonline.com"),
  PARTNER_ACCESS_TOKEN: z.string().optional(),
});

function boundedInt(raw: string, name: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export function tenantsDiscoverCommand(io: CliIo, deps: DiscoverDeps = {}): Command {
  return new Command("discover")
    .description("list the partner's GDAP customers, their relationships' roles and each one's connection account, into a CSV for `tenants import`")
    .requiredOption("--out <csv>", "the CSV file to write")
    .requiredOption("--account-pattern <pattern>", "UPN pattern of the connection accounts, `*` for any text, e.g. 'svc-connect@*'")
    .option("--sign-in <mode>", `how the partner administrator signs in: ${SIGN_IN_MODES.join(", ")} (token: PARTNER_ACCESS_TOKEN)`, "device-code")
    .option("--partner-tenant <id>", "the partner tenant to sign in to (default: the account's home tenant)")
    .option("--client-id <id>", "the public client app to sign in with (default: Microsoft Azure CLI's)")
    .option("--concurrency <n>", "customers read at a time", "8")
    .option("--timeout-seconds <n>", "limit for each Graph call and token request", "30")
    .option("--force", "overwrite the CSV if it exists (it may hold decisions someone typed in)")
    .action(async (opts: DiscoverCliOptions) => {
      const pattern = parseAccountPattern(opts.accountPattern);
      if ("error" in pattern) throw new UsageError(pattern.error);
      const mode = SIGN_IN_MODES.find((m) => m === opts.signIn);
      if (!mode) throw new UsageError(`--sign-in must be one of ${SIGN_IN_MODES.join(", ")}, got "${opts.signIn}"`);
      const concurrency = boundedInt(opts.concurrency, "--concurrency", 1, 32);
      const timeoutMs = boundedInt(opts.timeoutSeconds, "--timeout-seconds", 1, 600) * 1000;
      const env = envSchema.safeParse(io.env);
      if (!env.success) throw new UsageError(env.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("\n"));
      if (!opts.force && (await exists(opts.out))) throw new UsageError(`${opts.out} exists: it may hold decisions; choose another --out, or --force`);
      const signIn = cliSignIn(
        mode,
        { ...opts, authorityHost: env.data.AZURE_AUTHORITY_HOST, timeoutMs, token: env.data.PARTNER_ACCESS_TOKEN },
        io.stderr,
        deps.signIn,
      );
      let tenants;
      try {
        await signInNow(signIn);
        tenants = await discoverEstate({
          signIn,
          graphEndpoint: env.data.GRAPH_ENDPOINT.replace(/\/+$/, ""),
          authorityHost: env.data.AZURE_AUTHORITY_HOST,
          pattern,
          concurrency,
          timeoutMs,
          progressSink: { write: io.stderr },
        });
      } catch (error) {
        if (error instanceof GraphReadError && (error.status === 403 || error.status === 401)) {
          throw new Error(
            `${error.message}: sign in as a member of the partner's Admin agents group, with DelegatedAdminRelationship.Read.All (see docs/onboarding.md)`,
          );
        }
        throw error;
      }
      // Written whole, then moved into place: a crash never leaves half a CSV.
      const tmp = `${opts.out}.partial`;
      await writeFile(tmp, toDiscoveryCsv(tenants), { encoding: "utf8", mode: 0o600 });
      await rename(tmp, opts.out);
      io.stdout(discoverySummary(tenants, opts.out));
      io.setExitCode(0);
    });
}
