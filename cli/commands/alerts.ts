/**
 * `drift-monitor alerts list|requeue`: the outbox as an operator sees it. Alerts that could not
 * be delivered after ALERT_MAX_ATTEMPTS are dead-lettered (the digest lists them); once the cause
 * is fixed (sender domain, role, recipient), `requeue` puts them back in line for the next sweep.
 */
import { Command, Option } from "commander";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createOutboxDelivery, type DeliveryRow } from "../../lib/store/index.js";
import { waitingOf, waitingText } from "../../lib/alerts/delivery-rows.js";
import { isGuid } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import { renderTable } from "../table.js";
import type { CliIo } from "../io.js";
import { safeJson } from "../../lib/text/safe.js";

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

function view(row: DeliveryRow, now: Date) {
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
      if (opts.json) {
        const now = new Date();
        io.stdout(safeJson(rows.map((r) => view(r, now))));
        return;
      }
      if (rows.length === 0) {
        io.stdout(opts.state === "failed" ? "No dead-lettered alerts.\n" : "No alerts waiting for delivery.\n");
        return;
      }
      const now = new Date();
      io.stdout(
        renderTable(
          ["TENANT", "ALERT", "CREATED", "CHANGES", "ATTEMPTS", "STATUS", "LAST ERROR"],
          rows.map((r) => [r.alert.tenantName, r.alert.id, r.alert.createdAt, kinds(r), String(r.attempts), status(r, now), r.lastError ?? "-"]),
          { right: [4] },
        ) + claimNotes(rows, now),
      );
    });

  alerts
    .command("requeue")
    .description("put dead-lettered alerts back in line (after fixing what made them fail); the next delivery sweep sends them")
    .option("--tenant <id>", "only this tenant's alerts")
    .option("--id <alert-id>", "only this alert (with --tenant)")
    .action(async (opts: RequeueOptions) => {
      const tenantId = tenantOption(opts.tenant);
      if (opts.id !== undefined && tenantId === undefined) throw new UsageError("--id needs --tenant: an alert id is unique within its tenant");
      const repo = outbox(io);
      const rows = (await repo.listDeadLettered({ tenantId })).filter((r) => opts.id === undefined || r.alert.id === opts.id);
      if (opts.id !== undefined && rows.length === 0) throw new UsageError(`no dead-lettered alert ${opts.id} in tenant ${tenantId}`);
      for (const row of rows) await repo.requeue(row);
      io.stdout(`Requeued ${rows.length} alert(s)${rows.length > 0 ? ": the next delivery sweep sends them" : ""}.\n`);
    });

  return alerts;
}
