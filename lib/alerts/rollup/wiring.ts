/** The roll-up step of a delivery sweep: the roll-up sender with the delivery's channels, budgets, throttle, settings and clock. */
import { errorMessage } from "../../errors/text.js";
import type { DeliveryDeps, RollupWiring } from "../delivery-types.js";
import { sendRollup, type RollupOutcome } from "./send.js";

export async function runRollup(deps: DeliveryDeps, wiring: RollupWiring): Promise<RollupOutcome> {
  try {
    return await sendRollup({
      store: wiring.store,
      channels: deps.channels,
      settings: deps.settings,
      now: deps.now,
      ...(deps.budgets ? { budgets: deps.budgets } : {}),
      ...(deps.throttle ? { throttle: deps.throttle } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(wiring.settleMs !== undefined ? { settleMs: wiring.settleMs } : {}),
      ...(wiring.maxHoldMs !== undefined ? { maxHoldMs: wiring.maxHoldMs } : {}),
      ...(wiring.leaseMs !== undefined ? { leaseMs: wiring.leaseMs } : {}),
    });
  } catch (error) {
    // Storage failed mid-way: the roll-up row (or the owed marks) stays as it was; the next sweep goes on from there.
    return { status: "busy", reason: `roll-up step failed: ${errorMessage(error)}` };
  }
}
