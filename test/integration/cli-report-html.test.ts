/**
 * `drift-monitor report --tenant <id> --html <file>` and `drift-monitor dashboard`, through runCli
 * against Azurite and the simulator: the report is one self-contained page (no script, the
 * stylesheet inline under its CSP hash, nothing fetched from anywhere) of the tenant view, with a
 * hostile policy name as text; the dashboard serves on 127.0.0.1 only until told to stop.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { runCli } from "../../cli/program.js";
import { dashboardCommand } from "../../cli/commands/dashboard.js";
import type { CliIo } from "../../cli/io.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { createStore } from "../../lib/store/index.js";
import { DASHBOARD_CSS } from "../../lib/dashboard/assets.js";
import { cliEnv } from "./cli-helpers.js";
import { EXIT } from "../../cli/report/exit-code.js";

const HOSTILE = "<script>alert(1)</script>\u202E";
const fabrikam = sampleTenant("Fabrikam");
const dir = mkdtempSync(join(tmpdir(), "drift-report-"));
let azurite: RunningAzurite;
let sim: RunningSimulator;

beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  for (const p of sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies) p.displayName += HOSTILE;
  const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
  await store.tenants.put({ tenantId: fabrikam.tenantId, displayName: fabrikam.displayName, account: fabrikam.account, profile: "strict" });
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function io(out: string[], err: string[]): CliIo {
  return { env: cliEnv(azurite, sim), stdout: (t) => out.push(t), stderr: (t) => err.push(t), setExitCode: () => {} };
}

describe("report --html", () => {
  it("writes the tenant view as one self-contained page", async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runCli(["run"], io(out, err))).toBe(1); // Fabrikam is drifted
    const file = join(dir, "fabrikam.html");
    expect(await runCli(["report", "--tenant", fabrikam.tenantId, "--html", file], io(out, err))).toBe(0);
    expect(out.join("")).toContain(`Wrote ${file}`);
    const page = readFileSync(file, "utf8");
    expect(page).toContain(`<h1>${fabrikam.displayName}</h1>`);
    expect(page).toContain('data-check="conditional-access" data-status="fail"');
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+202E&gt;");
    expect(page).not.toMatch(/<script|<link |src=|check-now|name="csrf"/);
    // The CSP allows exactly the inline stylesheet, by the hash of the <style> element's content.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    expect(style).toBe(DASHBOARD_CSS);
    const hash = createHash("sha256").update(style).digest("base64");
    expect(page).toContain(`content="default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;`);
  });

  it("of a tenant with two accounts: a table of both with their kinds, then a section per account", async () => {
    const woodgrove = sampleTenant("Woodgrove");
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const accounts = [
      { ref: woodgrove.account, kind: "connection" },
      { ref: "breakglass@woodgrovebank.onmicrosoft.com", kind: "emergency-access" },
    ];
    await store.tenants.put({ tenantId: woodgrove.tenantId, displayName: woodgrove.displayName, accounts });
    const out: string[] = [];
    const err: string[] = [];
    await runCli(["run"], io(out, err));
    const file = join(dir, "woodgrove.html");
    expect(await runCli(["report", "--tenant", woodgrove.tenantId, "--html", file], io(out, err))).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toMatch(/<table class="accounts"[\s\S]*connection account[\s\S]*emergency-access account[\s\S]*<\/table>/);
    expect([...page.matchAll(/<h2 id="account-\d-title">([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual([
      `connection account: ${woodgrove.account}`,
      "emergency-access account: breakglass@woodgrovebank.onmicrosoft.com",
    ]);
    expect(page).toMatch(/<section class="account" id="account-1"[\s\S]*data-check="conditional-access"[\s\S]*<section class="account" id="account-2"/);
    expect(page).not.toMatch(/<form|name="account"/);
  });

  it("shows the tenant's exceptions and their audit trail, without forms", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const add = ["exceptions", "add", "--tenant", fabrikam.tenantId, "--check", "conditional-access", "--reason", "customer accepted <b>it</b>"];
    expect(await runCli([...add, "--owner", "Jo Owner", "--reference", "CHG-7", "--expires", expires, "--by", "Jo Approver"], io(out, err))).toBe(0);
    const file = join(dir, "fabrikam-exceptions.html");
    expect(await runCli(["report", "--tenant", fabrikam.tenantId, "--html", file], io(out, err))).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toContain("<h2>Exceptions</h2>");
    expect(page).toMatch(/<td>check conditional-access waived<\/td>[\s\S]*customer accepted &lt;b&gt;it&lt;\/b&gt;[\s\S]*Jo Owner[\s\S]*CHG-7/);
    expect(page).toContain("<h2>Audit trail</h2>");
    expect(page).toMatch(/<td>Jo Approver<\/td>\s*<td>approved an exception: <span class="id">check:conditional-access<\/span>/);
    expect(page).toContain(`excepted until ${expires}`);
    expect(page).not.toContain("<form");
  });

  it("refuses a tenant that is not a GUID, and one it knows nothing of", async () => {
    const err: string[] = [];
    expect(await runCli(["report", "--tenant", "nope", "--html", join(dir, "x.html")], io([], err))).toBe(EXIT.usage);
    expect(await runCli(["report", "--tenant", "00000000-0000-4000-8000-0000000000aa", "--html", join(dir, "x.html")], io([], err))).toBe(EXIT.usage);
    expect(err.join("")).toContain("neither registered nor monitored");
  });
});

/** A GET with the Host header given (fetch does not let a caller choose it). */
function get(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard", () => {
  it("serves the estate on 127.0.0.1 until stopped", async () => {
    const out: string[] = [];
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const cmd = dashboardCommand(io(out, []), () => stopped).exitOverride();
    const running = cmd.parseAsync(["--port", "0"], { from: "user" });
    for (let i = 0; i < 100 && !out.join("").includes("Dashboard: "); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /Dashboard: (\S+)/.exec(out.join(""))?.[1] ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/dashboard\/$/);
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(fabrikam.displayName);
    // DNS rebinding: a page of rebind.example (resolved to 127.0.0.1) is same-origin with itself; the server must not answer it.
    const port = new URL(url).port;
    const rebound = await get(url, `rebind.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain(fabrikam.displayName);
    expect((await get(url, `localhost:${port}`)).status).toBe(200);
    stop();
    await running;
    await expect(fetch(url)).rejects.toThrow();
  });
});
