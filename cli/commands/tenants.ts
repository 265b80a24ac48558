/**
 * `drift-monitor tenants add|list|remove|import`: the registry of tenants to watch, in the
 * Tenants table. Input is validated by the same schema the API and the store use, and refused
 * (exit 64) with what to fix before anything is written.
 */
import { Command } from "commander";
import pLimit from "p-limit";
import { PROFILES } from "../../lib/checks/profiles.js";
import { tenantIdSchema, tenantRegistrationSchema, type RegisteredTenant } from "../../lib/model/tenant.js";
import { formatCsvProblems, parseTenantsCsv } from "../tenants-csv.js";
import type { TenantsRepository } from "../../lib/store/index.js";
import { readNamedFile, UsageError } from "../usage-error.js";
import { renderTable } from "../table.js";
import { defaultProfile, openStore } from "../store.js";
import type { CliIo } from "../io.js";
import { safeJson, safeStrings, safeText } from "../../lib/text/safe.js";
import { tenantsDiscoverCommand } from "./tenants-discover.js";
import { tenantsConsentCommand } from "./tenants-consent.js";

const PROFILE_NAMES = Object.keys(PROFILES);

interface AddOptions {
  tenant: string;
  account: string;
  name?: string;
  recipients?: string;
  profile?: string;
  disabled?: boolean;
}

function splitList(raw: string | undefined): string[] | undefined {
  return raw === undefined
    ? undefined
    : raw
        .split(/[,;]/)
        .map((r) => r.trim())
        .filter((r) => r !== "");
}

function profileProblem(profile: string): string | undefined {
  return PROFILE_NAMES.includes(profile) ? undefined : `profile "${profile}" is unknown: use one of ${PROFILE_NAMES.join(", ")}`;
}

/** Keeps the cached account object id when the account is unchanged (it saves a Graph lookup per run). */
function withCachedId(next: Omit<RegisteredTenant, "accountObjectId">, existing: RegisteredTenant | undefined): RegisteredTenant {
  const same = existing !== undefined && existing.account.toLowerCase() === next.account.toLowerCase();
  return { ...next, accountObjectId: same ? existing.accountObjectId : null };
}

function sameRegistration(a: RegisteredTenant, b: RegisteredTenant | undefined): boolean {
  return (
    b !== undefined &&
    a.displayName === b.displayName &&
    a.account === b.account &&
    a.profile === b.profile &&
    a.enabled === b.enabled &&
    a.recipients.join(";") === b.recipients.join(";")
  );
}

function describe(raw: RegisteredTenant): string {
  const t = safeStrings(raw);
  const to = t.recipients.length > 0 ? t.recipients.join(", ") : "the global list (ALERT_TO) only";
  return `${t.displayName} (${t.tenantId}): account ${t.account}, profile ${t.profile}, ${t.enabled ? "enabled" : "disabled"}, alerts to ${to}`;
}

function addCommand(io: CliIo): Command {
  return new Command("add")
    .description("register a tenant to watch, or update its registration")
    .requiredOption("--tenant <id>", "the tenant (directory) id, a GUID")
    .requiredOption("--account <upn-or-object-id>", "the connection account: its UPN or object id")
    .option("--name <display-name>", "a name people recognise; default: the current one, else the tenant id")
    .option("--recipients <emails>", "who gets this tenant's alerts, comma-separated (added to ALERT_TO)")
    .option("--profile <name>", `expectations to check against (${PROFILE_NAMES.join(", ")}); default DEFAULT_PROFILE or strict`)
    .option("--disabled", "register it but leave it out of scheduled runs")
    .action(async (opts: AddOptions) => {
      // Everything the caller typed is checked before storage is touched; what they left out is
      // taken from the current registration, if any.
      const input = (existing: RegisteredTenant | undefined) => {
        const profile = opts.profile ?? existing?.profile ?? defaultProfile(io);
        const parsed = tenantRegistrationSchema.safeParse({
          tenantId: opts.tenant,
          displayName: opts.name ?? existing?.displayName ?? opts.tenant.trim().toLowerCase(),
          account: opts.account,
          recipients: splitList(opts.recipients) ?? existing?.recipients ?? [],
          profile,
          enabled: !opts.disabled,
        });
        const problems = parsed.success
          ? []
          : parsed.error.issues.map((i) => (i.path[0] === "tenantId" ? `${i.message} (got "${safeText(opts.tenant)}")` : i.message));
        const bad = profileProblem(profile);
        if (bad) problems.push(bad);
        if (!parsed.success || problems.length > 0) throw new UsageError(problems.join("\n"));
        return parsed.data;
      };
      const { tenantId } = input(undefined);
      const { store } = openStore(io);
      const existing = await store.tenants.get(tenantId);
      const tenant = withCachedId(input(existing), existing);
      await store.tenants.put(tenant);
      io.stdout(`${existing ? "updated" : "registered"} ${describe(tenant)}\n`);
      io.setExitCode(0);
    });
}

function listCommand(io: CliIo): Command {
  return new Command("list")
    .description("list the registered tenants")
    .option("--json", "print them as JSON")
    .action(async (opts: { json?: boolean }) => {
      const { store } = openStore(io);
      const tenants = (
        await store.tenants.list({
          onInvalid: (row) =>
            io.stderr(`warning: tenant ${safeText(row.tenantId)} has an unreadable Tenants row (${safeText(row.error)}); register it again\n`),
        })
      ).sort((a, b) => a.displayName.localeCompare(b.displayName));
      if (opts.json) {
        io.stdout(safeJson(tenants));
      } else if (tenants.length === 0) {
        io.stdout("No tenants registered: add one with `drift-monitor tenants add` or `drift-monitor tenants import <csv>`.\n");
      } else {
        const rows = tenants.map((t) => [t.displayName, t.tenantId, t.account, t.profile, t.enabled ? "yes" : "no", t.recipients.join(", ") || "-"]);
        io.stdout(renderTable(["NAME", "TENANT", "ACCOUNT", "PROFILE", "ENABLED", "RECIPIENTS"], rows));
        const enabled = tenants.filter((t) => t.enabled).length;
        io.stdout(`${tenants.length} tenant(s), ${enabled} enabled\n`);
      }
      io.setExitCode(0);
    });
}

function removeCommand(io: CliIo): Command {
  return new Command("remove")
    .description("stop watching a tenant (its history stays in the Monitor table)")
    .requiredOption("--tenant <id>", "the tenant (directory) id, a GUID")
    .action(async (opts: { tenant: string }) => {
      const id = tenantIdSchema.safeParse(opts.tenant);
      if (!id.success) throw new UsageError(`${id.error.issues[0]?.message ?? "tenantId must be a GUID"} (got "${opts.tenant}")`);
      const { store } = openStore(io);
      if (!(await store.tenants.delete(id.data))) {
        throw new UsageError(`tenant ${id.data} is not registered: \`drift-monitor tenants list\` shows the registered ones`);
      }
      io.stdout(`removed ${id.data}\n`);
      io.setExitCode(0);
    });
}

async function upsertAll(
  tenants: TenantsRepository,
  rows: readonly Omit<RegisteredTenant, "accountObjectId">[],
): Promise<{ added: number; updated: number; unchanged: number }> {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  const limit = pLimit(8);
  await Promise.all(
    rows.map((row) =>
      limit(async () => {
        const existing = await tenants.get(row.tenantId);
        const next = withCachedId(row, existing);
        if (sameRegistration(next, existing)) {
          counts.unchanged++;
          return;
        }
        await tenants.put(next);
        if (existing) counts.updated++;
        else counts.added++;
      }),
    ),
  );
  return counts;
}

function importCommand(io: CliIo): Command {
  return new Command("import")
    .description(
      "register or update every tenant in a CSV file (header: tenantId,displayName,account,recipients,profile,enabled; recipients ;-separated); " +
        "nothing is imported unless every row is valid; a row from `tenants discover` with a decide note and no account is skipped and listed",
    )
    .argument("<csv>", "the CSV file")
    .action(async (file: string) => {
      const text = await readNamedFile(file);
      const parsed = parseTenantsCsv(text, { defaultProfile: defaultProfile(io), profiles: PROFILE_NAMES });
      if (!parsed.ok) {
        const lines = new Set(parsed.problems.map((p) => p.line)).size;
        throw new UsageError(`${file}: nothing imported; fix ${lines === 1 ? "this" : "these"} and run again:\n${formatCsvProblems(parsed.problems)}`);
      }
      const { store } = openStore(io);
      const rows = parsed.tenants.map(({ line: _line, ...t }) => t);
      const c = await upsertAll(store.tenants, rows);
      io.stdout(`imported ${rows.length} tenant(s) from ${file}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged\n`);
      // Rows `tenants discover` could not settle are not guessed at: each is named with what to decide.
      const undecided = parsed.undecided ?? [];
      if (undecided.length > 0) {
        io.stdout(`skipped ${undecided.length} tenant(s) waiting for a decision (fill in account, then import again):\n`);
        for (const u of undecided) io.stdout(`  line ${u.line}: ${u.displayName} (${u.tenantId}): ${u.decide}\n`);
      }
      io.setExitCode(0);
    });
}

export function tenantsCommand(io: CliIo): Command {
  const tenants = new Command("tenants").description("manage the registered tenants (Table Storage from AzureWebJobsStorage)");
  for (const sub of [addCommand(io), listCommand(io), removeCommand(io), importCommand(io), tenantsDiscoverCommand(io), tenantsConsentCommand(io)]) {
    tenants.addCommand(sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  return tenants;
}
