/**
 * `drift-monitor fix`: the dashboard's fixes from a terminal (lib/remediation/flow.ts, the same
 * shell: the remediation app's credential, the Monitor table, the re-check through the runner).
 *
 *   fix --tenant T [--account A] --finding K             preview: the exact change, read fresh
 *   fix --tenant T [--account A] --finding K --request   preview and request it (pending approval under four-eyes)
 *   fix --tenant T [--account A] --approve ID | --apply ID | --revert ID
 *   fix --tenant T [--account A] --list                  the account's fix requests
 *
 * Who acts is --by (else DRIFT_OPERATOR, else the login name); four-eyes compares it. Exit codes:
 * 0 done; 1 refused because something changed or is not in the state for it (stale: preview again,
 * a conflict, the requester approving their own request, an expired request); 2 Graph refused or
 * could not be reached; 64 a usage mistake or remediation not configured.
 */
import { Command } from "commander";
import { z } from "zod";
import { createApp } from "../../functions/app/app.js";
import { remediationShell } from "../../functions/app/remediation.js";
import { loadRemediationSettings } from "../../lib/config/remediation.js";
import { monitorPartition } from "../../lib/model/account.js";
import type { FixRequest } from "../../lib/model/remediation.js";
import { consentCovers } from "../../lib/remediation/consent.js";
import { apply, approve, preview, request, revert, type FlowResult, type Preview } from "../../lib/remediation/flow.js";
import { accountKeyOf } from "../../lib/standings/account-of.js";
import { safeJson, safeText } from "../../lib/text/safe.js";
import { EXIT } from "../report/exit-code.js";
import { UsageError } from "../usage-error.js";
import type { CliIo } from "../io.js";
import { operator, parsed, tenantArg } from "../standings/common.js";

const optionsSchema = z
  .object({
    tenant: z.string(),
    account: z.string().trim().max(320).optional(),
    finding: z.string().trim().min(1).max(300).optional(),
    request: z.boolean().optional(),
    list: z.boolean().optional(),
    approve: z
      .string()
      .regex(/^[0-9a-f]{16,32}$/, { error: "--approve takes a fix id" })
      .optional(),
    apply: z
      .string()
      .regex(/^[0-9a-f]{16,32}$/, { error: "--apply takes a fix id" })
      .optional(),
    revert: z
      .string()
      .regex(/^[0-9a-f]{16,32}$/, { error: "--revert takes a fix id" })
      .optional(),
    by: z.string().optional(),
    json: z.boolean().optional(),
  })
  .refine((o) => [o.approve, o.apply, o.revert].filter((v) => v !== undefined).length <= 1, { error: "give at most one of --approve, --apply, --revert" })
  .refine((o) => o.list === true || o.approve !== undefined || o.apply !== undefined || o.revert !== undefined || o.finding !== undefined, {
    error: "give --finding <key> to preview (and --request to request it), --list, or --approve/--apply/--revert <fix id>",
  });

const EXIT_CHANGED = 1;
const EXIT_GRAPH = EXIT.unknown;

const json = (value: unknown): string => JSON.stringify(value);

function previewText(p: Preview): string {
  if ("manual" in p) return `No one-click fix: ${p.manual}`;
  const { plan } = p;
  return [
    plan.description,
    `  request:     ${plan.request.method} /${plan.request.version}${plan.request.url}`,
    `  body:        ${json(plan.request.body)}`,
    `  before:      ${json(plan.before)}`,
    `  after:       ${json(plan.after)}`,
    `  permissions: ${plan.permissions.join(", ")} (the remediation app's)`,
    `  documented:  ${plan.documentation}`,
  ].join("\n");
}

function fixText(fix: FixRequest): string {
  const lines = [
    `fix ${fix.id}: ${fix.state} — ${fix.plan.description}`,
    `  requested by ${fix.requestedBy.name} at ${fix.requestedAt}${fix.approvedBy ? `; approved by ${fix.approvedBy.name} at ${fix.approvedAt ?? ""}` : ""}`,
    `  request:     ${fix.plan.request.method} /${fix.plan.request.version}${fix.plan.request.url} ${json(fix.plan.request.body)}`,
  ];
  for (const [label, run] of [
    ["applied", fix.result],
    ["reverted", fix.revert],
  ] as const) {
    if (!run) continue;
    lines.push(`  ${label} by ${run.by.name} at ${run.at}: ${run.outcome}. ${run.message}${run.answer ? ` Graph answered ${run.answer.status}.` : ""}`);
    if (run.before !== undefined) lines.push(`    before: ${json(run.before)}`);
    if (run.after !== undefined) lines.push(`    after:  ${json(run.after)}`);
  }
  for (const r of [fix.recheck, fix.revertRecheck])
    if (r) lines.push(`  re-check at ${r.at}: ${r.detail}${r.tenantStatus ? ` The tenant is ${r.tenantStatus}.` : ""}`);
  if (fix.state === "pending") lines.push(`  waiting for a second person: drift-monitor fix --tenant ${fix.tenantId} --approve ${fix.id}`);
  if (fix.state === "approved") lines.push(`  next: drift-monitor fix --tenant ${fix.tenantId} --apply ${fix.id}`);
  return lines.join("\n");
}

/** A fix's own state decides the exit code: done, changed meanwhile, or Graph's refusal. */
const exitOf = (fix: FixRequest): number =>
  fix.state === "stale" || (fix.revert !== undefined && fix.state === "applied")
    ? EXIT_CHANGED
    : fix.state === "refused" || fix.state === "failed"
      ? EXIT_GRAPH
      : 0;

function print<T>(io: CliIo, r: FlowResult<T>, asJson: boolean | undefined, text: (v: T) => string, exit: (v: T) => number): void {
  if (!r.ok) {
    io.stderr(`drift-monitor: ${r.error}\n`);
    io.setExitCode(r.status === 400 ? EXIT.usage : r.status === 502 ? EXIT_GRAPH : EXIT_CHANGED);
    return;
  }
  io.stdout(asJson ? `${safeJson(r.value)}\n` : `${text(r.value)}\n`);
  io.setExitCode(exit(r.value));
}

export function fixCommand(io: CliIo): Command {
  return new Command("fix")
    .description("preview, request, approve, apply or revert a one-click fix of a finding (the remediation app writes it)")
    .requiredOption("--tenant <id>", "the tenant (directory) id")
    .option("--account <key-or-ref>", "the monitored account: its key, UPN or object id (default: the tenant's first)")
    .option("--finding <key>", "the finding's key, {checkId}|{subject} (drift-monitor findings list shows them)")
    .option("--request", "request the previewed fix (a second person approves it when four-eyes is on)")
    .option("--list", "list the account's fix requests, newest first")
    .option("--approve <fixId>", "approve a pending fix (not your own, under four-eyes)")
    .option("--apply <fixId>", "apply an approved fix, then check the tenant again")
    .option("--revert <fixId>", "restore what an applied fix found")
    .option("--by <who>", "who acts (default: DRIFT_OPERATOR, else the login name)")
    .option("--json", "print JSON")
    .action(async (raw: unknown) => {
      const o = parsed(optionsSchema, raw);
      const tenantId = tenantArg(o.tenant);
      const settings = loadRemediationSettings(io.env);
      if (!settings) throw new UsageError("fixes are off: the remediation app is not configured (REMEDIATION_CLIENT_ID, docs/remediation.md)");
      // Who acts, asked for only when someone acts (a preview is a read).
      const actor = (): { id: string; name: string } => {
        const by = operator(io, o.by);
        return { id: by.toLowerCase(), name: by };
      };
      const app = createApp({ env: io.env, ...(io.now ? { now: io.now } : {}) });
      const tenant = await app.store.tenants.get(tenantId);
      if (!tenant) throw new UsageError(`tenant ${tenantId} is not registered`);
      const found = accountKeyOf(tenantId, tenant, o.account);
      if (!found.ok) throw new UsageError(safeText(found.error));
      const accountKey = found.key;
      const shell = remediationShell(app, settings);
      if (o.list) {
        const fixes = (await shell.flow.fixes.list(tenantId, accountKey)).map((f) => f.fix);
        io.stdout(o.json ? `${safeJson(fixes)}\n` : fixes.length === 0 ? "No fix requests.\n" : `${fixes.map(fixText).join("\n")}\n`);
        io.setExitCode(0);
        return;
      }
      const step = o.approve ?? o.apply ?? o.revert;
      if (step !== undefined) {
        const ref = { tenantId, accountKey, id: step };
        const r = o.approve
          ? await approve(shell.flow, ref, actor())
          : o.apply
            ? await apply(shell.flow, ref, actor())
            : await revert(shell.flow, ref, actor());
        print(io, r, o.json, fixText, exitOf);
        return;
      }
      const report = (await app.store.monitor.readState(monitorPartition(tenantId, accountKey)))?.state.lastReport;
      const ref = { tenantId, accountKey, findingKey: o.finding ?? "", report };
      const shown = await preview(shell.flow, ref);
      if (!o.request || !shown.ok || "manual" in shown.value) {
        print(io, shown, o.json, previewText, (p) => ("manual" in p ? EXIT.usage : 0));
        return;
      }
      const consent = await shell.consent(tenantId);
      if (!consentCovers(consent, shown.value.plan.kind)) {
        io.stderr(
          `drift-monitor: the remediation app's consent in tenant ${tenantId} lacks ${shown.value.plan.permissions.join(" and ")}: nothing requested\n`,
        );
        io.setExitCode(EXIT.usage);
        return;
      }
      print(
        io,
        await request(shell.flow, ref, actor(), shown.value.digest),
        o.json,
        (f) => `${previewText(shown.value)}\n${fixText(f)}`,
        () => 0,
      );
    });
}
