/** What the roll-up sender (send.ts, form.ts) takes and tells. */
import type { DeliveryRow, RollupRepository, SendBudget } from "../../store/index.js";
import type { BackoffOptions } from "../../retry/backoff.js";
import type { Channel } from "../channels/types.js";
import type { ThrottleMarker } from "../gate/gate.js";

export type RollupStore = Pick<
  RollupRepository,
  | "listOwed"
  | "listStray"
  | "getAlert"
  | "markAlert"
  | "lease"
  | "release"
  | "listOpen"
  | "create"
  | "seal"
  | "recordChannelSent"
  | "recordChannelDead"
  | "recordChannelWait"
  | "finish"
  | "markCovered"
>;

export interface RollupDeps {
  readonly store: RollupStore;
  /** Every configured channel: email ones go to settings.to, chat ones to the webhook. */
  readonly channels: readonly Channel[];
  readonly budgets?: Readonly<Record<string, SendBudget>>;
  readonly throttle?: ThrottleMarker;
  readonly settings: { readonly from: string; readonly to: readonly string[]; readonly maxAttempts: number; readonly dashboardUrl?: string };
  readonly now: () => Date;
  /** Who holds the leases (a random id per sender). */
  readonly holder?: string;
  /** How long a lease (forming, or one channel's sending) holds off other senders if its holder dies (default 5 minutes). */
  readonly leaseMs?: number;
  readonly settleMs?: number;
  readonly maxHoldMs?: number;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** Set while urgent tenant emails wait for the quota: a summary with none of these alerts (only reminders and good news) waits behind them. */
  readonly urgent?: (row: DeliveryRow) => boolean;
}

/** What one channel did with its oldest open roll-up in this step. */
export type RollupPartOutcome =
  | { readonly channel: string; readonly status: "idle" | "busy" }
  | { readonly channel: string; readonly status: "sent"; readonly id: string }
  | { readonly channel: string; readonly status: "waiting" | "retrying"; readonly id: string; readonly until: string; readonly error: string }
  | { readonly channel: string; readonly status: "dead"; readonly id: string; readonly error: string };

export type RollupOutcome =
  | { readonly status: "idle" }
  | { readonly status: "busy"; readonly reason: string }
  | { readonly status: "waiting"; readonly until: string; readonly reason: string; readonly id?: string; readonly owed: number; readonly deferred?: true }
  | { readonly status: "no-audience"; readonly alerts: number }
  | { readonly status: "sent"; readonly id: string; readonly alerts: number; readonly channels: readonly string[] }
  | { readonly status: "retrying"; readonly id: string; readonly until: string; readonly error: string }
  | { readonly status: "failed"; readonly id: string; readonly alerts: number; readonly error: string };
