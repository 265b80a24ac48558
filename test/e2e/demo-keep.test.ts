/**
 * `npm run demo -- --keep` as a newcomer runs it: after the demo it says where the dashboard is,
 * serves it on 127.0.0.1 with the demo's tenants drifted first, a "Check now" there really runs
 * (the demo keeps draining its queues through the real handlers), and Ctrl-C (SIGINT to the whole
 * process group, as a terminal sends it) stops the dashboard and the Azurite it started.
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SAMPLE_TENANTS } from "../../sim/testing.js";
import { alive, gone } from "../support/processes.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const lastChecked = (page: string) => /<dt>Last checked<\/dt>\s*<dd><time datetime="([^"]+)"/.exec(page)?.[1];

/** The tenant page's "Check now", as the browser posts it; the demo's queue workers run the check, so "Last checked" moves. */
async function checkNowRuns(estateUrl: string, tenantId: string): Promise<void> {
  const tenantUrl = new URL(`tenants/${tenantId}`, estateUrl).href;
  const first = await fetch(tenantUrl);
  const before = await first.text();
  const checkedBefore = lastChecked(before);
  expect(checkedBefore).toBeDefined();
  const token = /name="csrf" value="([^"]+)"/.exec(before)?.[1] ?? "";
  const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const posted = await fetch(`${tenantUrl}/check`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(estateUrl).origin, cookie },
    body: new URLSearchParams({ csrf: token }).toString(),
  });
  expect(posted.status).toBe(303);
  expect(posted.headers.get("location")).toContain("checked=queued");
  let checkedAfter = checkedBefore;
  for (let i = 0; i < 120 && checkedAfter === checkedBefore; i++) {
    await new Promise((r) => setTimeout(r, 250));
    checkedAfter = lastChecked(await (await fetch(tenantUrl, { headers: { cookie } })).text());
  }
  expect(Date.parse(checkedAfter ?? "")).toBeGreaterThan(Date.parse(checkedBefore ?? ""));
}

describe("npm run demo -- --keep", () => {
  it("leaves the dashboard running over the demo's estate, runs a check asked for on it, and stops everything on Ctrl-C", async () => {
    const outbox = mkdtempSync(join(tmpdir(), "demo-keep-"));
    const env: Record<string, string | undefined> = { ...process.env, OUTBOX_DIR: outbox };
    for (const k of ["AzureWebJobsStorage", "NODE_EXTRA_CA_CERTS", "DRIFT_DEMO_CERT_DIR", "GRAPH_ENDPOINT", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"])
      delete env[k];
    const child = spawn("npm", ["run", "--silent", "demo", "--", "--keep"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        const m = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/api\/dashboard\/)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once("close", () => reject(new Error(`the demo ended without a dashboard:\n${out}\n${err}`)));
    });
    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    try {
      const page = await (await fetch(url)).text();
      const statuses = [...page.matchAll(/<tr data-tenant="[^"]+" data-status="([a-z-]+)"/g)].map((m) => m[1]);
      expect(statuses).toHaveLength(SAMPLE_TENANTS.length);
      const drifted = statuses.filter((s) => s === "drifted").length;
      expect(drifted).toBeGreaterThan(0);
      expect(statuses.slice(0, drifted).every((s) => s === "drifted")).toBe(true);
      await checkNowRuns(url, /<tr data-tenant="([^"]+)"/.exec(page)?.[1] ?? "");

      const azurite = Number(/Azurite \(in memory, pid (\d+)\)/.exec(out)?.[1]);
      expect(alive(azurite)).toBe(true);

      if (child.pid) process.kill(-child.pid, "SIGINT");
      await closed;
      await expect(fetch(url)).rejects.toThrow();
      expect(await gone(azurite)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      rmSync(outbox, { recursive: true, force: true });
    }
  }, 180_000);
});
