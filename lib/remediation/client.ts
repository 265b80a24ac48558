/**
 * The Graph client of a fix: built from the remediation app's own credential (REMEDIATION_CLIENT_ID),
 * never the monitoring app's, so the read-only app's token is never the one a write carries. Each
 * request has the remediation timeout.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TokenCredential } from "@azure/identity";
import type { RemediationSettings } from "../config/remediation.js";
import { createGraphClient } from "../graph/client.js";
import { graphTransport, type WriteTransport } from "../graph/transport.js";
import type { ExecutorDeps } from "./executor.js";

export function remediationTransport(tenantId: string, settings: RemediationSettings, credential?: TokenCredential): WriteTransport {
  const client = createGraphClient({
    tenantId,
    settings: { graphEndpoint: settings.graphEndpoint, graphAuth: settings.graphAuth },
    ...(credential ? { credential } : {}),
    // A fix is one person's click: a short retry, not the collector's patience.
    maxRetries: 2,
    retryDelaySeconds: 1,
  });
  return graphTransport(client, { timeoutMs: settings.timeoutMs });
}

/** The executor's real clock and timers, with the remediation app's transport. */
export function remediationExecutor(tenantId: string, settings: RemediationSettings, credential?: TokenCredential): ExecutorDeps {
  return {
    transport: remediationTransport(tenantId, settings, credential),
    sleep: (ms) => sleep(ms),
    now: () => Date.now(),
    verifyMs: settings.verifyMs,
  };
}
