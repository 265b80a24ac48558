/**
 * Builds and sends the daily digest. The digest has no outbox row: its identity is the day
 * (`digest-YYYY-MM-DD` → the same ACS operation id and `.eml` name all day), so a timer that fires
 * twice, or a retried run, sends it once. The webhook has no such key, so each channel's sending
 * is recorded per day in the ledger (`~digest` partition of the Monitor table): a run claims a
 * channel with the row's ETag before sending, records it sent right after, and a later run that
 * day (or one racing it) skips what is sent or claimed. A channel that failed is released, so a
 * later run the same day tries it again. Left: a run that dies between the webhook's POST and
 * recording it lets the next run post again once the claim (10 minutes) has lapsed.
 */
import type { RegisteredTenant } from "../../model/tenant.js";
import type { TenantState } from "../../model/state.js";
import type { DeliveryRow, DigestClaim, SendBudget } from "../../store/index.js";
import type { Channel, OutgoingMessage, SendOutcome } from "../channels/types.js";
import { ChannelGate, type GateResult, type ThrottleMarker } from "../gate/gate.js";
import { MAX_INLINE_WAIT_MS } from "../gate/classify.js";
import { renderDigest } from "./render.js";
import { summariseEstate, type DeadLetter, type DigestSummary } from "./summary.js";
import { consentSummaryLines, type DigestConsent } from "./consent-summary.js";

export interface DigestSources {
  listStates(): Promise<readonly TenantState[]>;
  listTenants(): Promise<readonly RegisteredTenant[]>;
  listDeadLettered(): Promise<readonly DeliveryRow[]>;
}

/** Per-day record of the channels that sent the digest (DeliveryMarkers in lib/store/monitor/markers.ts). */
export interface DigestLedger {
  claimDigestChannel(day: string, channel: string, now: Date, leaseMs: number): Promise<DigestClaim>;
  recordDigestSent(day: string, channel: string, now: Date): Promise<void>;
  releaseDigestChannel(day: string, channel: string, held?: boolean): Promise<void>;
}

export interface DigestDeps {
  readonly sources: DigestSources;
  /** Without it every run sends through every channel (the ACS and `.eml` ids still fold repeats). */
  readonly ledger?: DigestLedger;
  readonly channels: readonly Channel[];
  readonly settings: { readonly from: string; readonly to: readonly string[]; readonly dashboardUrl?: string };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Tries per channel before giving up until the next run (default 3). */
  readonly attempts?: number;
  /** Longest wait slept between tries (default 60 s); longer waits end the run. */
  readonly maxInlineWaitMs?: number;
  /** How long a run's claim on a channel holds off other runs (default 10 minutes: the function timeout). */
  readonly claimMs?: number;
  /** The sending budgets every sender shares (the ACS quota): the digest takes its cell like any email. */
  readonly budgets?: Readonly<Record<string, SendBudget>>;
  /** The once-per-upgrade consent summary (consent-notice.ts): the required set and the marker of the last one told; absent: none. */
  readonly consent?: DigestConsent;
  /** The shared 429 marker: the digest waits for a channel another sender was told to leave alone, and tells them of its own 429s. */
  readonly throttle?: ThrottleMarker;
}

/** The gate's answer as the digest reports it. */
function outcomeOf(result: GateResult): SendOutcome {
  if (result.kind === "sent") return { ok: true, detail: result.detail };
  if (result.kind === "dead") return { ok: false, retryable: false, error: result.error };
  if (result.kind === "retry") return { ok: false, retryable: true, error: result.error };
  return { ok: false, retryable: true, throttled: true, error: result.error };
}

/** Up to `tries` tries of one channel through the gate, sleeping the waits that are short; a longer one ends them (the sweep sends it later). */
async function sendThrough(deps: DigestDeps, gate: ChannelGate, channel: Channel, message: OutgoingMessage): Promise<SendOutcome> {
  const tries = deps.attempts ?? 3;
  let result: GateResult = { kind: "dead", error: "not attempted" };
  // A wait (quota, 429) spends no try; a few waits in a row are as many as a run sleeps.
  for (let attempt = 1, waits = 0; attempt <= tries && waits < 3;) {
    result = await gate.trySend(channel, message, { attempt, maxAttempts: tries });
    if (result.kind === "sent" || result.kind === "dead") break;
    const wait = (result.kind === "wait" ? result.until : result.after).getTime() - deps.now().getTime();
    if (wait > (deps.maxInlineWaitMs ?? MAX_INLINE_WAIT_MS)) break;
    if (result.kind === "wait") waits++;
    else attempt++;
    await deps.sleep(Math.max(0, wait));
  }
  return outcomeOf(result);
}

export interface DigestChannelResult {
  readonly name: string;
  readonly outcome: SendOutcome;
  /** Not sent by this run: the day's digest went out through this channel already (or another run is sending it). */
  readonly alreadySent?: boolean;
}

export interface DigestResult {
  readonly summary: DigestSummary;
  readonly id: string;
  readonly channels: readonly DigestChannelResult[];
}

const DIGEST_CLAIM_MS = 10 * 60_000;

function deadLetterOf(row: DeliveryRow): DeadLetter {
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
    tenants: tenants.map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, enabled: t.enabled, accounts: t.accounts })),
    deadLetters: dead.map(deadLetterOf),
    now,
  });
  const consent = deps.consent ? await consentSummaryLines(deps.consent, { states, tenants, day: summary.day, now }) : [];
  const rendered = renderDigest(summary, { dashboardUrl: deps.settings.dashboardUrl, consent });
  const gate = new ChannelGate(deps);
  // The Date header is the start of the day: the same bytes whenever it is (re)sent that day.
  const message = { rendered, from: deps.settings.from, to: deps.settings.to, date: new Date(`${summary.day}T00:00:00.000Z`) };
  // Each channel on its own and at once: one waiting or hanging does not hold the other's digest.
  const results = await Promise.all(
    deps.channels.map(async (channel): Promise<DigestChannelResult> => {
      const claim = deps.ledger ? await deps.ledger.claimDigestChannel(summary.day, channel.name, now, deps.claimMs ?? DIGEST_CLAIM_MS) : "claimed";
      if (claim !== "claimed") {
        const detail = claim === "sent" ? `the ${summary.day} digest was sent already` : `another run is sending the ${summary.day} digest`;
        return { name: channel.name, outcome: { ok: true, detail }, alreadySent: true };
      }
      const outcome = await sendThrough(deps, gate, channel, message);
      if (outcome.ok) await deps.ledger?.recordDigestSent(summary.day, channel.name, deps.now());
      else await deps.ledger?.releaseDigestChannel(summary.day, channel.name, outcome.throttled === true);
      return { name: channel.name, outcome };
    }),
  );
  return { summary, id: rendered.id, channels: results };
}
