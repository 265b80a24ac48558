/**
 * `drift-monitor alerts list|requeue`: the outbox as an operator sees it. Alerts that could not
 * be delivered after ALERT_MAX_ATTEMPTS are dead-lettered (the digest lists them); once the cause
 * is fixed (sender domain, role, recipient), `requeue` puts them back in line for the next sweep.
 */
import { Command, Option } from "commander";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createOutboxDelivery, type DeliveryRow, type RollupRow } from "../../lib/store/index.js";
import { waitingOf, waitingText } from "../../lib/alerts/delivery-rows.js";
import { isGuid } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import { renderTable } from "../table.js";
import type { CliIo } from "../io.js";
import { safeJson } from "../../lib/text/safe.js";
import { loadAlertSettings, type AlertSettings } from "../../lib/config/alert-settings.js";
import { deliveryQueue, type DeliveryQueue } from "../../lib/alerts/queue-view.js";
import { emailLimits } from "../../lib/alerts/quota.js";

const STATES = ["undelivered", "failed"] as const;
type ListState = (typeof STATES)[number];

interface ListOptions {
  tenant?: string;
  state: ListState;
  json?: boolean;
}

interface RequeueOptions {
  tenant?: string;
  id?: string;
}

function tenantOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!isGuid(raw)) throw new UsageError(`tenant "${raw}" is not a tenant id: use the directory (tenant) id GUID`);
  return raw.toLowerCase();
}

function outbox(io: CliIo) {
  return createOutboxDelivery(loadStoreSettings(io.env).storage);
}

function kinds(row: DeliveryRow): string {
  return [...new Set(row.alert.transitions.map((t) => t.kind))].join(", ");
}

/** What a pending row waits for (an interrupted attempt's claim, or a retry), and where each channel stands. */
const WAIT_LABEL = { claim: "claimed (interrupted)", backoff: "retry later" } as const;

function status(row: DeliveryRow, now: Date): string {
  const waiting = waitingOf(row, now);
  const channels = [...row.sentChannels.map((c) => `${c} sent`), ...row.deadChannels.map((c) => `${c} dead`)].join(", ");
  return [waiting ? WAIT_LABEL[waiting.kind] : row.delivery === "pending" ? "due" : "", channels].filter(Boolean).join("; ") || "-";
}

/** Below the table: each row held by an interrupted attempt, and until when (the table has no room for it). */
function claimNotes(rows: readonly DeliveryRow[], now: Date): string {
  return rows
    .map((r) => ({ r, waiting: waitingOf(r, now) }))
    .filter((x) => x.waiting?.kind === "claim")
    .map(({ r, waiting }) => `Alert ${r.alert.id} of ${r.alert.tenantName} ${waitingText(waiting!)}; then the next sweep sends it.\n`)
    .join("");
}

/** The alert settings if this machine has them (an operator's may not): only the quota estimate needs them. */
function alertSettings(io: CliIo): AlertSettings | undefined {
  try {
    return loadAlertSettings(io.env);
  } catch {
    return undefined;
  }
}

async function queueOf(io: CliIo, repo: ReturnType<typeof outbox>, now: Date): Promise<DeliveryQueue> {
  const settings = alertSettings(io);
  const budget = settings && settings.email.kind !== "eml" ? repo.sendBudget(emailLimits("acs", settings.emailQuota)) : undefined;
  return deliveryQueue(repo, settings, budget, now);
}

/** Above the table: the global list's roll-up and the quota's pace. */
function rollupNote(q: DeliveryQueue): string {
  const pace = q.quota
    ? `Email quota: ${q.quota.perMinute}/min, ${q.quota.perHour}/h (${q.quota.source}): one email every ${Math.round(q.quota.oneEveryMs / 1000)} s.\n`
    : "";
  const { rollup } = q;
  const failed =
    rollup.failed.length > 0 ? `Global list and webhook: ${rollup.failed.length} summary(ies) failed for good: \`alerts list --state failed\`.\n` : "";
  if (rollup.owed === 0 && !rollup.sending) return pace + failed;
  const what = rollup.sending
    ? `summary ${rollup.sending.id} of ${rollup.sending.alerts} alert(s) being sent`
    : `${rollup.owed} alert(s) owed to the next summary`;
  return `${pace}${failed}Global list (ALERT_TO) and webhook: ${what}; expected at ${rollup.expectedAt ?? "the next sweep"}.\n`;
}

/** Summaries to the global list and the webhook that failed for good: their alerts wait in them until requeued. */
function failedSummaries(rollups: readonly RollupRow[]): string {
  return rollups
    .map(
      (r) =>
        `Summary ${r.id} of ${r.members.length} alert(s) to the global list (ALERT_TO) and webhook failed on ${r.deadChannels.join(", ") || "a channel"}` +
        `${r.lastError ? ` (${r.lastError})` : ""}; \`drift-monitor alerts requeue\` sends it again.\n`,
    )
    .join("");
}

function view(row: DeliveryRow, now: Date, expectedAt?: string) {
  const waiting = waitingOf(row, now);
  return {
    tenantId: row.tenantId,
    tenantName: row.alert.tenantName,
    id: row.alert.id,
    createdAt: row.alert.createdAt,
    transitions: row.alert.transitions.map((t) => t.kind),
    delivery: row.delivery,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    deadLetteredAt: row.deadLetteredAt,
    sentChannels: row.sentChannels,
    deadChannels: row.deadChannels,
    ...(waiting ? { waiting } : {}),
    ...(expectedAt ? { expectedAt } : {}),
  };
}

export function alertsCommand(io: CliIo): Command {
  const alerts = new Command("alerts").description("the alert outbox: list undelivered or dead-lettered alerts, requeue them");

  alerts
    .command("list")
    .description("list alerts waiting for delivery, or dead-lettered after ALERT_MAX_ATTEMPTS")
    .option("--tenant <id>", "one tenant's alerts")
    .addOption(new Option("--state <state>", "which alerts").choices([...STATES]).default("undelivered"))
    .option("--json", "print JSON")
    .action(async (opts: ListOptions) => {
      const tenantId = tenantOption(opts.tenant);
      const repo = outbox(io);
      const rows = opts.state === "failed" ? await repo.listDeadLettered({ tenantId }) : await repo.listUndelivered({ tenantId });
      const now = new Date();
      const queue = opts.state === "failed" ? undefined : await queueOf(io, repo, now);
      // A failed summary is the global list's dead letter: shown with the estate's (not one tenant's) failures.
      const summaries = opts.state === "failed" && tenantId === undefined ? await repo.rollups.listFailed() : [];
      const expected = new Map(queue?.alerts.map((a) => [`${a.tenantId}/${a.id}`, a.expectedAt]));
      const expectedOf = (r: DeliveryRow) => expected.get(`${r.tenantId}/${r.alert.id}`);
      if (opts.json) {
        io.stdout(safeJson(rows.map((r) => view(r, now, expectedOf(r)))));
        return;
      }
      const note = queue ? rollupNote(queue) : failedSummaries(summaries);
      if (rows.length === 0) {
        io.stdout(note + (opts.state === "failed" ? "No dead-lettered alerts.\n" : "No alerts waiting for delivery.\n"));
        return;
      }
      const headers = ["TENANT", "ALERT", "CREATED", "CHANGES", "ATTEMPTS", "STATUS", ...(queue ? ["EXPECTED"] : []), "LAST ERROR"];
      io.stdout(
        note +
          renderTable(
            headers,
            rows.map((r) => [
              r.alert.tenantName,
              r.alert.id,
              r.alert.createdAt,
              kinds(r),
              String(r.attempts),
              status(r, now),
              ...(queue ? [expectedOf(r) ?? "-"] : []),
              r.lastError ?? "-",
            ]),
            { right: [4] },
          ) +
          claimNotes(rows, now),
      );
    });

  alerts
    .command("requeue")
    .description(
      "put dead-lettered alerts (and, without --tenant, failed summaries to the global list) back in line after fixing what made them fail; " +
        "the next delivery sweep sends them",
    )
    .option("--tenant <id>", "only this tenant's alerts")
    .option("--id <alert-id>", "only this alert (with --tenant)")
    .action(async (opts: RequeueOptions) => {
      const tenantId = tenantOption(opts.tenant);
      if (opts.id !== undefined && tenantId === undefined) throw new UsageError("--id needs --tenant: an alert id is unique within its tenant");
      const repo = outbox(io);
      const rows = (await repo.listDeadLettered({ tenantId })).filter((r) => opts.id === undefined || r.alert.id === opts.id);
      if (opts.id !== undefined && rows.length === 0) throw new UsageError(`no dead-lettered alert ${opts.id} in tenant ${tenantId}`);
      for (const row of rows) await repo.requeue(row);
      // Without --tenant, the failed summaries too: the global list and the webhook get them again (their sent channels do not).
      const summaries = tenantId === undefined ? await repo.rollups.listFailed() : [];
      for (const r of summaries) await repo.rollups.requeue(r);
      const also = summaries.length > 0 ? ` and ${summaries.length} summary(ies) to the global list` : "";
      io.stdout(`Requeued ${rows.length} alert(s)${also}${rows.length + summaries.length > 0 ? ": the next delivery sweep sends them" : ""}.\n`);
    });

  return alerts;
}
