/**
 * Builds and sends the daily digest. The digest has no outbox row: its identity is the day
 * (`digest-YYYY-MM-DD` → the same ACS operation id and `.eml` name all day), so a timer that fires
 * twice, or a retried run, sends it once.
 */
import type { RegisteredTenant } from "../../model/tenant.js";
import type { TenantState } from "../../model/state.js";
import type { DeliveryRow } from "../../store/outbox-delivery.js";
import type { Channel, SendOutcome } from "../channels/types.js";
import { backoffMs } from "../retry.js";
import { renderDigest } from "./render.js";
import { summariseEstate, type DeadLetter, type DigestSummary } from "./summary.js";

export interface DigestSources {
  listStates(): Promise<readonly TenantState[]>;
  listTenants(): Promise<readonly RegisteredTenant[]>;
  listDeadLettered(): Promise<readonly DeliveryRow[]>;
}

export interface DigestDeps {
  readonly sources: DigestSources;
  readonly channels: readonly Channel[];
  readonly settings: { readonly from: string; readonly to: readonly string[]; readonly dashboardUrl?: string };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Tries per channel before giving up until the next run (default 3). */
  readonly attempts?: number;
  /** Longest wait slept between tries (default 60 s); longer waits end the run. */
  readonly maxInlineWaitMs?: number;
}

export interface DigestResult {
  readonly summary: DigestSummary;
  readonly id: string;
  readonly channels: ReadonlyArray<{ readonly name: string; readonly outcome: SendOutcome }>;
}

export function deadLetterOf(row: DeliveryRow): DeadLetter {
  return {
    tenantId: row.tenantId,
    tenantName: row.alert.tenantName,
    alertId: row.alert.id,
    kinds: [...new Set(row.alert.transitions.map((t) => t.kind))],
    createdAt: row.alert.createdAt,
    attempts: row.attempts,
    deadLetteredAt: row.deadLetteredAt,
    lastError: row.lastError,
    sentChannels: row.sentChannels,
  };
}

export async function sendDigest(deps: DigestDeps): Promise<DigestResult> {
  const [states, tenants, dead] = await Promise.all([deps.sources.listStates(), deps.sources.listTenants(), deps.sources.listDeadLettered()]);
  const now = deps.now();
  const summary = summariseEstate({
    states,
    tenants: tenants.map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, enabled: t.enabled })),
    deadLetters: dead.map(deadLetterOf),
    now,
  });
  const rendered = renderDigest(summary, { dashboardUrl: deps.settings.dashboardUrl });
  const results: Array<{ name: string; outcome: SendOutcome }> = [];
  const tries = deps.attempts ?? 3;
  for (const channel of deps.channels) {
    let outcome: SendOutcome = { ok: false, retryable: false, error: "not attempted" };
    for (let i = 1; i <= tries; i++) {
      // The Date header is the start of the day: the same bytes whenever it is (re)sent that day.
      outcome = await channel.send({ rendered, from: deps.settings.from, to: deps.settings.to, date: new Date(`${summary.day}T00:00:00.000Z`) });
      if (outcome.ok || !outcome.retryable || i === tries) break;
      const wait = Math.max(1_000, outcome.retryAfterMs ?? backoffMs(i, deps.random ?? Math.random));
      if (wait > (deps.maxInlineWaitMs ?? 60_000)) break;
      await deps.sleep(wait);
    }
    results.push({ name: channel.name, outcome });
  }
  return { summary, id: rendered.id, channels: results };
}
