/** The roll-up step of a delivery sweep: the roll-up sender with the delivery's channels, budgets, throttle, settings and clock. */
import { errorMessage } from "../../errors/text.js";
import type { DeliveryDeps, RollupWiring } from "../delivery-types.js";
import { sendRollup, type RollupOutcome } from "./send.js";
import { urgencyOf } from "../delivery-rows.js";
import type { DeliveryRow } from "../../store/index.js";

/** `urgentFirst`: urgent tenant emails wait for the quota, so a summary with nothing urgent in it goes after them. */
export async function runRollup(deps: DeliveryDeps, wiring: RollupWiring, urgentFirst = false): Promise<RollupOutcome> {
  try {
    return await sendRollup({
      store: wiring.store,
      channels: deps.channels,
      settings: deps.settings,
      now: deps.now,
      ...(deps.budgets ? { budgets: deps.budgets } : {}),
      ...(deps.throttle ? { throttle: deps.throttle } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      ...(wiring.settleMs !== undefined ? { settleMs: wiring.settleMs } : {}),
      ...(wiring.maxHoldMs !== undefined ? { maxHoldMs: wiring.maxHoldMs } : {}),
      ...(wiring.leaseMs !== undefined ? { leaseMs: wiring.leaseMs } : {}),
      ...(urgentFirst ? { urgent: (row: DeliveryRow) => urgencyOf(row) === 0 } : {}),
    });
  } catch (error) {
    // Storage failed mid-way: the roll-up row (or the owed marks) stays as it was; the next sweep goes on from there.
    return { status: "busy", reason: `roll-up step failed: ${errorMessage(error)}` };
  }
}
