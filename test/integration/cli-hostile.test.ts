/**
 * Tenant values are hostile: a Conditional Access policy or a tenant registered with a name that
 * carries terminal escape sequences (window title, OSC 52 clipboard write, cursor movement,
 * colour), a carriage return or line break forging a "Status: COMPLIANT" line, C1 controls, bidi
 * overrides and invisible characters. Through runCli in-process against the simulator (and
 * Azurite for the stored views), every text output shows them as visible escapes and no raw one
 * reaches stdout or stderr; --json stays JSON that parses back to the very same names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { createStore } from "../../lib/store/index.js";
import type { Report } from "../../lib/model/index.js";
import { cliEnv } from "./cli-helpers.js";

const POLICY_TAIL =
  "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2A\x1b[31m\r\nStatus: COMPLIANT\t\u202Egnp.exe\u202C\u200B\u2066\x9b1A\u0085\uFEFF\u00AD\u2028";
/** How the tail above is shown: the same characters, each visible. */
const POLICY_TAIL_SHOWN =
  "\\x1B]0;pwned\\x07\\x1B]52;c;cm0gLXJmIH4=\\x07\\x1B[2A\\x1B[31m\\r\\nStatus: COMPLIANT\\t" +
  "<U+202E>gnp.exe<U+202C><U+200B><U+2066>\\x9B1A\\x85<U+FEFF><U+00AD><U+2028>";
const TENANT_NAME = "Fabrikam\x1b]0;owned\x07\u2067\nCOMPLIANT\u202E";
const TENANT_NAME_SHOWN = "Fabrikam\\x1B]0;owned\\x07<U+2067>\\nCOMPLIANT<U+202E>";
/** A second, emergency-access account whose stored reference carries a window-title escape and a bidi override. */
const BREAK_GLASS = "bg\x1b]0;owned\x07\u202E@fabrikam.onmicrosoft.com";
const BREAK_GLASS_SHOWN = "bg\\x1B]0;owned\\x07<U+202E>@fabrikam.onmicrosoft.com";

/** Any control but a line break, any format character (bidi, zero-width, BOM, soft hyphen), the Unicode line separators. */
const RAW = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;

let azurite: RunningAzurite;
let sim: RunningSimulator;
const fabrikam = sampleTenant("Fabrikam");
beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  for (const p of sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies) p.displayName += POLICY_TAIL;
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

const env = (): Record<string, string> => cliEnv(azurite, sim);

const cli = (argv: string[], extra: Record<string, string> = {}): Promise<CliRun> => runCliCaptured(argv, { ...env(), ...extra });

function expectSafe(text: string): void {
  expect(text).not.toMatch(RAW);
  expect(text).not.toMatch(/^\s*(Status: )?COMPLIANT/m);
}

describe("hostile names in text output", () => {
  it("check: the policy name is shown with every escape visible, the verdict stays DRIFTED", async () => {
    const { code, out, err } = await cli(["check", "--tenant", fabrikam.tenantId, "--account", fabrikam.account], {
      GRAPH_ACCESS_TOKEN: sim.mintToken(fabrikam.tenantId),
    });
    expect(code).toBe(1);
    expectSafe(out + err);
    expect(out).toContain(POLICY_TAIL_SHOWN);
    expect(out).toMatch(/^DRIFTED: /m);
  });

  it("check --json: valid JSON with no raw character either, the names parse back exactly", async () => {
    const { out } = await cli(["check", "--tenant", fabrikam.tenantId, "--account", fabrikam.account, "--json"], {
      GRAPH_ACCESS_TOKEN: sim.mintToken(fabrikam.tenantId),
    });
    expect(out).not.toMatch(RAW);
    const report = JSON.parse(out) as Report;
    const names = report.checks.flatMap((c) => c.findings ?? []).map((f) => f.policyName);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n.endsWith(POLICY_TAIL)).toBe(true);
  });

  it("run, status, status --tenant, alerts list and tenants list: a stored hostile tenant name and policy names", async () => {
    // Written past the entry points' validation, as a row stored before it existed would be.
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const accounts = [
      { ref: fabrikam.account, kind: "connection" },
      { ref: BREAK_GLASS, kind: "emergency-access" },
    ];
    await store.tenants.put({ tenantId: fabrikam.tenantId, displayName: TENANT_NAME, accounts });

    const run = await cli(["run"]);
    expect(run.code).toBe(1);
    expectSafe(run.out + run.err);
    expect(run.out).toContain(TENANT_NAME_SHOWN);

    const outputs = await Promise.all([cli(["status"]), cli(["status", "--tenant", fabrikam.tenantId]), cli(["alerts", "list"]), cli(["tenants", "list"])]);
    for (const { code, out, err } of outputs) {
      expect(code).toBe(0);
      expectSafe(out + err);
      expect(out).toContain(TENANT_NAME_SHOWN.slice(0, 40));
    }
    // The open findings name the policy: one row each, cut to the column width but escaped before the cut.
    expect(outputs[1]?.out).toContain("\\x1B]0;pwned\\x07\\x1B]52");
    // Each account under the tenant, with its kind, its reference escaped.
    expect(outputs[0]?.out).toMatch(new RegExp(`^\\s+${BREAK_GLASS_SHOWN.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}\\s+emergency-access account\\s+`, "m"));
    expect(outputs[1]?.out).toContain(`== emergency-access account ${BREAK_GLASS_SHOWN}, profile emergency-access`);
  });

  it("status --json: valid JSON, no raw character, the stored name parses back exactly", async () => {
    const { out } = await cli(["status", "--json"]);
    expect(out).not.toMatch(RAW);
    const tenants = (JSON.parse(out) as { tenants: { displayName: string; accounts: { ref: string; kind: string }[] }[] }).tenants;
    expect(tenants.map((t) => t.displayName)).toContain(TENANT_NAME);
    expect(
      tenants
        .flatMap((t) => t.accounts)
        .filter((a) => a.kind === "emergency-access")
        .map((a) => a.ref),
    ).toEqual([BREAK_GLASS]);
  });
});
