/**
 * The configured PSAs' clients, one per vendor the settings name.
 */
import { autotaskClient } from "./autotask.js";
import { connectwiseClient } from "./connectwise.js";
import { haloClient } from "./halo.js";
import type { PsaSettings } from "./settings.js";
import type { TransportDeps } from "./transport.js";
import type { PsaClient, PsaVendor } from "./types.js";

export function psaClients(settings: PsaSettings, deps: TransportDeps = {}): Partial<Record<PsaVendor, PsaClient>> {
  return {
    ...(settings.connectwise && { connectwise: connectwiseClient(settings.connectwise, deps) }),
    ...(settings.autotask && { autotask: autotaskClient(settings.autotask, deps) }),
    ...(settings.halo && { halo: haloClient(settings.halo, deps) }),
  };
}
