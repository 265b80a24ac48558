/**
 * Four sender processes on one Azurite and one ACS fake, each running the production delivery
 * sweep back to back: the global list gets one summary, each tenant's list its own email once.
 */
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { operationIdFor } from "../../lib/alerts/ids.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createStore } from "../../lib/store/index.js";
import { minimalState } from "../support/state.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const exec = promisify(execFile);
const WORKER = fileURLToPath(new URL("./rollup-worker.ts", import.meta.url));

describe("the roll-up across processes", () => {
  it("four sender processes: one summary to the global list, every tenant's email once", { timeout: 120_000 }, async () => {
    const monitorTable = `RollupProc${randomBytes(4).toString("hex")}`;
    const store = createStore(loadStoreSettings(process.env).storage, { monitorTable, tenantsTable: `RollupProcT${randomBytes(4).toString("hex")}` });
    const drift = SAMPLES["drift-detected"]!.transitions[0]!;
    const createdAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const rows: Array<{ tenantId: string; id: string; address: string }> = [];
    for (let i = 0; i < 16; i++) {
      const tenantId = randomUUID();
      const id = `p${i}${randomBytes(4).toString("hex")}`;
      const address = `admin@proc${i}.example`;
      const alert = { ...alertOf(id, [drift], { createdAt, tenantName: `Proc ${i}`, recipients: [address] }), tenantId };
      await store.monitor.commitRun({ partition: tenantId, expectedEtag: null, state: minimalState(tenantId), alerts: [alert] });
      rows.push({ tenantId, id, address });
    }
    const before = fake.accepted.length;
    const env = {
      ...process.env,
      ROLLUP_TABLE: monitorTable,
      ACS_CONNECTION_STRING: fake.connectionString,
      ALERT_FROM: "alerts@msp.example",
      ALERT_TO: "noc@msp.example",
      ALERT_EMAILS_PER_MINUTE: "1000",
      ALERT_EMAILS_PER_HOUR: "100000",
      SWEEPS: "3",
    };
    const runs = await Promise.all([1, 2, 3, 4].map(() => exec(process.execPath, ["--import", "tsx", WORKER], { env, timeout: 90_000 })));
    const statuses = runs.flatMap((r) => (JSON.parse(r.stdout.trim()) as { statuses: string[] }).statuses);
    expect(statuses.filter((s) => s === "sent")).toHaveLength(1);
    const emails = fake.accepted.slice(before);
    expect(emails.filter((e) => e.to.includes("noc@msp.example"))).toHaveLength(1);
    for (const r of rows) {
      expect(emails.filter((e) => e.to.includes(r.address))).toHaveLength(1);
      expect(emails.find((e) => e.to.includes(r.address))?.operationId).toBe(operationIdFor(r.id));
      expect(await store.outbox.get(r.tenantId, r.id)).toMatchObject({ delivery: "sent", rollup: expect.stringMatching(/^done:/) });
    }
    expect(emails).toHaveLength(17);
  });
});
