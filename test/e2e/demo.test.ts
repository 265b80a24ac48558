/**
 * `npm run demo` end to end, as a newcomer runs it: a child process with nothing but the repo.
 * Its output must name the drifted tenants, its outbox must hold one email per alert with the
 * expected subjects, and the Azurite it started must be gone afterwards — also when it is
 * interrupted with Ctrl-C (SIGINT to its whole process group, as a terminal sends it).
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEmlHeaders } from "../../cli/demo/eml.js";
import { SAMPLE_TENANTS } from "../../sim/testing.js";
import { gone } from "../support/processes.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Demo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `npm run demo` in its own process group. Once stdout matches `stopWhen`, either SIGINT goes
 * to the group (Ctrl-C) or the reading end of stdout is closed (`npm run demo | head`).
 */
function runDemo(outboxDir: string, stopWhen?: RegExp, how: "sigint" | "close-stdout" = "sigint"): Promise<Demo> {
  const env: Record<string, string | undefined> = { ...process.env, OUTBOX_DIR: outboxDir };
  // Nothing of the test run's own stand-ins may leak in: the demo starts its own.
  for (const k of ["AzureWebJobsStorage", "NODE_EXTRA_CA_CERTS", "DRIFT_DEMO_CERT_DIR", "GRAPH_ENDPOINT", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"])
    delete env[k];
  const child = spawn("npm", ["run", "--silent", "demo"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let interrupted = false;
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
    if (stopWhen && !interrupted && stopWhen.test(out) && child.pid) {
      interrupted = true;
      if (how === "sigint") process.kill(-child.pid, "SIGINT");
      else child.stdout.destroy();
    }
  });
  child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, out, err }));
  });
}

function azuritePid(out: string): number {
  const m = /Azurite \(in memory, pid (\d+)\)/.exec(out);
  if (!m?.[1]) throw new Error(`the demo did not say which Azurite it started:\n${out}`);
  return Number(m[1]);
}

describe("npm run demo", () => {
  it("runs the handlers twice, names the drifted tenants, writes the expected emails, and leaves no Azurite behind", async () => {
    const outbox = mkdtempSync(join(tmpdir(), "demo-outbox-"));
    dirs.push(outbox);
    const demo = await runDemo(outbox);
    expect(demo.code, `${demo.out}\n${demo.err}`).toBe(0);

    const driftedFirst = SAMPLE_TENANTS.filter((t) => t.expected === "drifted").map((t) => t.displayName);
    const driftedNow = [...driftedFirst.filter((n) => n !== "Fabrikam" && n !== "Litware"), "Woodgrove Bank"].sort((a, b) => a.localeCompare(b));
    expect(demo.out).toContain(`Drifted now: ${driftedNow.join(", ")}\n`);
    for (const name of driftedFirst) expect(demo.out).toMatch(new RegExp(`^  ${name}: drift detected: `, "m"));
    expect(demo.out).toMatch(/^ {2}Fabrikam: resolved: conditional-access "CA10 - Require MFA for IT staff"/m);
    expect(demo.out).toMatch(/^ {2}Litware: resolved: security-defaults/m);
    // Woodgrove Bank has four accounts: each is named, and each is told about once.
    expect(demo.out).toMatch(/^ {2}Woodgrove Bank \(svc-connect@woodgrovebank\.onmicrosoft\.com\): drift detected: security-defaults/m);
    expect(demo.out).toMatch(/^ {2}Woodgrove Bank \(svc-backup@woodgrovebank\.onmicrosoft\.com\): drift detected: security-defaults/m);
    expect(demo.out).toMatch(/^ {2}Woodgrove Bank \(breakglass@woodgrovebank\.onmicrosoft\.com\): emergency access sign-in: .* from 84\.241\.192\.17 \(success\)$/m);
    expect(demo.out).toMatch(/^ {2}Woodgrove Bank \(breakglass2@woodgrovebank\.onmicrosoft\.com\): drift detected: phishing-resistant: /m);
    expect(demo.out.match(/emergency access sign-in: /g)).toHaveLength(1);
    // The early warnings of run 1, each once.
    const early = SAMPLE_TENANTS.filter((t) => t.scenario.includes("early warning")).map((t) => t.displayName);
    expect(early.sort()).toEqual(["First Up Consultants", "Southridge Video"]);
    expect(demo.out).toMatch(/^ {2}Southridge Video: early warning: sessions-revoked: The account's sessions were revoked at /m);
    expect(demo.out).toMatch(/^ {2}First Up Consultants: early warning: managed-policies: Microsoft will enforce soon: /m);
    expect(demo.out).toMatch(/^ {2}Wingtip Toys: drift detected: sign-ins: 3 sign-ins failed in the last 24 hours: Wrong password; The account is locked$/m);
    expect(demo.out).toMatch(/^Fabrikam\s+drifted\s+compliant\s+resolved$/m);
    expect(demo.out).toMatch(/^Woodgrove Bank\s+compliant\s+drifted\s+drift detected, drift detected$/m);
    expect(demo.out).toContain(`Emails written to ${outbox}:`);

    const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
    for (const f of files) expect(demo.out).toContain(join(outbox, f));
    const headers = await Promise.all(files.map((f) => readEmlHeaders(join(outbox, f))));
    // The global list (ALERT_TO) gets one summary a run, not a copy of every tenant's email.
    const summaries = headers.filter((h) => h.subject.startsWith("[Drift Monitor] "));
    expect(summaries.map((h) => h.to)).toEqual(["noc@msp.example", "noc@msp.example"]);
    // Run 1: every drifted tenant's drift and the early warnings (a tenant may have more than one), in one summary.
    // Woodgrove Bank's two emergency-access accounts add a tenant and their drifts.
    const firstRun = new RegExp(
      `^\\[Drift Monitor\\] \\d+ changes in ${driftedFirst.length + early.length + 1} tenants — \\d+ new drift, \\d+ early warnings$`,
    );
    expect(summaries.map((h) => h.subject)).toContainEqual(expect.stringMatching(firstRun));
    expect(summaries.map((h) => h.subject)).toContainEqual(expect.stringMatching(/^\[Drift Monitor\] 4 changes in 3 tenants/));
    for (const h of headers.filter((x) => !summaries.includes(x))) expect(h.to).not.toContain("noc@msp.example");
    const subjects = headers
      .filter((h) => !summaries.includes(h))
      .map((h) => h.subject)
      .sort();
    const expected = [
      ...driftedFirst.map((n) => `[Drift] ${n} — `),
      ...early.map((n) => `[Early warning] ${n} — `),
      "[Drift] Woodgrove Bank (breakglass@",
      "[Drift] Woodgrove Bank (breakglass2@",
      "[Drift] Woodgrove Bank (svc-connect@",
      "[Drift] Woodgrove Bank (svc-backup@",
      "[Resolved] Fabrikam — ",
      "[Resolved] Litware — ",
    ].sort();
    expect(subjects).toHaveLength(expected.length);
    for (const prefix of expected)
      expect(
        subjects.filter((s) => s.startsWith(prefix)),
        prefix,
      ).toHaveLength(1);
    expect(subjects.find((s) => s.startsWith("[Drift] Woodgrove Bank (svc-connect@"))).toContain("Security Defaults are enabled");

    expect(await gone(azuritePid(demo.out))).toBe(true);
  }, 180_000);

  it("stops Azurite and the simulator when interrupted with Ctrl-C", async () => {
    const outbox = mkdtempSync(join(tmpdir(), "demo-outbox-"));
    dirs.push(outbox);
    const demo = await runDemo(outbox, /^Registered \d+ tenants/m);
    expect(demo.code === 130 || demo.signal === "SIGINT", `${demo.code} ${demo.signal}\n${demo.out}\n${demo.err}`).toBe(true);
    expect(demo.out).not.toContain("Every tenant did what its scenario says");
    expect(await gone(azuritePid(demo.out))).toBe(true);
  }, 120_000);

  it("stops Azurite when its output pipe closes early (npm run demo | head)", async () => {
    const outbox = mkdtempSync(join(tmpdir(), "demo-outbox-"));
    dirs.push(outbox);
    const demo = await runDemo(outbox, /Azurite \(in memory, pid \d+\)/, "close-stdout");
    expect(demo.code, demo.err).not.toBe(0);
    expect(demo.err).toContain("EPIPE: stopping what the demo started");
    expect(await gone(azuritePid(demo.out))).toBe(true);
  }, 120_000);
});
