/** The daily digest of dead-lettered alerts and degraded tenants: posted once a day per channel. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChannels } from "../../lib/alerts/channels/index.js";
import { sendDigest } from "../../lib/alerts/digest/send.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import type { Harness } from "./alerts-delivery-helpers.js";
import { harness, startHook, temps, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("digest", () => {
  function digestDeps(h: Harness, dir: string, hookUrl: string) {
    const settings = loadAlertSettings({ OUTBOX_DIR: dir, ALERT_TO: "noc@msp.example", ALERT_WEBHOOK_URL: hookUrl, ALERT_WEBHOOK_FORMAT: "teams" });
    return {
      sources: {
        listStates: () => h.store.monitor.listStates(),
        listTenants: () => h.store.tenants.list(),
        listDeadLettered: () => h.outbox.listDeadLettered(),
      },
      channels: createChannels(settings),
      settings,
      ledger: h.outbox.markers,
      now: () => new Date(h.clock.t),
      sleep: async () => undefined,
      random: () => 0.5,
    };
  }

  /** Runs `run` with a fresh harness, a webhook answering `statuses` (then 200) and digest deps, the hook stopped however it ends. */
  async function withDigest(statuses: number[], run: (h: Harness, deps: ReturnType<typeof digestDeps>, hook: { bodies: string[] }) => Promise<void>) {
    const hook = await startHook(statuses);
    const dir = mkdtempSync(join(tmpdir(), "digest-"));
    temps.push(dir);
    try {
      const h = harness();
      await run(h, digestDeps(h, dir, hook.url), hook);
    } finally {
      await hook.stop();
    }
  }

  it("a timer firing twice (or two at once) the same day posts the webhook once; the next day posts again", () =>
    withDigest([], async (h, deps, hook) => {
      const [a, b] = await Promise.all([sendDigest(deps), sendDigest(deps)]);
      expect(hook.bodies).toHaveLength(1);
      expect([...a.channels, ...b.channels].filter((c) => c.name === "webhook" && c.outcome.ok && !c.alreadySent)).toHaveLength(1);
      h.clock.t += 3 * 60 * 60_000;
      const again = await sendDigest(deps);
      expect(again.channels.map((c) => [c.name, c.alreadySent])).toEqual([
        ["eml", true],
        ["webhook", true],
      ]);
      expect(hook.bodies).toHaveLength(1);
      h.clock.t += 24 * 60 * 60_000;
      const tomorrow = await sendDigest(deps);
      expect(tomorrow.channels.every((c) => c.outcome.ok && !c.alreadySent)).toBe(true);
      expect(hook.bodies).toHaveLength(2);
    }));

  it("a claim on today's digest ending ten years ahead (a host's clock far ahead) holds nobody: the digest goes today", () =>
    withDigest([], async (h, deps, hook) => {
      const day = new Date(h.clock.t).toISOString().slice(0, 10);
      // As a run on a host whose clock said ten years later would have left it, dying before it sent.
      expect(await h.outbox.markers.claimDigestChannel(day, "webhook", new Date(h.clock.t + 10 * 365 * 24 * 60 * 60_000), 10 * 60_000)).toBe("claimed");
      const result = await sendDigest(deps);
      expect(result.channels.find((c) => c.name === "webhook")).toMatchObject({ outcome: { ok: true } });
      expect(hook.bodies).toHaveLength(1);
    }));

  it("a channel that failed is tried again by a later run the same day, the others are not", () =>
    withDigest([500, 500, 500], async (h, deps, hook) => {
      const first = await sendDigest(deps);
      expect(first.channels.map((c) => [c.name, c.outcome.ok])).toEqual([
        ["eml", true],
        ["webhook", false],
      ]);
      const second = await sendDigest(deps);
      expect(second.channels.map((c) => [c.name, c.outcome.ok, c.alreadySent ?? false])).toEqual([
        ["eml", true, true],
        ["webhook", true, false],
      ]);
      expect(hook.bodies).toHaveLength(4);
      await sendDigest(deps);
      expect(hook.bodies).toHaveLength(4);
    }));
});
