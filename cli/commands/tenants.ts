/**
 * `drift-monitor tenants add|list|remove|import`: the registry of tenants to watch, in the
 * Tenants table. Input is validated by the same schema the API and the store use, and refused
 * (exit 64) with what to fix before anything is written.
 */
import { Command } from "commander";
import pLimit from "p-limit";
import { PROFILES } from "../../lib/checks/profiles.js";
import { tenantIdSchema, tenantRecord, tenantRegistrationSchema, type RegisteredTenant } from "../../lib/model/tenant.js";
import { DEFAULT_PROFILE_OF_KIND, KIND_LABEL } from "../../lib/model/account.js";
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
  account: string[];
  emergencyAccess: string[];
  name?: string;
  recipients?: string;
  profile?: string;
  disabled?: boolean;
  fixApproval?: string;
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

/** A registration as an operator gave it: the accounts' keys and cached object ids are the store's (TenantsRepository.put). */
type Registration = Pick<RegisteredTenant, "tenantId" | "displayName" | "recipients" | "enabled" | "accounts" | "fixApproval">;

const accountLine = (a: RegisteredTenant["accounts"][number]): string => `${a.ref.toLowerCase()} ${a.kind} ${a.profile}`;

function sameRegistration(a: Registration, b: RegisteredTenant | undefined): boolean {
  return (
    b !== undefined &&
    a.displayName === b.displayName &&
    a.enabled === b.enabled &&
    a.fixApproval === b.fixApproval &&
    a.recipients.join(";") === b.recipients.join(";") &&
    a.accounts.map(accountLine).join("\n") === b.accounts.map(accountLine).join("\n")
  );
}

function describe(raw: Registration): string {
  const t = safeStrings(raw);
  const to = t.recipients.length > 0 ? t.recipients.join(", ") : "the global list (ALERT_TO) only";
  const accounts = t.accounts.map((a) => `${KIND_LABEL[a.kind]} ${a.ref} (profile ${a.profile})`).join("; ");
  return `${t.displayName} (${t.tenantId}): ${accounts}; ${t.enabled ? "enabled" : "disabled"}, alerts to ${to}`;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function addCommand(io: CliIo): Command {
  return new Command("add")
    .description("register a tenant to watch, or update its registration")
    .requiredOption("--tenant <id>", "the tenant (directory) id, a GUID")
    .option("--account <upn-or-object-id>", "a connection account: its UPN or object id (repeat for several)", collect, [])
    .option("--emergency-access <upn-or-object-id>", "an emergency-access (break-glass) account to watch (repeat for several)", collect, [])
    .option("--name <display-name>", "a name people recognise; default: the current one, else the tenant id")
    .option("--recipients <emails>", "who gets this tenant's alerts, comma-separated (added to ALERT_TO)")
    .option(
      "--profile <name>",
      `the connection accounts' expectations (${PROFILE_NAMES.join(", ")}); default: their current one, else DEFAULT_PROFILE or strict`,
    )
    .option("--disabled", "register it but leave it out of scheduled runs")
    .option("--fix-approval <rule>", "required | not-required | estate: whether its fixes need a second person's approval (default: as now, else the estate's)")
    .action(async (opts: AddOptions) => {
      // Everything the caller typed is checked before storage is touched; what they left out is
      // taken from the current registration, if any. Accounts given replace the tenant's list.
      const input = (existing: RegisteredTenant | undefined): Registration => {
        const given = [
          ...opts.account.map((ref) => ({ ref, kind: "connection" as const })),
          ...opts.emergencyAccess.map((ref) => ({ ref, kind: "emergency-access" as const })),
        ];
        const accounts = (given.length > 0 ? given : (existing?.accounts ?? [])).map((a) => {
          const kept = existing?.accounts.find((e) => e.ref.toLowerCase() === a.ref.toLowerCase() && e.kind === a.kind)?.profile;
          const profile = a.kind === "connection" ? (opts.profile ?? kept ?? defaultProfile(io)) : (kept ?? DEFAULT_PROFILE_OF_KIND[a.kind]);
          return { ref: a.ref, kind: a.kind, profile };
        });
        if (accounts.length === 0)
          throw new UsageError("give the account to watch: --account <upn-or-object-id> (and --emergency-access for break-glass accounts)");
        const fixApproval = opts.fixApproval === undefined ? existing?.fixApproval : opts.fixApproval === "estate" ? undefined : opts.fixApproval;
        const parsed = tenantRegistrationSchema.safeParse({
          tenantId: opts.tenant,
          displayName: opts.name ?? existing?.displayName ?? opts.tenant.trim().toLowerCase(),
          ...(fixApproval === undefined ? {} : { fixApproval }),
          accounts,
          recipients: splitList(opts.recipients) ?? existing?.recipients ?? [],
          enabled: !opts.disabled,
        });
        const problems = parsed.success
          ? []
          : parsed.error.issues.map((i) => (i.path[0] === "tenantId" ? `${i.message} (got "${safeText(opts.tenant)}")` : i.message));
        for (const profile of new Set(accounts.map((a) => a.profile))) {
          const bad = profileProblem(profile);
          if (bad) problems.push(bad);
        }
        if (!parsed.success || problems.length > 0) throw new UsageError(problems.join("\n"));
        return tenantRecord(parsed.data);
      };
      // Everything is checked before storage is touched; without accounts given, they come from the stored registration.
      const given = opts.account.length + opts.emergencyAccess.length > 0;
      const id = tenantIdSchema.safeParse(opts.tenant);
      if (!given && !id.success) throw new UsageError(`${id.error.issues[0]?.message ?? "tenantId must be a GUID"} (got "${safeText(opts.tenant)}")`);
      const tenantId = given || !id.success ? input(undefined).tenantId : id.data;
      const { store } = openStore(io);
      const existing = await store.tenants.get(tenantId);
      const tenant = await store.tenants.put(input(existing));
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
        io.stdout(safeJson(tenants.map(tenantRecord)));
      } else if (tenants.length === 0) {
        io.stdout("No tenants registered: add one with `drift-monitor tenants add` or `drift-monitor tenants import <csv>`.\n");
      } else {
        // One line per account, the tenant's columns on its first: grouped tenant, then account.
        const rows = tenants.flatMap((t) =>
          t.accounts.map((a, i) =>
            i === 0
              ? [t.displayName, t.tenantId, a.ref, a.kind, a.profile, t.enabled ? "yes" : "no", t.recipients.join(", ") || "-"]
              : ["", "", a.ref, a.kind, a.profile, "", ""],
          ),
        );
        io.stdout(renderTable(["NAME", "TENANT", "ACCOUNT", "KIND", "PROFILE", "ENABLED", "RECIPIENTS"], rows));
        const enabled = tenants.filter((t) => t.enabled).length;
        const accounts = tenants.reduce((n, t) => n + t.accounts.length, 0);
        io.stdout(`${tenants.length} tenant(s), ${enabled} enabled, ${accounts} account(s)\n`);
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

async function upsertAll(tenants: TenantsRepository, rows: readonly Registration[]): Promise<{ added: number; updated: number; unchanged: number }> {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  const limit = pLimit(8);
  await Promise.all(
    rows.map((row) =>
      limit(async () => {
        const existing = await tenants.get(row.tenantId);
        // The CSV has no column for the tenant's four-eyes rule: an import keeps the one it has.
        const next = existing?.fixApproval ? { ...row, fixApproval: existing.fixApproval } : row;
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
      "register or update every tenant in a CSV file (header: tenantId,displayName,account,kind,recipients,profile,enabled; one row per " +
        "account, kind connection or emergency-access; recipients ;-separated); " +
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
