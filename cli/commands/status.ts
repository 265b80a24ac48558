/**
 * `drift-monitor status`: what monitoring last saw, from the store (no Graph call). The estate —
 * each tenant's status, since when, open findings, last checked — or, with --tenant, one tenant:
 * its latest checks, its open findings and since when, its recent snapshots and what changed
 * between the last two. Dead-lettered alerts are counted in the estate and listed for a tenant;
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
import { estateStatus, tenantStatus, type EstateStatus, type TenantDetail } from "../status-views.js";
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

/** Every stored value (tenant names, policy names, errors) on one line, controls and bidi shown as visible escapes. */
function formatEstate(raw: EstateStatus): string {
  const estate = safeStrings(raw);
  const lines = estate.tenants;
  if (lines.length === 0 && estate.unreadable.length === 0) {
    return "No tenants registered: add one with `drift-monitor tenants add` or `drift-monitor tenants import <csv>`.\n";
  }
  const rows = lines.map((l) => [
    l.displayName,
    l.tenantId,
    (l.unreadable !== null ? "unreadable" : (l.status ?? "not checked yet")) + (l.lateSince ? " (late)" : "") + (l.enabled ? "" : " (disabled)"),
    shortTime(l.since),
    String(l.openFindings),
    String(l.deadLetteredAlerts),
    shortTime(l.lastChecked),
  ]);
  const count = (s: string) => lines.filter((l) => l.unreadable === null && l.status === s).length;
  const unreadableStates = lines.filter((l) => l.unreadable !== null).length;
  let out =
    renderTable(["TENANT", "ID", "STATUS", "SINCE", "OPEN FINDINGS", "DEAD LETTERS", "LAST CHECKED"], rows, { right: [4, 5] }) +
    `\n${lines.length} tenant(s): ${count("compliant")} compliant, ${count("drifted")} drifted, ${count("unknown")} unknown, ` +
    `${lines.filter((l) => l.unreadable === null && l.status === null).length} not checked yet${unreadableStates ? `, ${unreadableStates} unreadable` : ""}\n`;
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
    out += `  account ${d.tenant.account}, profile ${d.tenant.profile}, ${d.tenant.enabled ? "enabled" : "disabled"}`;
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
  const badState = d.unreadable.find((r) => r.table === "Monitor" && r.rowKey === "state");
  if (!d.state && badState) {
    return out + "\nStatus: unreadable (its stored state does not parse; the next check moves it aside and starts over)\n\n" + formatDeadLetters(d);
  }
  if (!d.state) return out + "\nNot checked yet: `drift-monitor run` checks every enabled tenant now.\n\n" + formatDeadLetters(d);
  const report = d.state.lastReport;
  const account = report.account.userPrincipalName ?? report.account.id ?? "?";
  out += `\nStatus: ${effectiveStatus(d.state)} since ${shortTime(d.since)}; last checked ${shortTime(report.checkedAt)} (account ${account})\n`;
  if (d.state.lateSince) {
    out += `Late since ${shortTime(d.state.lateSince)}: ${d.state.lateReason ?? "throttled"} (carried to the next run; the verdict above still stands)\n`;
  }
  out += "\n";
  out += renderTable(
    ["CHECK", "STATUS", "SUMMARY"],
    report.checks.map((c) => [c.id, c.status, c.summary]),
    { maxWidth: 90 },
  );
  out += "\n";
  out +=
    d.openFindings.length === 0
      ? "Open findings: none\n"
      : `Open findings:\n${renderTable(
          ["CHECK", "SEVERITY", "SUBJECT", "SINCE", "SUMMARY", "STATE"],
          d.openFindings.map((f) => [
            f.checkId,
            SEVERITY_LABEL[severityOfFinding(f.checkId)],
            f.subjectName ?? (f.subject || "-"),
            shortTime(f.since),
            f.summary,
            standingText(f.standing) ?? f.state ?? "open",
          ]),
          { maxWidth: 70 },
        )}`;
  out += "\n";
  out += formatDeadLetters(d);
  out += "\n";
  out += `Recent snapshots (newest first):\n${renderTable(
    ["TAKEN", "STATUS", "ID"],
    d.snapshots.map((s) => [shortTime(s.takenAt), s.status, s.id]),
  )}`;
  out += "\n";
  out += d.lastChange ? formatChange(d.lastChange) : "What changed: only one snapshot so far\n";
  return out;
}

function formatDeadLetters(d: TenantDetail): string {
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
