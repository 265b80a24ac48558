/**
 * `~rollup` rows (rollups.ts). `lease`: Holder and Until, the one sender forming and sending
 * roll-ups. `{rollup id}`: State (forming → ready → sent | failed), CreatedAt, the alerts it may
 * cover (Candidates*) and, once sealed, those it does cover (Members*): "tenantId/alertId" joined by
 * commas, in chunks of at most 30,000 characters (a Table string property holds 32K characters),
 * plus the delivery columns of an outbox row (Attempts, NextAttemptAt, SentChannels, DeadChannels, LastError, Generation).
 */
import { z } from "zod";
import { ROLLUP_PARTITION } from "../keys.js";
import { textColumn } from "./alert.js";
import type { Row } from "../table.js";

export const ROLLUP_STATES = ["forming", "ready", "sent", "failed"] as const;
export type RollupState = (typeof ROLLUP_STATES)[number];

export interface RollupRef {
  readonly tenantId: string;
  readonly id: string;
}

export interface RollupRow {
  readonly id: string;
  readonly etag: string;
  readonly state: RollupState;
  readonly createdAt: string;
  readonly candidates: readonly RollupRef[];
  readonly members: readonly RollupRef[];
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly sentChannels: readonly string[];
  readonly deadChannels: readonly string[];
  readonly lastError: string | null;
  readonly sentAt: string | null;
  /** Raised by each requeue of a failed roll-up: its ACS operation id and webhook key name a new attempt (lib/alerts/ids.ts). */
  readonly generation: number;
}

const CHUNK = 30_000;
const MAX_CHUNKS = 10;
/** What fits the chunks with room to spare (a ref is at most 36 + 1 + 128 + 1 characters; ids are far shorter). */
export const MAX_ROLLUP_MEMBERS = 1000;

const REF = /^([0-9A-Za-z-]{1,64})\/([A-Za-z0-9_-]{1,128})$/;

export function encodeRefs(prefix: "Candidates" | "Members", refs: readonly RollupRef[]): Record<string, string> {
  const text = refs.map((r) => `${r.tenantId}/${r.id}`).join(",");
  const out: Record<string, string> = {};
  for (let i = 0; i < MAX_CHUNKS; i++) out[`${prefix}${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  if (text.length > CHUNK * MAX_CHUNKS) throw new Error(`a roll-up of ${refs.length} alerts does not fit its row`);
  return out;
}

function decodeRefs(row: Row, prefix: string): RollupRef[] {
  let text = "";
  for (let i = 0; i < MAX_CHUNKS; i++) text += textColumn(row[`${prefix}${i}`]) ?? "";
  return text
    .split(",")
    .filter((s) => s !== "")
    .map((s) => {
      const m = REF.exec(s);
      if (!m?.[1] || !m[2]) throw new Error(`roll-up ${String(row.rowKey)} lists an unreadable alert "${s.slice(0, 60)}"`);
      return { tenantId: m[1], id: m[2] };
    });
}

const list = (v: unknown): string[] => (textColumn(v) ?? "").split(",").filter((c) => c !== "");

const columns = z.object({ State: z.enum(ROLLUP_STATES), CreatedAt: z.string() });

export function decodeRollup(row: Row): RollupRow {
  const c = columns.safeParse(row);
  if (!c.success) throw new Error(`roll-up ${String(row.rowKey)} has no valid State and CreatedAt`);
  return {
    id: String(row.rowKey),
    etag: row.etag,
    state: c.data.State,
    createdAt: c.data.CreatedAt,
    candidates: decodeRefs(row, "Candidates"),
    members: decodeRefs(row, "Members"),
    attempts: typeof row.Attempts === "number" ? row.Attempts : 0,
    nextAttemptAt: textColumn(row.NextAttemptAt),
    sentChannels: list(row.SentChannels),
    deadChannels: list(row.DeadChannels),
    lastError: textColumn(row.LastError),
    sentAt: textColumn(row.SentAt),
    generation: typeof row.Generation === "number" && Number.isInteger(row.Generation) && row.Generation >= 0 ? row.Generation : 0,
  };
}

export const rollupEntity = (id: string, columns: Record<string, string | number>) => ({ partitionKey: ROLLUP_PARTITION, rowKey: id, ...columns });
