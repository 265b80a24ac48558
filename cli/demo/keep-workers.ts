/**
 * `demo --keep`: what the Functions host would keep doing after the demo's two rounds. The
 * dashboard's "Check now" and "Requeue" put messages on the demo's queues; without something
 * reading them they would wait forever while the page says "runs within a minute or two". So the
 * demo keeps draining both queues through the same real handlers (checkTenant, then deliverAlerts,
 * then the delivery sweep that sends the global summary) every second, until Ctrl-C stops it.
 */
import { checkTenant, deliverAlerts, deliverAlertsSweep } from "../../functions/handlers/index.js";
import { DEFAULT_QUEUE_NAMES } from "../../functions/queue/names.js";
import { errorMessage } from "../../lib/errors/text.js";
import type { DemoHost } from "./host.js";
import type { Resources } from "./lifecycle.js";

const POLL_MS = 1_000;

/** Starts draining the check and alert queues; stopped (after the drain in progress) with `resources`. */
export function keepDraining(host: DemoHost, resources: Resources, log: (line: string) => void): void {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await host.drain(DEFAULT_QUEUE_NAMES.tenantChecks, "checkTenant", checkTenant);
        await host.drain(DEFAULT_QUEUE_NAMES.alerts, "deliverAlerts", deliverAlerts);
        // The global summary, and anything held back: the sweep's timer, run more often than in Azure.
        await host.timer("deliverAlertsSweep", deliverAlertsSweep, new Date());
      } catch (error) {
        // A storage blip must not end the demo: the messages stay in their queues for the next turn.
        log(`the demo's queue workers: ${errorMessage(error)}\n`);
      }
      if (running) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, POLL_MS)));
    }
  })();
  resources.add("the demo's queue workers", async () => {
    running = false;
    wake?.();
    await loop;
  });
}
