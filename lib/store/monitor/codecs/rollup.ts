/**
 * `~rollup` rows (rollups.ts). `lease`: Holder and Until, the one sender forming and sending
 * roll-ups. `{rollup id}`: State (forming → ready → sent | failed), CreatedAt, the alerts it may
 * cover (Candidates*) and, once sealed, those it does cover (Members*): "{Monitor partition}/alertId" joined by
 * commas, in chunks of at most 30,000 characters (a Table string property holds 32K characters),
 * plus each channel's own delivery columns (`Sent_{ch}`, `Dead_{ch}`, `Next_{ch}`, `Attempts_{ch}`, `Error_{ch}`), written by
 * that channel's sender alone, so a channel waiting or failing never moves another's. Rows written before channels were
 * separate carry one set (Attempts, NextAttemptAt, SentChannels, DeadChannels, LastError) that every channel starts from.
 * Generation is the row's: a requeue renames every channel's next try.
 * `lease` and `lease-{channel}` rows: Holder and Until, the one sender forming roll-ups, and the one sending through a channel.
 */
import { z } from "zod";
import { ROLLUP_PARTITION } from "../keys.js";
import { textColumn } from "./alert.js";
import type { Row } from "../table.js";

export const ROLLUP_STATES = ["forming", "ready", "sent", "failed"] as const;
export type RollupState = (typeof ROLLUP_STATES)[number];

export interface RollupRef {
  /** The alert's Monitor partition (the tenant id for a tenant's first account, as every older row has it). */
  readonly partition: string;
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
  /** Each channel's own next try, attempts and error (a channel without its columns starts from the row's: an older row). */
  readonly parts: Readonly<Record<string, RollupPart>>;
  /** Raised by each requeue of a failed roll-up: its ACS operation id and webhook key name a new attempt (lib/alerts/ids.ts). */
  readonly generation: number;
}

export interface RollupPart {
  readonly nextAttemptAt: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** A channel's column name (Table property names cannot hold a dash). */
export const partColumn = (prefix: "Sent" | "Dead" | "Next" | "Attempts" | "Error", channel: string): string => `${prefix}_${channel.replace(/-/g, "_")}`;

/** Where `channel` stands on `r`: its own columns, or the row's (a row from before channels were separate). */
export const partOf = (r: RollupRow, channel: string): RollupPart =>
  r.parts[channel] ?? { nextAttemptAt: r.nextAttemptAt, attempts: r.attempts, lastError: r.lastError };

const CHUNK = 30_000;
const MAX_CHUNKS = 10;
/** What fits the chunks with room to spare (a ref is at most 36 + 1 + 128 + 1 characters; ids are far shorter). */
export const MAX_ROLLUP_MEMBERS = 1000;

const REF = /^([0-9A-Za-z|-]{1,80})\/([A-Za-z0-9_-]{1,128})$/;

export function encodeRefs(prefix: "Candidates" | "Members", refs: readonly RollupRef[]): Record<string, string> {
  const text = refs.map((r) => `${r.partition}/${r.id}`).join(",");
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
      return { partition: m[1], id: m[2] };
    });
}

const list = (v: unknown): string[] => (textColumn(v) ?? "").split(",").filter((c) => c !== "");

/**
 * The row format: 2 since each channel keeps its own columns (a row without `Schema` is 1, read as every channel starting from
 * the row's one set). A newer row is refused rather than read and rewritten by a sender that does not know its columns.
 */
export const ROLLUP_SCHEMA = 2;

const columns = z.object({ State: z.enum(ROLLUP_STATES), CreatedAt: z.string(), Schema: z.number().int().min(1).optional() });

/** The channels named by `prefix` columns with a value, and the parts of every channel with a column of its own. */
function decodeParts(row: Row): { sent: string[]; dead: string[]; parts: Record<string, RollupPart> } {
  const sent: string[] = [];
  const dead: string[] = [];
  const parts: Record<string, RollupPart> = {};
  for (const [k, v] of Object.entries(row)) {
    const m = /^(Sent|Dead|Next|Attempts|Error)_([a-z0-9_]+)$/.exec(k);
    if (!m?.[1] || !m[2]) continue;
    const channel = m[2].replace(/_/g, "-");
    if (m[1] === "Sent" && textColumn(v)) sent.push(channel);
    if (m[1] === "Dead" && textColumn(v)) dead.push(channel);
    if (m[1] === "Next" || m[1] === "Attempts" || m[1] === "Error") {
      parts[channel] = {
        nextAttemptAt: textColumn(row[partColumn("Next", channel)]),
        attempts: typeof row[partColumn("Attempts", channel)] === "number" ? (row[partColumn("Attempts", channel)] as number) : 0,
        lastError: textColumn(row[partColumn("Error", channel)]),
      };
    }
  }
  return { sent, dead, parts };
}

export function decodeRollup(row: Row): RollupRow {
  const c = columns.safeParse(row);
  if (!c.success) throw new Error(`roll-up ${String(row.rowKey)} has no valid State and CreatedAt`);
  if ((c.data.Schema ?? 1) > ROLLUP_SCHEMA) {
    throw new Error(
      `roll-up ${String(row.rowKey)} was written by a newer version (row format ${c.data.Schema}; this one reads up to ${ROLLUP_SCHEMA}): upgrade`,
    );
  }
  const own = decodeParts(row);
  return {
    id: String(row.rowKey),
    etag: row.etag,
    state: c.data.State,
    createdAt: c.data.CreatedAt,
    candidates: decodeRefs(row, "Candidates"),
    members: decodeRefs(row, "Members"),
    attempts: typeof row.Attempts === "number" ? row.Attempts : 0,
    nextAttemptAt: textColumn(row.NextAttemptAt),
    sentChannels: [...new Set([...list(row.SentChannels), ...own.sent])],
    deadChannels: [...new Set([...list(row.DeadChannels), ...own.dead])],
    parts: own.parts,
    lastError: textColumn(row.LastError),
    sentAt: textColumn(row.SentAt),
    generation: typeof row.Generation === "number" && Number.isInteger(row.Generation) && row.Generation >= 0 ? row.Generation : 0,
  };
}

export const rollupEntity = (id: string, columns: Record<string, string | number>) => ({ partitionKey: ROLLUP_PARTITION, rowKey: id, ...columns });
