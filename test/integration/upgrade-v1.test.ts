/**
 * Upgrading a stored estate of the version before several accounts per tenant
 * (test/fixtures/stored-estate/v1.json, written by that version): this version reads every
 * tenant as one account with key "" in the partition it always had, keeps every finding in the
 * state it was in (open, acknowledged, excepted, resolved), owes the one alert that was never
 * sent, and its first check sends nothing the previous version already sent. Then Woodgrove Bank
 * gets its other three accounts: the first keeps its acknowledged finding and history, each new
 * account starts its own, and a second run repeats nothing.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Store } from "../../lib/store/index.js";
import { monitorPartition } from "../../lib/model/account.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import type { Transition } from "../../lib/model/state.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { runCliCaptured } from "../support/cli.js";
import { loadTables, storedEstateSchema, type StoredEstate } from "../support/stored-estate.js";
import { SAMPLE_EXTRA_ACCOUNTS } from "../../sim/estate/index.js";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { runnerDeps, TestClock } from "./runner-helpers.js";

const fixture: StoredEstate = storedEstateSchema.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, "../fixtures/stored-estate/v1.json"), "utf8")));
const WOODGROVE = "d7f00000-0000-4000-8000-000000000001";
const FABRIKAM = "d7f00000-0000-4000-8000-000000000002";
const TAILSPIN = "d7f00000-0000-4000-8000-000000000004";
const ADATUM = "d7f00000-0000-4000-8000-000000000005";
const TENANTS = [WOODGROVE, FABRIKAM, ADATUM, TAILSPIN];

/** What the previous version's `status` showed of each tenant's findings. */
const BEFORE: Record<string, string[]> = {
  [WOODGROVE]: ["security-defaults| acknowledged"],
  [FABRIKAM]: ["conditional-access|d7f30200-0000-4000-8000-000000000010 open"],
  [ADATUM]: ["security-defaults| excepted"],
  [TAILSPIN]: ["conditional-access|d7f399a0-0000-4000-8000-0000000000f1 resolved"],
};

let azurite: RunningAzurite;
let sim: RunningSimulator;
let store: Store;
const clock = new TestClock(new Date(fixture.now));

beforeAll(async () => {
  // Its own Azurite: the fixture keeps the product's table names.
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  await loadTables(azurite.connectionString, fixture.tables);
  store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
  // The tenants as the previous version left them (scripts/stored-estate-fixture.ts).
  sim.state.setClock(clock.now);
  sim.state.tenant(WOODGROVE).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
  sim.state.tenant(ADATUM).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

async function findings(tenantId: string, key = ""): Promise<string[]> {
  const read = await store.monitor.readState(monitorPartition(tenantId, key));
  return (read?.state.findings ?? []).map((f) => `${f.key} ${f.state ?? f.status}`);
}

/** One scheduled check of every tenant, half an hour later each time; every transition it decided, by tenant. */
async function checkAll(): Promise<Record<string, string[]>> {
  clock.advanceHours(0.5);
  const out: Record<string, string[]> = {};
  for (const id of TENANTS) {
    const tenant = await store.tenants.get(id);
    if (!tenant) throw new Error(`${id} is not registered`);
    const outcome = await runTenantCheck(tenant, runnerDeps(sim, store, clock), { runId: `upgrade-${clock.now().toISOString()}-${id}` });
    out[id] = outcome.accounts.flatMap((a) => a.transitions.map((t: Transition) => `${a.accountKey === "" ? "first" : a.accountKey}:${t.kind}`));
  }
  return out;
}

describe("upgrading a stored estate of the one-account version", () => {
  it("reads every tenant as one account, key \"\", with every finding where it was", async () => {
    for (const id of TENANTS) {
      const tenant = await store.tenants.get(id);
      expect(tenant?.accounts.map((a) => [a.key, a.kind])).toEqual([["", "connection"]]);
      expect(await findings(id), id).toEqual(BEFORE[id]);
    }
    const status = await runCliCaptured(["status", "--json"], { AzureWebJobsStorage: azurite.connectionString }, clock.now);
    expect(status.code, status.err).toBe(0);
    // Now one line per account under its tenant; then, one per tenant.
    const estate = JSON.parse(status.out) as { tenants: { tenantId: string; accounts: { key: string; status: string }[] }[] };
    const before = fixture.expected.estate as { tenants: { tenantId: string; status: string }[] };
    expect(Object.fromEntries(estate.tenants.map((t) => [t.tenantId, t.accounts.map((a) => `${a.key}:${a.status}`)]))).toEqual(
      Object.fromEntries(before.tenants.map((t) => [t.tenantId, [`:${t.status}`]])),
    );
  });

  it("still owes the one alert it never sent", async () => {
    const undelivered = await store.outbox.listUndelivered();
    expect(undelivered.map((r) => [r.tenantId, r.alert.transitions.map((t) => t.kind)])).toEqual([[TAILSPIN, ["resolved"]]]);
  });

  it("its first check repeats nothing the previous version sent, and keeps every finding's state", async () => {
    const sent = await checkAll();
    expect(sent).toEqual({ [WOODGROVE]: [], [FABRIKAM]: [], [ADATUM]: [], [TAILSPIN]: [] });
    for (const id of TENANTS) expect(await findings(id), id).toEqual(BEFORE[id]);
  });

  it("gives Woodgrove Bank its other accounts: the first keeps its history, each new one starts its own, once", async () => {
    const woodgrove = await store.tenants.get(WOODGROVE);
    const extra = SAMPLE_EXTRA_ACCOUNTS.find((t) => t.tenantId === WOODGROVE)?.accounts ?? [];
    expect(extra.map((a) => a.kind).sort()).toEqual(["connection", "emergency-access", "emergency-access"]);
    const stored = await store.tenants.put({
      tenantId: WOODGROVE,
      displayName: woodgrove?.displayName ?? "Woodgrove Bank",
      recipients: woodgrove?.recipients ?? [],
      accounts: [...(woodgrove?.accounts ?? []), ...extra.map((a) => ({ ref: a.ref, kind: a.kind }))],
    });
    expect(stored.accounts[0]?.key).toBe("");
    expect(new Set(stored.accounts.map((a) => a.key)).size).toBe(4);

    const first = await checkAll();
    const byKey = new Map(stored.accounts.map((a) => [a.key === "" ? "first" : a.key, a]));
    const woodgroveSent = first[WOODGROVE] ?? [];
    // The first account: still acknowledged, nothing sent.
    expect(woodgroveSent.filter((t) => t.startsWith("first:"))).toEqual([]);
    expect(await findings(WOODGROVE)).toEqual(BEFORE[WOODGROVE]);
    // The new ones: each its own news, in its own partition, named by its own key.
    const keyOf = (prefix: string) => stored.accounts.find((a) => a.ref.startsWith(prefix))?.key ?? "?";
    const [backup, signedIn, passwordOnly] = [keyOf("svc-backup@"), keyOf("breakglass@"), keyOf("breakglass2@")];
    expect(woodgroveSent.sort()).toEqual(
      [
        `${backup}:drift-detected`,
        `${signedIn}:drift-detected`,
        `${signedIn}:emergency-sign-in`,
        `${passwordOnly}:drift-detected`,
        `${passwordOnly}:drift-detected`,
      ].sort(),
    );
    expect(await findings(WOODGROVE, backup)).toEqual(["security-defaults| open"]);
    // BL08's session controls reach both emergency-access accounts (its exclusions miss their group).
    expect(await findings(WOODGROVE, signedIn)).toEqual(["conditional-access| open"]);
    expect(await findings(WOODGROVE, passwordOnly)).toEqual(["conditional-access| open", "phishing-resistant| open"]);
    expect(byKey.size).toBe(4);
    expect({ ...first, [WOODGROVE]: [] }).toEqual({ [WOODGROVE]: [], [FABRIKAM]: [], [ADATUM]: [], [TAILSPIN]: [] });

    // Half an hour later: nothing repeated, for any account.
    expect(await checkAll()).toEqual({ [WOODGROVE]: [], [FABRIKAM]: [], [ADATUM]: [], [TAILSPIN]: [] });
  });
});
