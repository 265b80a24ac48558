/**
 * `drift-monitor run` and `status` against Azurite (an instance of this file's own: the commands
 * use the product's table names) and a simulator with the sample estate, through runCli
 * in-process. The Graph credential is the multi-tenant one a run needs: a client secret against
 * the simulator's token endpoint, one token per tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { excludeAccountFromPolicies, setSecurityDefaults } from "../../cli/demo/changes.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { SAMPLE_TENANTS, sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { createOutboxDelivery, createStore } from "../../lib/store/index.js";
import type { EstateLine, EstateStatus, TenantDetail } from "../../cli/status-views.js";
import { TableClient } from "@azure/data-tables";
import type { TenantRunRow } from "../../cli/run-estate.js";
import { readEmlHeaders } from "../../cli/demo/eml.js";
import { cliEnv } from "./cli-helpers.js";

let azurite: RunningAzurite;
let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  dir = mkdtempSync(join(tmpdir(), "cli-run-"));
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    ...cliEnv(azurite, sim),
    OUTBOX_DIR: join(dir, "outbox"),
  };
}

const cli = (argv: string[], extra: Record<string, string> = {}): Promise<CliRun> => runCliCaptured(argv, { ...env(), ...extra });

async function runJson(): Promise<{ code: number; rows: TenantRunRow[]; err: string }> {
  const { code, out, err } = await cli(["run", "--json", "--concurrency", "6"]);
  return { code, rows: (JSON.parse(out) as { tenants: TenantRunRow[] }).tenants, err };
}

/**
 * The sample estate but Relecloud: its 300 policies take a dozen pages, and the production pacer
 * (Graph's Conditional Access budget, 1 request/s per tenant) makes every run wait ~11 s for them.
 * The runner's tests cover large tenants.
 */
const ESTATE = SAMPLE_TENANTS.filter((t) => t.displayName !== "Relecloud");
const fabrikam = sampleTenant("Fabrikam");
const litware = sampleTenant("Litware");
const woodgrove = sampleTenant("Woodgrove");

describe("drift-monitor run and status", () => {
  it("says there is nothing to run before any tenant is registered", async () => {
    expect(await cli(["run"])).toMatchObject({ code: 0, out: expect.stringContaining("No enabled tenants") });
    expect((await cli(["status"])).out).toContain("No tenants registered");
  });

  it("checks every enabled tenant, prints a summary table and exits 1 when any drifted", async () => {
    const csv = [
      "tenantId,displayName,account,recipients,profile,enabled",
      ...ESTATE.map((t) => `${t.tenantId},${t.displayName},${t.account},ops@example.com,,`),
    ];
    csv.push("e0000000-0000-4000-8000-00000000ffff,Paused Ltd,svc@paused.example,,,false");
    writeFileSync(join(dir, "estate.csv"), csv.join("\n"));
    expect((await cli(["tenants", "import", join(dir, "estate.csv")])).code).toBe(0);

    const { code, out, err } = await cli(["run"]);
    expect(code).toBe(1);
    expect(out).toMatch(/^Southridge Video\s+compliant\s+0\s+1\s+early-warning$/m);
    // Not a TTY: one plain progress line per tenant on stderr.
    expect(err.trim().split("\n")).toHaveLength(ESTATE.length);
    expect(err).toMatch(new RegExp(`^\\[\\s*\\d+/${ESTATE.length}\\] Fabrikam: drifted$`, "m"));
    expect(out).toMatch(/^TENANT\s+STATUS\s+FAILS\s+WARNS\s+TRANSITIONS WRITTEN$/m);
    expect(out).toMatch(/^Fabrikam\s+drifted\s+1\s+\d+\s+drift-detected$/m);
    expect(out).toMatch(/^Woodgrove Bank\s+compliant\s+0\s+0\s+-$/m);
    expect(out).not.toContain("Paused Ltd");
    const drifted = ESTATE.filter((t) => t.expected === "drifted").length;
    expect(out).toContain(
      `${ESTATE.length} tenant(s): ${ESTATE.filter((t) => t.expected === "compliant").length} compliant, ${drifted} drifted, 1 unknown, 0 error(s)`,
    );
  });

  it("reports each tenant's status; a second run with nothing changed writes no transitions", async () => {
    const { code, rows, err } = await runJson();
    expect(code).toBe(1);
    expect(err).not.toBe("");
    expect(rows).toHaveLength(ESTATE.length);
    for (const t of ESTATE) expect(rows.find((r) => r.tenantId === t.tenantId)?.status, t.displayName).toBe(t.expected);
    expect(rows.flatMap((r) => r.transitions)).toEqual([]);
  });

  it("writes resolved and drift-detected when people change tenants, and status shows it", async () => {
    excludeAccountFromPolicies(sim.state, fabrikam.tenantId, fabrikam.account);
    setSecurityDefaults(sim.state, litware.tenantId, false);
    setSecurityDefaults(sim.state, woodgrove.tenantId, true);
    const { rows } = await runJson();
    const row = (id: string) => rows.find((r) => r.tenantId === id);
    expect(row(fabrikam.tenantId)).toMatchObject({ status: "compliant", transitions: ["resolved"], alertId: expect.any(String) });
    expect(row(litware.tenantId)).toMatchObject({ status: "compliant", transitions: ["resolved"] });
    expect(row(woodgrove.tenantId)).toMatchObject({ status: "drifted", fails: 1, transitions: ["drift-detected"] });

    const estate = JSON.parse((await cli(["status", "--json"])).out) as { tenants: EstateLine[] };
    expect(estate.tenants).toHaveLength(ESTATE.length + 1);
    // Each tenant here has one account: its line is the tenant's.
    const line = (id: string) => estate.tenants.find((l) => l.tenantId === id)?.accounts[0];
    expect(estate.tenants.find((l) => l.tenantId === woodgrove.tenantId)?.accounts).toHaveLength(1);
    expect(line(woodgrove.tenantId)).toMatchObject({ status: "drifted", openFindings: 1, since: expect.any(String), kind: "connection" });
    expect(line(fabrikam.tenantId)).toMatchObject({ status: "compliant", openFindings: 0 });
    // Fabrikam has been compliant since this run; Proseware drifted since the first one.
    expect(line(fabrikam.tenantId)?.since).toBe(line(fabrikam.tenantId)?.lastChecked);
    expect(line("e0000000-0000-4000-8000-00000000ffff")).toMatchObject({ status: null });
    expect(estate.tenants.find((l) => l.tenantId === "e0000000-0000-4000-8000-00000000ffff")).toMatchObject({ enabled: false });
    const proseware = line(sampleTenant("Proseware").tenantId);
    expect(proseware?.since && proseware.lastChecked && proseware.since < proseware.lastChecked).toBe(true);

    const table = (await cli(["status"])).out;
    expect(table).toMatch(/^TENANT\s+ID\s+ACCOUNT\s+KIND\s+STATUS\s+SINCE\s+OPEN FINDINGS\s+DEAD LETTERS\s+LAST CHECKED$/m);
    expect(table).not.toContain("dead-lettered alert(s)");
    expect(table).toMatch(/^Paused Ltd\s+\S+\s+\S+\s+connection account\s+not checked yet \(disabled\)/m);

    const detail = (JSON.parse((await cli(["status", "--tenant", fabrikam.tenantId, "--json"])).out) as TenantDetail).accounts[0];
    expect(detail?.kindLabel).toBe("connection account");
    expect(detail?.state?.lastReport.status).toBe("compliant");
    expect(detail?.snapshots.map((s) => s.status)).toEqual(["compliant", "drifted"]);
    expect(detail?.lastChange?.status).toEqual({ from: "drifted", to: "compliant" });
    expect(detail?.lastChange?.policies?.changed.map((p) => p.fields)).toContainEqual(["conditions"]);

    const text = (await cli(["status", "--tenant", woodgrove.tenantId])).out;
    expect(text).toContain(`Woodgrove Bank (${woodgrove.tenantId})`);
    expect(text).toMatch(/^Status: drifted since /m);
    expect(text).toMatch(/^security-defaults\s+fail\s+/m);
    expect(text).toMatch(/^Open findings:\nCHECK\s+SEVERITY\s+SUBJECT\s+SINCE\s+SUMMARY/m);
    expect(text).toContain("check security-defaults: pass → fail");
  });

  it("--deliver sends every alert due in the outbox as .eml files (no ACS configured), once", async () => {
    const { code, out } = await cli(["run", "--deliver"]);
    expect(code).toBe(1);
    const drifted = ESTATE.filter((t) => t.expected === "drifted").length;
    // Run 1 alerted every drifted tenant, and sent the early warnings of two compliant ones
    // (Southridge Video's revoked sessions, First Up Consultants' managed policy about to be enforced);
    // run 3 Fabrikam and Litware (resolved), Woodgrove (drift), and Trey Research, unknown for the
    // third run in a row (UNKNOWN_ALERT_AFTER): monitoring degraded.
    expect(out).toContain(`Delivered the outbox: ${drifted + 6} sent, 0 retrying later, 0 dead-lettered, 0 skipped, 0 error(s)`);
    const files = readdirSync(join(dir, "outbox")).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(drifted + 6);
    for (const f of files) expect(out).toContain(`eml: written to ${join(dir, "outbox", f)}`);
    const subjects = await Promise.all(files.map(async (f) => (await readEmlHeaders(join(dir, "outbox", f))).subject));
    expect(subjects.filter((s) => s.startsWith("[Resolved] Fabrikam"))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes("Trey Research"))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith("[Early warning] Southridge Video — The account's sessions were revoked at "))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith("[Early warning] First Up Consultants — Microsoft will enforce soon: "))).toHaveLength(1);
    expect((await cli(["run", "--deliver"])).out).toContain("Delivered the outbox: 0 sent");
    expect(await cli(["run", "--deliver"], { ALERT_MAX_ATTEMPTS: "zero" })).toMatchObject({
      code: 64,
      err: expect.stringContaining("ALERT_MAX_ATTEMPTS must be a whole number"),
    });
  });

  it("status shows dead-lettered alerts (estate count, tenant section) and unreadable rows instead of failing", async () => {
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const outbox = createOutboxDelivery({ kind: "connection-string", connectionString: azurite.connectionString });
    // Fabrikam's "resolved" email: its delivery was given up on.
    const sent = (await store.monitor.listAlerts(fabrikam.tenantId)).find((a) => a.alert.transitions.some((t) => t.kind === "resolved"));
    const row = sent && (await outbox.get(fabrikam.tenantId, sent.alert.id));
    if (!row) throw new Error("no resolved alert for Fabrikam");
    await outbox.deadLetter(row, new Date("2026-03-02T09:00:00.000Z"), "ACS answered 503 five times");
    // Garbage: a Tenants row, and the state row of a (disabled) tenant.
    const raw = (table: string) => TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
    const brokenRow = "e0000000-0000-4000-8000-0000000bad01";
    const brokenState = "e0000000-0000-4000-8000-0000000bad02";
    await raw("Tenants").createEntity({ partitionKey: "tenant", rowKey: brokenRow, DisplayName: "Broken Row", Recipients: "[" });
    await store.tenants.put({ tenantId: brokenState, displayName: "Broken State", account: "svc@broken.example", enabled: false });
    await raw("Monitor").createEntity({ partitionKey: brokenState, rowKey: "state", Encoding: "json+gzip", Parts: 1, Bytes: 1, Data_0: new Uint8Array([0]) });
    try {
      const estate = JSON.parse((await cli(["status", "--json"])).out) as EstateStatus;
      expect(estate.deadLetteredAlerts).toBe(1);
      expect(estate.tenants.find((l) => l.tenantId === fabrikam.tenantId)?.accounts[0]).toMatchObject({ deadLetteredAlerts: 1 });
      expect(estate.tenants.find((l) => l.tenantId === brokenState)?.accounts[0]).toMatchObject({ unreadable: expect.any(String), status: null });
      expect(estate.unreadable.map((r) => [r.table, r.tenantId])).toEqual([
        ["Monitor", brokenState],
        ["Tenants", brokenRow],
      ]);

      const table = (await cli(["status"])).out;
      expect(table).toMatch(/^Fabrikam\s+\S+\s+\S+\s+connection account\s+compliant\s+.*\s0\s+1\s+\d{4}-/m);
      expect(table).toMatch(/^Broken State\s+\S+\s+\S+\s+connection account\s+unreadable \(disabled\)/m);
      expect(table).toContain("1 dead-lettered alert(s) (delivery given up): `drift-monitor alerts list --state failed`");
      expect(table).toMatch(new RegExp(`^Unreadable rows .*\\n(.*\\n)*  Tenants row ${brokenRow}: Tenants row ${brokenRow} is invalid`, "m"));

      const detail = JSON.parse((await cli(["status", "--tenant", fabrikam.tenantId, "--json"])).out) as TenantDetail;
      expect(detail.accounts[0]?.deadLettered).toEqual([
        {
          alertId: row.alert.id,
          createdAt: row.alert.createdAt,
          deadLetteredAt: "2026-03-02T09:00:00.000Z",
          attempts: row.attempts,
          lastError: "ACS answered 503 five times",
          kinds: ["resolved"],
        },
      ]);
      const text = (await cli(["status", "--tenant", fabrikam.tenantId])).out;
      expect(text).toMatch(
        /^Dead-lettered alerts \(delivery given up; .*\):\nALERT\s+CREATED\s+CHANGES\s+ATTEMPTS\s+LAST ERROR\n[- ]+\n.*resolved\s+\d+\s+ACS answered 503 five times$/m,
      );
      expect((await cli(["status", "--tenant", woodgrove.tenantId])).out).toContain("Dead-lettered alerts: none");
      expect((await cli(["status", "--tenant", brokenState])).out).toMatch(/^Status: unreadable \(its stored state does not parse/m);
      expect((await cli(["status", "--tenant", brokenRow])).out).toMatch(/registration unreadable/);
    } finally {
      await raw("Tenants").deleteEntity("tenant", brokenRow);
      await store.tenants.delete(brokenState);
      await outbox.requeue((await outbox.get(fabrikam.tenantId, row.alert.id)) ?? row);
    }
  });

  it("records a tenant whose profile no longer exists as unknown, saying so; the others are checked; exit 1 still", async () => {
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    // A profile that was removed from the code after the tenant was registered.
    await store.tenants.put({
      tenantId: "e0000000-0000-4000-8000-00000000eeee",
      displayName: "Retired Profile Inc",
      account: "svc@retired.example",
      profile: "gone",
    });
    try {
      const { code, out } = await cli(["run"]);
      expect(code).toBe(1);
      // Retrying cannot bring the profile back: the account is unknown at once, with the reason in every check.
      expect(out).toMatch(/^Retired Profile Inc\s+unknown\s+0\s+0\s+-$/m);
      const state = (await store.monitor.readState("e0000000-0000-4000-8000-00000000eeee"))?.state;
      expect(state?.lastReport.checks.every((c) => c.status === "unknown" && /uses profile "gone", which does not exist/.test(c.reason ?? ""))).toBe(true);
      expect(out).toMatch(/^Contoso\s+compliant/m);
    } finally {
      await store.tenants.delete("e0000000-0000-4000-8000-00000000eeee");
    }
  });

  it("skips a tenant whose check another process holds (its lease), and frees the lease of every tenant it checked", async () => {
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const held = await store.leases.acquire(woodgrove.tenantId, new Date(), 45 * 60_000, "schedule");
    expect(held.acquired).toBe(true);
    const { rows } = await runJson();
    expect(rows.filter((r) => r.status === "skipped").map((r) => r.tenantId)).toEqual([woodgrove.tenantId]);
    for (const r of rows) if (r.tenantId !== woodgrove.tenantId) expect(await store.leases.current(r.tenantId, new Date())).toBeUndefined();
    if (held.acquired) await store.leases.release(woodgrove.tenantId, held.lease.leaseId);
  });

  it("exits 2 when nothing drifted but something could not be verified, 0 when all is well", async () => {
    for (const t of ESTATE.filter((s) => s.expected !== "compliant" && s.displayName !== "Trey Research")) {
      await cli(["tenants", "remove", "--tenant", t.tenantId]);
    }
    await cli(["tenants", "remove", "--tenant", woodgrove.tenantId]);
    expect((await cli(["run"])).code).toBe(2);
    await cli(["tenants", "remove", "--tenant", sampleTenant("Trey").tenantId]);
    expect((await cli(["run"])).code).toBe(0);
  });

  it("refuses a bad --concurrency and an unknown tenant with exit 64", async () => {
    expect(await cli(["run", "--concurrency", "0"])).toMatchObject({
      code: 64,
      err: expect.stringContaining("--concurrency must be a whole number from 1 to 64"),
    });
    expect(await cli(["status", "--tenant", "e0000000-0000-4000-8000-000000000abc"])).toMatchObject({
      code: 64,
      err: expect.stringContaining("neither registered nor monitored"),
    });
  });
});
