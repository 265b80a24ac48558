/**
 * The global roll-up under races, on one Azurite: senders at once (with the lease, and with the
 * lease lapsing so that each forms its own), a sender that dies between the send and recording it,
 * and the queue trigger sending a tenant's own email while the roll-up marks the same row.
 */
import { describe, expect, it } from "vitest";
import { deliverAlert, deliverDue } from "../../lib/alerts/deliver.js";
import { sendRollup, type RollupStore } from "../../lib/alerts/rollup/send.js";
import type { RollupRepository } from "../../lib/store/index.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, harness, rollupDeps, useAcsFake, type Harness } from "./alerts-delivery-helpers.js";

useAcsFake();

const GLOBAL = "noc@msp.example";

async function estate(h: Harness, n: number, recipients: (i: number) => string[] = () => []): Promise<Array<{ tenantId: string; id: string }>> {
  const drift = SAMPLES["drift-detected"]!.transitions[0]!;
  const out: Array<{ tenantId: string; id: string }> = [];
  for (let i = 0; i < n; i++) {
    const { tenantId, ids } = await h.write(alertOf(`b${i}`, [drift], { tenantName: `Race ${i}`, recipients: recipients(i) }));
    out.push({ tenantId, id: ids[0]! });
  }
  return out;
}

/** The repository's methods as a RollupStore, with some replaced (fault injection). */
function storeOf(repo: RollupRepository, patch: Partial<RollupStore> = {}): RollupStore {
  const keys = ["listOwed", "listStray", "getAlert", "markAlert", "lease", "release", "listOpen", "create", "seal"] as const;
  const more = ["recordChannelSent", "recordChannelDead", "recordChannelWait", "finish", "markCovered"] as const;
  const base = Object.fromEntries([...keys, ...more].map((k) => [k, (repo[k] as (...a: unknown[]) => unknown).bind(repo)])) as unknown as RollupStore;
  return { ...base, ...patch };
}

const globalEmails = (from: number) => fake.accepted.slice(from).filter((e) => e.to.includes(GLOBAL));

describe("the global roll-up under races", () => {
  it("five senders at once: one roll-up, one email to the global list", async () => {
    const h = harness();
    const alerts = await estate(h, 30);
    h.clock.t += 2 * 60_000;
    const before = fake.accepted.length;
    const deps = rollupDeps(h, { ALERT_TO: GLOBAL, ALERT_FROM: "alerts@msp.example" });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => deliverDue(deps)));
    expect(outcomes.filter((o) => o.rollup?.status === "sent")).toHaveLength(1);
    expect(globalEmails(before)).toHaveLength(1);
    for (const a of alerts) expect((await h.outbox.get(a.tenantId, a.id))?.rollup).toMatch(/^done:/);
  });

  it("with the lease lapsing, senders form roll-ups side by side, yet no alert is in two of them nor in none", async () => {
    const h = harness();
    const alerts = await estate(h, 40);
    h.clock.t += 2 * 60_000;
    const before = fake.accepted.length;
    const base = rollupDeps(h, { ALERT_TO: GLOBAL, ALERT_FROM: "alerts@msp.example" });
    const racing = { ...base, budgets: {}, store: base.store };
    const sender = (i: number) =>
      sendRollup({ ...racing, store: storeOf(h.outbox.rollups, { lease: async () => true }), holder: `racer-${i}`, random: () => i / 10 });
    const first = await Promise.all([1, 2, 3, 4, 5, 6].map(sender));
    // Whatever a lost race left behind (an alert marked after its roll-up was sealed) the next step puts back in line and sends.
    for (let i = 0; i < 5; i++) await sendRollup({ ...racing, store: storeOf(h.outbox.rollups) });
    expect(first.some((o) => o.status === "sent")).toBe(true);
    const emails = globalEmails(before);
    // Each roll-up that went out covered something (one that lost every candidate is closed unsent).
    for (const e of emails) expect(e.subject).not.toMatch(/\b0 changes/);
    const covered = emails.flatMap((e) => [...e.plainText.matchAll(/RACE (\d+): DRIFT DETECTED/g)].map((m) => Number(m[1])));
    expect(covered.sort((a, b) => a - b)).toEqual(alerts.map((_, i) => i));
    for (const a of alerts) expect((await h.outbox.get(a.tenantId, a.id))?.rollup).toMatch(/^done:/);
  });

  it("a sender dying after the send and before recording it: the retry sends the same message, which ACS folds", async () => {
    const h = harness();
    await estate(h, 5);
    h.clock.t += 2 * 60_000;
    const before = fake.accepted.length;
    const postsBefore = fake.requests.filter((r) => r.method === "POST").length;
    const base = rollupDeps(h, { ALERT_TO: GLOBAL, ALERT_FROM: "alerts@msp.example" });
    const dying = storeOf(h.outbox.rollups, {
      recordChannelSent: async () => {
        throw new Error("process killed after the send");
      },
    });
    await expect(sendRollup({ ...base, budgets: {}, store: dying })).rejects.toThrow(/killed/);
    const again = await sendRollup({ ...base, budgets: {}, store: storeOf(h.outbox.rollups) });
    expect(again).toMatchObject({ status: "sent", alerts: 5 });
    expect(globalEmails(before)).toHaveLength(1);
    const posts = fake.requests.filter((r) => r.method === "POST").slice(postsBefore);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.operationId).toBe(posts[1]!.operationId);
  });

  it("the queue trigger sending a tenant's own email while the roll-up marks its row: both go, once each", async () => {
    const h = harness();
    const alerts = await estate(h, 12, (i) => [`admin@race${i}.example`]);
    h.clock.t += 2 * 60_000;
    const before = fake.accepted.length;
    const deps = rollupDeps(h, { ALERT_TO: GLOBAL, ALERT_FROM: "alerts@msp.example" }, { budgets: {} });
    await Promise.all([
      deliverDue(deps),
      ...alerts.map((a) => deliverAlert(deps, a.tenantId, a.id)),
      ...alerts.map((a) => deliverAlert(deps, a.tenantId, a.id)),
    ]);
    for (let i = 0; i < 3; i++) await deliverDue(deps);
    const emails = fake.accepted.slice(before);
    expect(emails.filter((e) => e.to.includes(GLOBAL))).toHaveLength(1);
    alerts.forEach((_, i) => expect(emails.filter((e) => e.to.includes(`admin@race${i}.example`))).toHaveLength(1));
    expect(emails).toHaveLength(13);
  });
});
