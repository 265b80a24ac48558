/**
 * docs/adding-a-check.md is true of the code: its blocks are applied to a copy of the repository
 * (`file=` writes a file, `insert=` adds lines before an anchor that must occur once), the README
 * is regenerated, the copy type-checks, and a script in the copy runs the example check and fact
 * through the registries' consumers: evaluate, the emails, the doctor, the README and the
 * collector against the Graph simulator; the checks' own unit tests then run in the copy (they
 * hold requirements and ranks unique and take every list of checks from the registry). Nothing
 * else in the copy is edited, so the files the page names are all a check or a fact needs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOC = readFileSync(join(ROOT, "docs/adding-a-check.md"), "utf8");

interface Block {
  readonly kind: "file" | "insert";
  readonly path: string;
  readonly before?: string;
  readonly code: string;
}

function blocksOf(markdown: string): Block[] {
  const re = /^```ts (file|insert)=(\S+)(?: before="((?:[^"\\]|\\.)*)")?\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(re)].map((m) => ({
    kind: m[1] as Block["kind"],
    path: m[2]!,
    ...(m[3] !== undefined ? { before: m[3].replace(/\\n/g, "\n").replace(/\\"/g, '"') } : {}),
    code: m[4]!,
  }));
}

function apply(dir: string, block: Block): void {
  const file = join(dir, block.path);
  if (block.kind === "file") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
    return;
  }
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(block.before!);
  if (at < 0 || text.indexOf(block.before!, at + 1) >= 0) throw new Error(`${block.path}: the anchor ${JSON.stringify(block.before)} must occur exactly once`);
  writeFileSync(file, text.slice(0, at) + block.code + text.slice(at));
}

/** Runs in the copy: every consumer of the registries, with the example check and fact added. */
const VERIFY = `
import { readFileSync } from "node:fs";
import { evaluate, getProfile } from "./lib/checks/index.js";
import { CHECK_IDS } from "./lib/checks/registry.js";
import { checkTitle, findingRank } from "./lib/alerts/render/findings.js";
import { FACT_KEYS } from "./lib/graph/facts/index.js";
import { collectFacts, createGraphClient } from "./lib/graph/index.js";
import { factProbes } from "./cli/doctor/probes.js";
import { facts } from "./test/unit/checks/builders.js";
import { startTestSimulator, sampleTenant } from "./sim/testing.js";

const strict = getProfile("strict")!;
const verdict = (userType: string) => {
  const f = facts();
  const account = f.account.ok && f.account.value ? { ...f.account.value, userType } : null;
  return evaluate({ ...f, account: { ok: true, value: account } }, strict).checks.find((c) => c.id === "member-account")?.status;
};
const sim = await startTestSimulator();
try {
  const t = sampleTenant("Woodgrove");
  const settings = { graphEndpoint: sim.url, graphAuth: { mode: "token" as const, accessToken: sim.mintToken(t.tenantId), authorityHost: sim.url } };
  const client = createGraphClient({ tenantId: t.tenantId, settings });
  const target = { tenantId: t.tenantId, accountRef: t.account };
  const { facts: collected } = await collectFacts(client, target, { now: new Date(), signInLookbackHours: 24, graphEndpoint: sim.url });
  const readme = readFileSync("README.md", "utf8");
  console.log(JSON.stringify({
    checkIds: CHECK_IDS,
    member: verdict("Member"),
    guest: verdict("Guest"),
    title: checkTitle("member-account"),
    rank: findingRank({
      key: "member-account|", checkId: "member-account", subject: "", subjectName: null, summary: "x",
      reason: null, remediation: null, evidence: [], since: "2026-01-01T00:00:00.000Z",
    }),
    readmeRow: readme.split("\\n").find((l) => l.startsWith("| \`member-account\` |")) ?? null,
    factKeys: FACT_KEYS,
    probes: factProbes("00000000-0000-0000-0000-000000000000", new Date()).map((p) => p.url),
    domains: collected.domains,
    accountRead: collected.account.ok,
  }));
} finally {
  await sim.stop();
}
`;

describe("docs/adding-a-check.md, applied to a copy of the repository", () => {
  let dir: string;
  let out: Record<string, unknown>;
  const blocks = blocksOf(DOC);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "drift-adding-a-check-"));
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    // The tests stay behind, except the checks' unit tests (run below) and what the page's blocks and the benchmarks (bench/) import from test/.
    const keep = ["test/unit/checks/", "test/setup/", "test/support/", "test/unit/alerts/samples.ts", "test/unit/alerts/samples-emergency.ts"];
    for (const file of tracked.filter((f) => !f.startsWith("test/") || keep.some((k) => f.startsWith(k)))) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(ROOT, file), join(dir, file));
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    for (const block of blocks) apply(dir, block);
    const tsx = join(ROOT, "node_modules/.bin/tsx");
    execFileSync(tsx, ["scripts/update-readme.ts"], { cwd: dir, encoding: "utf8" });
    writeFileSync(join(dir, "verify.ts"), VERIFY);
    out = JSON.parse(execFileSync(tsx, ["verify.ts"], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop()!) as Record<string, unknown>;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has blocks for both walk-throughs, each applied to a file that exists", () => {
    expect(blocks.map((b) => `${b.kind} ${b.path}`)).toEqual([
      "file lib/checks/member-account/check.ts",
      "insert lib/checks/registry.ts",
      "insert lib/checks/registry.ts",
      "insert lib/model/facts.ts",
      "insert lib/model/facts.ts",
      "file lib/graph/facts/domains.ts",
      "insert lib/graph/facts/index.ts",
      "insert lib/graph/facts/index.ts",
      "insert test/unit/checks/builders.ts",
    ]);
  });

  it("type-checks with nothing else edited", () => {
    const tsc = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["--noEmit", "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);

  it("runs the new check in registry order, with its verdicts, email name and rank", () => {
    expect((out.checkIds as string[]).at(-1)).toBe("member-account");
    expect([out.member, out.guest]).toEqual(["pass", "fail"]);
    expect([out.title, out.rank]).toEqual(["Member account", 12]);
  });

  it("keeps the checks' unit tests green with nothing else edited", () => {
    // Pure tests: no Azurite or simulator, so none of the suite's global setup.
    writeFileSync(join(dir, "vitest.checks.config.ts"), 'import { defineConfig } from "vitest/config";\nexport default defineConfig({});\n');
    const args = ["run", "test/unit/checks", "--config", "vitest.checks.config.ts", "--reporter", "dot"];
    const vitest = spawnSync(join(ROOT, "node_modules/.bin/vitest"), args, { cwd: dir, encoding: "utf8" });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
  }, 120_000);

  it("lists the new check in the regenerated README", () => {
    expect(out.readmeRow).toBe("| `member-account` | R16 | `userType` is `Member` | Breaks now |");
  });

  it("reads the new fact through the collector and the doctor, from its registry line alone", () => {
    expect(out.factKeys).toContain("domains");
    expect(out.probes).toContain("/domains?$select=id%2CisDefault%2CpasswordValidityPeriodInDays");
    // The simulator already answers GET /domains (the password-expiry check reads it): read from the registry line alone.
    expect(out.domains).toMatchObject({ ok: true, value: [expect.objectContaining({ passwordValidityPeriodInDays: 2147483647 })] });
    expect(out.accountRead).toBe(true);
  });
});
