/**
 * `drift-monitor alerts list|requeue` against Azurite: outbox rows written by the real commitRun,
 * dead-lettered by the real delivery repository, listed and requeued through the CLI.
 */
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createOutboxDelivery, createStore } from "../../lib/store/index.js";
import { alertOf, caFinding } from "../unit/alerts/samples.js";
import { minimalState } from "../support/state.js";

const NOW = new Date("2026-03-04T07:00:00.000Z");

const cli = (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> => runCliCaptured(argv, env);

/** Two alerts of a fresh tenant in the default tables the CLI opens; the first dead-lettered. */
async function seed(): Promise<{ tenantId: string; dead: string; pending: string }> {
  const target = loadStoreSettings(process.env).storage;
  const tenantId = randomUUID();
  const transition = { kind: "drift-detected" as const, key: `conditional-access|${randomUUID()}`, finding: caFinding() };
  const alerts = ["a", "b"].map((n) => ({ ...alertOf(`${n}${randomUUID().slice(0, 8)}`, [transition]), tenantId }));
  await createStore(target).monitor.commitRun({ partition: tenantId, expectedEtag: null, state: minimalState(tenantId), alerts });
  const outbox = createOutboxDelivery(target);
  const row = await outbox.get(tenantId, alerts[0]!.id);
  await outbox.deadLetter(row!, NOW, "ACS 403 Denied: the sender domain is not linked");
  return { tenantId, dead: alerts[0]!.id, pending: alerts[1]!.id };
}

describe("drift-monitor alerts", () => {
  it("says when each waiting alert is expected to go within the managed domain's quota", async () => {
    const a = await seed();
    const b = await seed();
    const env = {
      ...process.env,
      ACS_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/;accesskey=${Buffer.alloc(32).toString("base64")}`,
      ALERT_FROM: "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net",
      ALERT_TO: "noc@msp.example",
    };
    const table = await cli(["alerts", "list", "--tenant", a.tenantId], env);
    expect(table.out).toMatch(/Email quota: 5\/min, 10\/h \(managed-domain\): one email every 40\d s\./);
    expect(table.out).toContain("EXPECTED");
    const times = await Promise.all(
      [a, b].map(async (s) => {
        const rows = JSON.parse((await cli(["alerts", "list", "--tenant", s.tenantId, "--json"], env)).out) as Array<{ expectedAt: string }>;
        return Date.parse(rows[0]!.expectedAt);
      }),
    );
    // One email every ~401 s: the two alerts (same age, so either may go first) are expected at least one gap apart.
    expect(Math.abs(times[1]! - times[0]!)).toBeGreaterThanOrEqual(401_000);
  });

  it("lists undelivered and dead-lettered alerts of a tenant", async () => {
    const { tenantId, dead, pending } = await seed();
    const undelivered = await cli(["alerts", "list", "--tenant", tenantId, "--json"]);
    expect(undelivered.code).toBe(0);
    expect((JSON.parse(undelivered.out) as { id: string }[]).map((a) => a.id)).toEqual([pending]);
    const failed = await cli(["alerts", "list", "--tenant", tenantId, "--state", "failed"]);
    expect(failed.out).toContain(dead);
    expect(failed.out).toContain("ACS 403 Denied");
    expect(failed.out).toContain("drift-detected");
  });

  it("says when a row waits for an interrupted attempt's claim to expire, and where each channel stands", async () => {
    const { tenantId, pending } = await seed();
    const outbox = createOutboxDelivery(loadStoreSettings(process.env).storage);
    const claimedAt = new Date();
    // A sender claimed the row, posted the webhook, recorded it, and died before the email.
    const claimed = await outbox.claim((await outbox.get(tenantId, pending))!, claimedAt, 5 * 60_000);
    await outbox.recordChannelSent(claimed, "webhook");
    const until = new Date(claimedAt.getTime() + 5 * 60_000).toISOString();
    const table = await cli(["alerts", "list", "--tenant", tenantId]);
    expect(table.out).toContain("claimed (interrupted); webhook sent");
    expect(table.out).toContain(`Alert ${pending} of Contoso waits for an interrupted attempt's claim to expire at ${until}; then the next sweep sends it.`);
    const json = JSON.parse((await cli(["alerts", "list", "--tenant", tenantId, "--json"])).out) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ id: pending, sentChannels: ["webhook"], deadChannels: [], waiting: { kind: "claim", until } });
  });

  it("requeues a dead-lettered alert so the next sweep sends it, attempts starting over", async () => {
    const { tenantId, dead } = await seed();
    const res = await cli(["alerts", "requeue", "--tenant", tenantId, "--id", dead]);
    expect(res.code).toBe(0);
    expect(res.out).toContain("Requeued 1 alert(s)");
    const row = await createOutboxDelivery(loadStoreSettings(process.env).storage).get(tenantId, dead);
    expect(row?.delivery).toBe("pending");
    expect(row?.attempts).toBe(0);
    expect((await cli(["alerts", "list", "--tenant", tenantId, "--state", "failed"])).out).toContain("No dead-lettered alerts");
  });

  it("shows a summary that failed for good and requeues it with its alerts", async () => {
    const { tenantId, pending } = await seed();
    const rollups = createOutboxDelivery(loadStoreSettings(process.env).storage).rollups;
    const id = `rcli${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const sealed = await rollups.seal(await rollups.create(id, [{ partition: tenantId, id: pending }], NOW), [{ partition: tenantId, id: pending }]);
    await rollups.recordChannelSent(sealed, "acs", NOW);
    await rollups.recordChannelDead(sealed, "webhook", "webhook: answered 400");
    await rollups.finish((await rollups.get(id))!, "failed", NOW);
    const listed = await cli(["alerts", "list", "--state", "failed"]);
    expect(listed.out).toContain(`Summary ${id} of 1 alert(s) to the global list (ALERT_TO) and webhook failed on webhook (webhook: answered 400)`);
    const res = await cli(["alerts", "requeue"]);
    expect(res.out).toMatch(/and \d+ summary\(ies\) to the global list/);
    expect(await rollups.get(id)).toMatchObject({ state: "ready", sentChannels: ["acs"], deadChannels: [], attempts: 0, generation: 1 });
    expect((await rollups.listFailed()).map((r) => r.id)).not.toContain(id);
  });

  it.each([
    [["alerts", "list", "--tenant", "contoso"], /not a tenant id/],
    [["alerts", "requeue", "--id", "abc"], /--id needs --tenant/],
    [["alerts", "list", "--state", "lost"], /Allowed choices are undelivered, failed/],
    [["alerts", "requeue", "--tenant", "d7f00000-0000-4000-8000-000000000001", "--id", "nope"], /no dead-lettered alert nope/],
  ])("exits 64 for %j", async (argv, message) => {
    const res = await cli(argv);
    expect(res.code).toBe(64);
    expect(res.err).toMatch(message);
  });
});
