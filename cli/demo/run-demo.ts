/**
 * The demo: the Graph simulator with its sample estate, checked by the real code through the
 * multi-tenant credential path (a client secret against the simulator's token endpoint).
 */
import { readFileSync } from "node:fs";
import { startSimulator } from "../../sim/server.js";
import { SAMPLE_TENANTS } from "../../sim/estate/index.js";
import { createGraphClient } from "../../lib/graph/client.js";
import { checkAccount } from "../../lib/check-account.js";
import { getProfile } from "../../lib/checks/profiles.js";
import type { Settings } from "../../lib/config/settings.js";
import type { Report } from "../../lib/model/index.js";
import type { DemoTls } from "./trusted-child.js";
import type { CliIo } from "../io.js";

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n - 1) + "…" : s + " ".repeat(n - s.length);
}

function problems(report: Report): string {
  const judged = report.checks.filter((c) => c.status === "fail" || c.status === "warn").map((c) => `${c.id} ${c.status}: ${c.summary}`);
  const unknown = report.checks.filter((c) => c.status === "unknown");
  // Unknown checks share their cause; one line says it.
  if (unknown.length > 0) judged.push(`${unknown.length} check(s) unknown: ${unknown[0]?.reason ?? unknown[0]?.summary}`);
  return judged.join("; ");
}

export async function runDemo(tls: DemoTls, io: CliIo): Promise<number> {
  const sim = await startSimulator({ tls: { cert: readFileSync(tls.certFile, "utf8"), key: readFileSync(tls.keyFile, "utf8") } });
  try {
    io.stdout(`Graph simulator on ${sim.url} with ${SAMPLE_TENANTS.length} sample tenants\n\n`);
    const settings: Settings = {
      graphEndpoint: sim.url,
      graphAuth: { mode: "secret", clientId: "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11", clientSecret: "demo-only", authorityHost: sim.url },
      signInLookbackHours: 24,
      defaultProfile: "strict",
    };
    const profile = getProfile("strict");
    if (!profile) throw new Error("the strict profile is missing");
    io.stdout(`${pad("TENANT", 26)}${pad("STATUS", 11)}${pad("TRIPS", 7)}WHAT IS WRONG\n`);
    let mismatches = 0;
    for (const tenant of SAMPLE_TENANTS) {
      const client = createGraphClient({ tenantId: tenant.tenantId, settings });
      const { report, roundTrips } = await checkAccount(
        { tenantId: tenant.tenantId, accountRef: tenant.account, profile },
        { client, now: () => new Date(), signInLookbackHours: settings.signInLookbackHours, graphEndpoint: settings.graphEndpoint },
      );
      if (report.status !== tenant.expected) mismatches++;
      io.stdout(`${pad(tenant.displayName, 26)}${pad(report.status, 11)}${pad(String(roundTrips), 7)}${problems(report) || "-"}\n`);
    }
    const c = sim.state.counters;
    io.stdout(`\nGraph requests served: ${c.httpRequests} HTTP (${c.batchRequests} batches carrying ${c.subRequests} requests)\n`);
    io.stdout(`Details of one tenant: npm run cli -- check --tenant <id> --account <upn> against npm run sim\n`);
    if (mismatches > 0) io.stderr(`${mismatches} tenant(s) did not match their scenario\n`);
    return mismatches > 0 ? 1 : 0;
  } finally {
    await sim.stop();
  }
}
