/**
 * A sample tenant's live data under a fresh tenant id. The CLI's Graph pacer is process-wide, as in
 * production: checking one tenant again within seconds waits for that tenant's report budget
 * (5 requests / 10 s). A test that checks the same data several times, to prove something other
 * than pacing, checks a twin each time; a twin draws on its own budget, as a second customer would.
 */
import { randomUUID } from "node:crypto";
import type { RunningSimulator } from "../../sim/testing.js";

export function twinTenant(sim: RunningSimulator, tenantId: string): string {
  const twin = randomUUID();
  sim.state.putTenant({ ...structuredClone(sim.state.tenant(tenantId)), tenantId: twin });
  return twin;
}
