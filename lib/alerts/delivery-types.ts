/** What delivery takes (the store, the channels, the settings, the clock) and what it tells. */
import type { InvalidRow, OutboxDeliveryRepository, SendBudget } from "../store/index.js";
import type { RollupOutcome, RollupStore } from "./rollup/send.js";
import type { BackoffOptions } from "../retry/backoff.js";
import type { Channel } from "./channels/types.js";
import type { ThrottleMarker } from "./gate/gate.js";

export type DeliveryStore = Pick<
  OutboxDeliveryRepository,
  "listDue" | "get" | "claim" | "recordChannelSent" | "recordChannelDead" | "recordFailure" | "markSent" | "deadLetter"
>;

export interface DeliverySettings {
  readonly from: string;
  /** ALERT_TO: added to every row's own recipients. */
  readonly to: readonly string[];
  readonly maxAttempts: number;
  readonly dashboardUrl?: string;
}

export interface DeliveryDeps {
  readonly store: DeliveryStore;
  /** Shared across instances; without it each sender only knows its own 429s. */
  readonly throttle?: ThrottleMarker;
  /** The email channel first (ACS or `.eml`), then the webhook if configured. */
  readonly channels: readonly Channel[];
  readonly settings: DeliverySettings;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** How long a claimed row is left alone if its sender dies (default 5 minutes). */
  readonly leaseMs?: number;
  /** Waits up to this long are slept inside the sweep; longer ones are left to the next sweep (default 60 s). */
  readonly maxInlineWaitMs?: number;
  /** The wait after a 429 without Retry-After (default 60 s: the managed domain's rate is per minute). */
  readonly throttleWaitMs?: number;
  /** The sweep starts no new row after running this long (default 4 min: inside its 5-minute schedule). */
  readonly sweepBudgetMs?: number;
  /** Told about every step; never given a secret. */
  readonly log?: (event: DeliveryEvent) => void;
  /**
   * Per channel name, the sending budget every sender shares (the ACS quota, the webhook's rate):
   * a send takes a cell first; none to be had is a wait, like a 429, never an attempt.
   */
  readonly budgets?: Readonly<Record<string, SendBudget>>;
  /**
   * The global roll-up (lib/alerts/rollup/). With it, a row written since roll-ups goes to its
   * tenant's own recipients only, by email, and ALERT_TO and the webhook get the roll-up; without
   * it (or for an older row) a row's email goes to both lists and the webhook gets each row.
   * Every sender of one deployment is wired the same way (functions/app/app.ts, the CLI).
   */
  readonly rollup?: RollupWiring;
}

export interface RollupWiring {
  readonly store: RollupStore;
  readonly settleMs?: number;
  readonly maxHoldMs?: number;
  readonly leaseMs?: number;
}

export type DeliveryEvent =
  | { readonly kind: "sent"; readonly tenantId: string; readonly id: string; readonly channel: string; readonly detail: string }
  | { readonly kind: "failed"; readonly tenantId: string; readonly id: string; readonly channel: string; readonly error: string; readonly retryable: boolean }
  /** `channel` set: that channel alone was given up on; unset: the row (and every channel it still had pending). */
  | { readonly kind: "dead-lettered"; readonly tenantId: string; readonly id: string; readonly error: string; readonly channel?: string }
  | { readonly kind: "invalid-row"; readonly tenantId: string; readonly id: string; readonly error: string };

/** Where one channel stands on a row: each is attempted, recorded and dead-lettered on its own. */
export type ChannelState = "sent" | "pending" | "dead-lettered";
type Channels = Readonly<Record<string, ChannelState>>;

export type RowOutcome =
  | { readonly status: "sent"; readonly tenantId: string; readonly id: string; readonly attempts: number; readonly channels?: Channels }
  | {
      readonly status: "retrying";
      readonly tenantId: string;
      readonly id: string;
      readonly attempts: number;
      readonly nextAttemptAt: string;
      readonly error: string;
      readonly channels?: Channels;
    }
  | {
      readonly status: "dead-lettered";
      readonly tenantId: string;
      readonly id: string;
      readonly attempts: number;
      readonly error: string;
      readonly channels?: Channels;
    }
  /** Another sender had it, or it was already delivered. */
  | { readonly status: "skipped"; readonly tenantId: string; readonly id: string; readonly reason: string }
  /** Storage failed while handling it; it stays due and is retried by the next sweep. */
  | { readonly status: "error"; readonly tenantId: string; readonly id: string; readonly error: string };

export interface DeliverySummary {
  readonly outcomes: readonly RowOutcome[];
  readonly sent: number;
  readonly retrying: number;
  readonly deadLettered: number;
  readonly skipped: number;
  readonly errors: number;
  readonly invalidRows: readonly InvalidRow[];
  /** Set when the sweep stopped early because a channel asked for a long pause (throttling). */
  readonly stoppedEarly?: string;
  /** What the global roll-up did in this sweep (absent when roll-ups are not wired). */
  readonly rollup?: RollupOutcome;
}
