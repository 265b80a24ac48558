/**
 * `drift-monitor status`: what monitoring last saw, from the store (no Graph call). The estate —
 * each tenant and under it each account with its kind: status, since when, open findings, last
 * checked — or, with --tenant, one tenant account by account: its latest checks, its open findings
 * and since when, its recent snapshots and what changed between the last two. Dead-lettered alerts are counted in the estate and listed for a tenant;
 * rows that cannot be read are shown as unreadable instead of failing the command.
 */
import { standingText } from "../../lib/status/standing-text.js";
import { effectiveStatus } from "../../lib/drift/standing.js";
import { Command } from "commander";
import { tenantIdSchema } from "../../lib/model/tenant.js";
import type { SnapshotDiff } from "../../lib/drift/history.js";
import { UsageError } from "../usage-error.js";
import { renderTable } from "../table.js";
import { openStore } from "../store.js";
import { estateStatus, tenantStatus, type AccountDetail, type EstateAccountLine, type EstateStatus, type TenantDetail } from "../status-views.js";
import { isStandingRow, type UnreadableRowView } from "../../lib/status/read-model.js";
import type { CliIo } from "../io.js";
import { safeJson, safeStrings } from "../../lib/text/safe.js";
import { SEVERITY_LABEL, severityOfFinding } from "../../lib/checks/severity.js";

interface StatusOptions {
  tenant?: string;
  json?: boolean;
  snapshots: string;
}

/** 2026-01-01T10:00:00.000Z → 2026-01-01 10:00:00Z: sortable, unambiguous, shorter. */
function shortTime(iso: string | null): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";
}

function formatUnreadable(rows: readonly UnreadableRowView[]): string {
  if (rows.length === 0) return "";
  const lines = rows.map((r) => `  ${r.table} row ${r.tenantId}${r.rowKey === r.tenantId ? "" : `/${r.rowKey}`}: ${r.error}`);
  return (
    `\nUnreadable rows (left out; re-register a tenant with \`drift-monitor tenants add\`, an unreadable state is moved aside by the tenant's next check):\n` +
    lines.join("\n") +
    "\n"
  );
}

const DEAD_LETTER_HINT = "`drift-monitor alerts list --state failed` lists them, `drift-monitor alerts requeue` sends them again";

const statusOf = (a: EstateAccountLine): string => (a.unreadable !== null ? "unreadable" : (a.status ?? "not checked yet")) + (a.lateSince ? " (late)" : "");

/**
 * Every stored value (tenant names, policy names, errors) on one line, controls and bidi shown as
 * visible escapes. A tenant's accounts follow it, one row each with its kind; the tenant's name
 * and id head its first row only, so a tenant's rows read as one group.
 */
function formatEstate(raw: EstateStatus): string {
  const estate = safeStrings(raw);
  const lines = estate.tenants;
  if (lines.length === 0 && estate.unreadable.length === 0) {
    return "No tenants registered: add one with `drift-monitor tenants add` or `drift-monitor tenants import <csv>`.\n";
  }
  const rows = lines.flatMap((t) =>
    t.accounts.map((a, i) => [
      i === 0 ? t.displayName : "",
      i === 0 ? t.tenantId : "",
      a.ref,
      a.kindLabel,
      statusOf(a) + (t.enabled ? "" : " (disabled)"),
      shortTime(a.since),
      String(a.openFindings),
      String(a.deadLetteredAlerts),
      shortTime(a.lastChecked),
    ]),
  );
  const accounts = lines.flatMap((t) => t.accounts);
  const count = (s: string | null) => accounts.filter((a) => a.unreadable === null && a.status === s).length;
  const unreadableStates = accounts.filter((a) => a.unreadable !== null).length;
  let out =
    renderTable(["TENANT", "ID", "ACCOUNT", "KIND", "STATUS", "SINCE", "OPEN FINDINGS", "DEAD LETTERS", "LAST CHECKED"], rows, { right: [6, 7] }) +
    `\n${lines.length} tenant(s), ${accounts.length} account(s): ${count("compliant")} compliant, ${count("drifted")} drifted, ${count("unknown")} unknown, ` +
    `${count(null)} not checked yet${unreadableStates ? `, ${unreadableStates} unreadable` : ""}\n`;
  if (estate.deadLetteredAlerts > 0) out += `${estate.deadLetteredAlerts} dead-lettered alert(s) (delivery given up): ${DEAD_LETTER_HINT}\n`;
  return out + formatUnreadable(estate.unreadable);
}

function formatChange(diff: SnapshotDiff): string {
  const out: string[] = [`What changed from ${shortTime(diff.from.takenAt)} to ${shortTime(diff.to.takenAt)}:`];
  if (diff.status) out.push(`  status: ${diff.status.from} → ${diff.status.to}`);
  for (const c of diff.checks) out.push(`  check ${c.id}: ${c.from ?? "absent"} → ${c.to ?? "absent"}`);
  if (diff.policies) {
    for (const p of diff.policies.appeared) out.push(`  policy added: ${p.displayName} (${p.id})`);
    for (const p of diff.policies.changed) out.push(`  policy changed: ${p.displayName} (${p.id}): ${p.fields.join(", ")}`);
    for (const p of diff.policies.disappeared) out.push(`  policy removed: ${p.displayName} (${p.id})`);
  } else {
    out.push("  policies: not comparable (one of the snapshots could not read them)");
  }
  if (out.length === 1) out.push("  nothing that matters to the checks (the facts' digest changed, or the daily snapshot)");
  return out.join("\n") + "\n";
}

function formatTenant(raw: TenantDetail): string {
  const d = safeStrings(raw);
  const name = d.tenant?.displayName ?? d.tenantId;
  let out = `${name} (${d.tenantId})\n`;
  if (d.tenant) {
    out += `  ${d.tenant.accounts.length} monitored account(s), ${d.tenant.enabled ? "enabled" : "disabled"}`;
    out += `, alerts to ${d.tenant.recipients.join(", ") || "the global list only"}\n`;
  } else {
    out += d.unreadable.some((r) => r.table === "Tenants") ? "  registration unreadable\n" : "  no longer registered (history kept)\n";
  }
  out += formatUnreadable(d.unreadable);
  const standings = d.unreadable.filter(isStandingRow).length;
  if (standings > 0) {
    out += `${standings} unreadable acknowledgement/exception row${standings === 1 ? "" : "s"}: every run leaves ${standings === 1 ? "it" : "them"} out; `;
    out += "fix or delete each row listed above (Monitor table), then acknowledge or approve again\n";
  }
  return out + d.accounts.map((a) => formatAccount(a, d.unreadable)).join("");
}

function formatAccount(a: AccountDetail, unreadable: readonly UnreadableRowView[]): string {
  let out = `\n== ${a.kindLabel} ${a.account.ref}, profile ${a.account.profile}\n`;
  const badState = unreadable.find((r) => r.table === "Monitor" && r.rowKey === (a.account.key === "" ? "state" : `${a.account.key}/state`));
  if (!a.state && badState) {
    return out + "\nStatus: unreadable (its stored state does not parse; the next check moves it aside and starts over)\n\n" + formatDeadLetters(a);
  }
  if (!a.state) return out + "\nNot checked yet: `drift-monitor run` checks every enabled tenant now.\n\n" + formatDeadLetters(a);
  const report = a.state.lastReport;
  const seen = report.account.userPrincipalName ?? report.account.id ?? "?";
  out += `\nStatus: ${effectiveStatus(a.state)} since ${shortTime(a.since)}; last checked ${shortTime(report.checkedAt)} (account ${seen})\n`;
  if (a.state.lateSince) {
    out += `Late since ${shortTime(a.state.lateSince)}: ${a.state.lateReason ?? "throttled"} (carried to the next run; the verdict above still stands)\n`;
  }
  out += "\n";
  out += renderTable(
    ["CHECK", "STATUS", "SUMMARY"],
    report.checks.map((c) => [c.id, c.status, c.summary]),
    { maxWidth: 90 },
  );
  out += "\n";
  out +=
    a.openFindings.length === 0
      ? "Open findings: none\n"
      : `Open findings:\n${renderTable(
          ["CHECK", "SEVERITY", "SUBJECT", "SINCE", "SUMMARY", "STATE"],
          a.openFindings.map((f) => [
            f.checkId,
            SEVERITY_LABEL[severityOfFinding(f.checkId)],
            f.subjectName ?? (f.subject || "-"),
            shortTime(f.since),
            f.summary,
            standingText(f.standing, a.account.ref) ?? f.state ?? "open",
          ]),
          { maxWidth: 70 },
        )}`;
  out += "\n";
  out += formatDeadLetters(a);
  out += "\n";
  out += `Recent snapshots (newest first):\n${renderTable(
    ["TAKEN", "STATUS", "ID"],
    a.snapshots.map((s) => [shortTime(s.takenAt), s.status, s.id]),
  )}`;
  out += "\n";
  out += a.lastChange ? formatChange(a.lastChange) : "What changed: only one snapshot so far\n";
  return out;
}

function formatDeadLetters(d: AccountDetail): string {
  if (d.deadLettered.length === 0) return "Dead-lettered alerts: none\n";
  return (
    `Dead-lettered alerts (delivery given up; ${DEAD_LETTER_HINT}):\n` +
    renderTable(
      ["ALERT", "CREATED", "CHANGES", "ATTEMPTS", "LAST ERROR"],
      d.deadLettered.map((a) => [a.alertId, shortTime(a.createdAt), a.kinds.join(", "), String(a.attempts), a.lastError ?? "-"]),
      { right: [3], maxWidth: 70 },
    )
  );
}

export function statusCommand(io: CliIo): Command {
  return new Command("status")
    .description("show what monitoring last saw: every tenant's status, or one tenant in depth (from storage; no Graph call)")
    .option("--tenant <id>", "one tenant: its checks, open findings, recent snapshots and what changed last")
    .option("--snapshots <n>", "recent snapshots to list with --tenant", "10")
    .option("--json", "print as JSON")
    .action(async (opts: StatusOptions) => {
      const limit = Number(opts.snapshots);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new UsageError(`--snapshots must be a whole number from 1 to 1000, got "${opts.snapshots}"`);
      }
      let tenantId: string | undefined;
      if (opts.tenant !== undefined) {
        const id = tenantIdSchema.safeParse(opts.tenant);
        if (!id.success) throw new UsageError(`${id.error.issues[0]?.message ?? "tenantId must be a GUID"} (got "${opts.tenant}")`);
        tenantId = id.data;
      }
      const { store } = openStore(io);
      // Read only: the dead letters, from the store's own Monitor table.
      const outbox = store.outbox;
      if (tenantId === undefined) {
        const estate = await estateStatus(store, outbox);
        io.stdout(opts.json ? safeJson(estate) : formatEstate(estate));
      } else {
        const detail = await tenantStatus(store, tenantId, limit, outbox);
        if (!detail) throw new UsageError(`tenant ${tenantId} is neither registered nor monitored: \`drift-monitor tenants list\` shows the registered ones`);
        io.stdout(opts.json ? safeJson(detail) : formatTenant(detail));
      }
      io.setExitCode(0);
    });
}
