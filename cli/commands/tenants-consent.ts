/**
 * `drift-monitor tenants consent`: grants the app's Microsoft Graph permissions in the partner's
 * customer tenants through GDAP (cli/tenants-consent/consent.ts says why Graph, and which role),
 * for the tenants of a `tenants discover` CSV or a `--tenant` list. Idempotent and resumable
 * (a progress file); `--dry-run` reads and writes nothing.
 */
import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.js";
import { UsageError } from "../usage-error.js";
import { renderTable } from "../table.js";
import { splitCsv } from "../tenants-csv.js";
import { cliSignIn, signInNow, SIGN_IN_MODES, type PartnerSignIn, type SignInMode } from "../tenants-discover/sign-in.js";
import { transportFor } from "../tenants-discover/discover.js";
import { listRelationships } from "../tenants-discover/graph-reads.js";
import { grantedRoleIds } from "../tenants-discover/roles.js";
import { requiredPermissions } from "../../lib/graph/permissions.js";
import { REMEDIATION_PERMISSIONS } from "../../lib/remediation/consent.js";
import { consentEstate, type ConsentResult, type ConsentTarget } from "../tenants-consent/consent.js";
import { openProgressFile } from "../tenants-consent/progress-file.js";

interface ConsentCliOptions {
  from?: string;
  remediation?: boolean;
  tenant?: string;
  appId?: string;
  progress: string;
  dryRun?: boolean;
  signIn: string;
  partnerTenant?: string;
  clientId?: string;
  concurrency: string;
  timeoutSeconds: string;
}

/** Tests give the simulator's sign-in, a crash (abort) and short waits. */
interface ConsentDeps {
  readonly signIn?: (mode: SignInMode, prompt: (message: string) => void) => PartnerSignIn;
  readonly signal?: AbortSignal;
  readonly retryDelayMs?: number;
}

const envSchema = z.object({
  GRAPH_ENDPOINT: z.string().url().default("https://graph.microsoft.com"),
  AZURE_AUTHORITY_HOST: z.string().url().default("https://login.microsoftonline.com"),
  AZURE_CLIENT_ID: z.string().uuid().optional(),
  REMEDIATION_CLIENT_ID: z.string().uuid().optional(),
});
const guid = z.string().uuid();

function boundedInt(raw: string, name: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** The tenants to consent, from the discover CSV's tenantId and displayName columns, or the `--tenant` list. */
async function readTargets(opts: ConsentCliOptions): Promise<{ tenantId: string; displayName: string }[]> {
  if (opts.tenant !== undefined) {
    const ids = opts.tenant.split(/[,;\s]+/).filter((s) => s !== "");
    const bad = ids.filter((id) => !guid.safeParse(id).success);
    if (bad.length > 0 || ids.length === 0) throw new UsageError(`--tenant takes tenant ids (GUIDs), comma-separated; not: ${bad.join(", ") || "(none)"}`);
    return ids.map((id) => ({ tenantId: id.toLowerCase(), displayName: id.toLowerCase() }));
  }
  if (opts.from === undefined) throw new UsageError("give the tenants: --from <discover CSV> or --tenant <id,…>");
  const { records, problems } = splitCsv(await readFile(opts.from, "utf8"));
  if (problems.length > 0) throw new UsageError(`${opts.from}: ${problems.map((p) => `line ${p.line}: ${p.message}`).join("; ")}`);
  const [header, ...rows] = records;
  const col = (name: string) => header?.fields.indexOf(name) ?? -1;
  const [idCol, nameCol] = [col("tenantId"), col("displayName")];
  if (idCol < 0) throw new UsageError(`${opts.from}: no tenantId column (write it with tenants discover)`);
  return rows.map((r) => {
    const id = (r.fields[idCol] ?? "").toLowerCase();
    if (!guid.safeParse(id).success) throw new UsageError(`${opts.from} line ${r.line}: tenantId "${id}" is not a GUID`);
    return { tenantId: id, displayName: (nameCol >= 0 ? r.fields[nameCol] : undefined) || id };
  });
}

function summarise(results: readonly ConsentResult[], dryRun: boolean): string {
  const table = renderTable(
    ["tenant", "tenantId", "result", "detail"],
    results.map((r) => [r.displayName, r.tenantId, r.outcome, r.detail]),
    { maxWidth: 120 },
  );
  const count = (o: ConsentResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  const line = dryRun
    ? `dry run: ${count("would grant")} would be granted, ${count("already")} already, ${count("lacks role")} lack the role, ${count("failed")} failed`
    : `${count("consented")} consented, ${count("already")} already, ${count("lacks role")} lack the role, ${count("failed")} failed`;
  return `${table}\n${line}\n`;
}

export function tenantsConsentCommand(io: CliIo, deps: ConsentDeps = {}): Command {
  return new Command("consent")
    .description("grant the app's Graph permissions in customer tenants through the partner's GDAP access")
    .option("--from <csv>", "the CSV tenants discover wrote")
    .option("--tenant <ids>", "tenant ids instead, comma-separated")
    .option("--app-id <id>", "the app's client id; default AZURE_CLIENT_ID (with --remediation: REMEDIATION_CLIENT_ID)")
    .option("--remediation", "consent the remediation app (its write permissions, docs/remediation.md) instead of the monitoring app")
    .option("--progress <file>", "where finished tenants are recorded, so a rerun skips them", "drift-monitor-consent.progress.jsonl")
    .option("--dry-run", "show what would be granted; write nothing")
    .option("--sign-in <mode>", `how the partner administrator signs in: ${SIGN_IN_MODES.join(", ")}`, "device-code")
    .option("--partner-tenant <id>", "the partner tenant (default: the account's home tenant)")
    .option("--client-id <id>", "the public client to sign in with (default: Microsoft Azure CLI's)")
    .option("--concurrency <n>", "customers consented at a time", "8")
    .option("--timeout-seconds <n>", "per Graph call", "30")
    .action(async (opts: ConsentCliOptions) => {
      const mode = SIGN_IN_MODES.find((m) => m === opts.signIn);
      if (!mode) throw new UsageError(`--sign-in must be one of ${SIGN_IN_MODES.join(", ")}, got "${opts.signIn}"`);
      if (mode === "token") throw new UsageError("--sign-in token serves the partner tenant only: consent needs device-code or azure-cli");
      const concurrency = boundedInt(opts.concurrency, "--concurrency", 1, 32);
      const timeoutMs = boundedInt(opts.timeoutSeconds, "--timeout-seconds", 1, 600) * 1000;
      const env = envSchema.safeParse(io.env);
      if (!env.success) throw new UsageError(env.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("\n"));
      // --remediation: the second app registration, which only writes approved fixes, gets its write permissions.
      const appId = guid.safeParse(opts.appId ?? (opts.remediation ? env.data.REMEDIATION_CLIENT_ID : env.data.AZURE_CLIENT_ID));
      if (!appId.success) {
        throw new UsageError(
          opts.remediation
            ? "--app-id (or REMEDIATION_CLIENT_ID) must be the remediation app's client id, a GUID"
            : "--app-id (or AZURE_CLIENT_ID) must be the app's client id, a GUID",
        );
      }
      const wanted = await readTargets(opts);
      const signIn = cliSignIn(mode, { ...opts, authorityHost: env.data.AZURE_AUTHORITY_HOST, timeoutMs }, io.stderr, deps.signIn);
      const reach = { signIn, graphEndpoint: env.data.GRAPH_ENDPOINT.replace(/\/+$/, ""), authorityHost: env.data.AZURE_AUTHORITY_HOST, timeoutMs };
      await signInNow(signIn);
      const relationships = await listRelationships(transportFor(reach, undefined));
      const targets: ConsentTarget[] = wanted.map((w) => ({ ...w, roleIds: grantedRoleIds(relationships, w.tenantId) }));
      const results = await consentEstate(
        {
          transportFor: (tenantId) => transportFor(reach, tenantId),
          appId: appId.data.toLowerCase(),
          required: opts.remediation ? REMEDIATION_PERMISSIONS : requiredPermissions(),
          concurrency,
          dryRun: opts.dryRun === true,
          progressFile: await openProgressFile(opts.progress),
          progressSink: { write: io.stderr },
          now: () => new Date(),
          sleep: (ms) => delay(ms),
          retryDelayMs: deps.retryDelayMs ?? 2_000,
          visibilityTries: 6,
          ...(deps.signal ? { signal: deps.signal } : {}),
        },
        targets,
      );
      io.stdout(summarise(results, opts.dryRun === true));
      io.setExitCode(results.some((r) => r.outcome === "failed") ? 1 : 0);
    });
}
