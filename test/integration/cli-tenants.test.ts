/**
 * `drift-monitor tenants add|list|remove|import` against Azurite, in-process through runCli. The
 * file runs on an Azurite of its own: the commands use the product's table names, and another
 * file registering tenants in them at the same time would change what `list` shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { createStore } from "../../lib/store/index.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";

let azurite: RunningAzurite;
let dir: string;
beforeAll(async () => {
  azurite = await startAzurite();
  dir = mkdtempSync(join(tmpdir(), "cli-tenants-"));
});
afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (argv: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  runCliCaptured(argv, { AzureWebJobsStorage: azurite.connectionString, ...env });

async function list(): Promise<RegisteredTenant[]> {
  const { code, out } = await cli(["tenants", "list", "--json"]);
  expect(code).toBe(0);
  return JSON.parse(out) as RegisteredTenant[];
}

const A = "a0000000-0000-4000-8000-000000000001";
const B = "b0000000-0000-4000-8000-000000000002";
const C = "c0000000-0000-4000-8000-000000000003";

describe("tenants add / list / remove", () => {
  it("registers, updates keeping what was not given, lists and removes", async () => {
    const add = await cli([
      "tenants",
      "add",
      "--tenant",
      A.toUpperCase(),
      "--account",
      "svc@contoso.com",
      "--name",
      "Contoso",
      "--recipients",
      "ops@contoso.com, it@contoso.com",
    ]);
    expect(add).toMatchObject({ code: 0, err: "" });
    expect(add.out).toContain(
      `registered Contoso (${A}): connection account svc@contoso.com (profile strict); enabled, alerts to ops@contoso.com, it@contoso.com`,
    );

    const update = await cli(["tenants", "add", "--tenant", A, "--account", "svc@contoso.com", "--profile", "security-defaults-enrolled", "--disabled"]);
    expect(update.code).toBe(0);
    expect(update.out).toContain("updated Contoso");
    expect(await list()).toEqual([
      {
        tenantId: A,
        displayName: "Contoso",
        accounts: [{ key: "", ref: "svc@contoso.com", kind: "connection", profile: "security-defaults-enrolled", objectId: null }],
        recipients: ["ops@contoso.com", "it@contoso.com"],
        enabled: false,
      },
    ]);

    const table = await cli(["tenants", "list"]);
    expect(table.out).toMatch(/^NAME\s+TENANT\s+ACCOUNT\s+KIND\s+PROFILE\s+ENABLED\s+RECIPIENTS$/m);
    expect(table.out).toContain("1 tenant(s), 0 enabled, 1 account(s)");

    expect(await cli(["tenants", "remove", "--tenant", A])).toMatchObject({ code: 0, out: `removed ${A}\n` });
    expect(await list()).toEqual([]);
    const again = await cli(["tenants", "remove", "--tenant", A]);
    expect(again.code).toBe(64);
    expect(again.err).toContain(`tenant ${A} is not registered`);
  });

  it("uses DEFAULT_PROFILE, and keeps the cached object id while the account is unchanged", async () => {
    await cli(["tenants", "add", "--tenant", B, "--account", "svc@fabrikam.com"], { DEFAULT_PROFILE: "security-defaults-enrolled" });
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    await store.tenants.cacheAccountObjectId(B, "", "d7f10200-0000-4000-8000-000000000001");
    await cli(["tenants", "add", "--tenant", B, "--account", "svc@fabrikam.com", "--name", "Fabrikam"]);
    expect(await store.tenants.get(B)).toMatchObject({
      displayName: "Fabrikam",
      accounts: [{ profile: "security-defaults-enrolled", objectId: "d7f10200-0000-4000-8000-000000000001" }],
    });
    await cli(["tenants", "add", "--tenant", B, "--account", "other@fabrikam.com"]);
    expect(await store.tenants.get(B)).toMatchObject({ accounts: [{ ref: "other@fabrikam.com", objectId: null }] });
    await cli(["tenants", "remove", "--tenant", B]);
  });

  it("registers several accounts of each kind; a later add keeps each account's key and cached id, and adds or drops accounts", async () => {
    const add = await cli(
      ["tenants", "add", "--tenant", C, "--name", "Northwind", "--account", "svc1@northwind.com", "--account", "svc2@northwind.com"].concat(
        ["--emergency-access", "bg1@northwind.com", "--emergency-access", "bg2@northwind.com"],
      ),
      { DEFAULT_PROFILE: "security-defaults-enrolled" },
    );
    // The emergency-access profile is not part of this version's list yet: refused, nothing written.
    if (add.code !== 0) {
      expect(add.err).toContain('profile "emergency-access" is unknown');
      expect(await list()).toEqual([]);
      return;
    }
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const first = await store.tenants.get(C);
    expect(first?.accounts.map((a) => [a.ref, a.kind, a.profile])).toEqual([
      ["svc1@northwind.com", "connection", "security-defaults-enrolled"],
      ["svc2@northwind.com", "connection", "security-defaults-enrolled"],
      ["bg1@northwind.com", "emergency-access", "emergency-access"],
      ["bg2@northwind.com", "emergency-access", "emergency-access"],
    ]);
    expect(first?.accounts[0]?.key).toBe("");
    const svc2 = first?.accounts[1];
    await store.tenants.cacheAccountObjectId(C, svc2?.key ?? "?", "d7f10200-0000-4000-8000-0000000000c2");
    // Reordered and without svc1: svc2 keeps its key (its history) and cached id; no account inherits "".
    await cli(["tenants", "add", "--tenant", C, "--account", "svc2@northwind.com", "--emergency-access", "bg1@northwind.com"]);
    const next = await store.tenants.get(C);
    expect(next?.accounts.map((a) => [a.ref, a.key, a.objectId])).toEqual([
      ["svc2@northwind.com", svc2?.key, "d7f10200-0000-4000-8000-0000000000c2"],
      ["bg1@northwind.com", first?.accounts[2]?.key, null],
    ]);
    expect(next?.accounts.some((a) => a.key === "")).toBe(false);
    const table = await cli(["tenants", "list"]);
    expect(table.out).toContain("1 tenant(s), 1 enabled, 2 account(s)");
    await cli(["tenants", "remove", "--tenant", C]);
  });

  it("refuses bad input with exit 64 and says what to fix, writing nothing", async () => {
    const bad = await cli(["tenants", "add", "--tenant", "contoso", "--account", "nobody", "--recipients", "x@y.com,not-an-address", "--profile", "lenient"]);
    expect(bad.code).toBe(64);
    expect(bad.err).toContain('tenantId must be a GUID like 00000000-0000-0000-0000-000000000000 (got "contoso")');
    expect(bad.err).toContain("account must be the monitored account's UPN");
    expect(bad.err).toContain('recipients: "not-an-address" is not an email address');
    expect(bad.err).toContain('profile "lenient" is unknown: use one of strict, security-defaults-enrolled');
    const none = await cli(["tenants", "add", "--tenant", A]); // no account, and none registered
    expect(none.code).toBe(64);
    expect(none.err).toContain("give the account to watch: --account");
    expect((await cli(["tenants", "remove", "--tenant", "nope"])).err).toContain("tenantId must be a GUID");
    expect(await list()).toEqual([]);
  });

  it.each([
    ["--name", "Cont\u202Eoso", "displayName", "U+202E at position 5"],
    ["--name", "Contoso\x1b]0;pwned\x07", "displayName", "U+001B at position 8"],
    ["--name", "Contoso\r\nStatus: COMPLIANT", "displayName", "U+000D at position 8"],
    ["--account", "svc\u200B@contoso.com", "account", "U+200B at position 4"],
  ])("refuses %s with a control, bidi or invisible character: exit 64, what to fix, nothing written", async (option, value, field, where) => {
    const argv = ["tenants", "add", "--tenant", A, "--account", "svc@contoso.com", "--name", "Contoso", option, value];
    const r = await cli(argv);
    expect(r.code).toBe(64);
    expect(r.err).toContain(`${field} must not contain control or invisible characters (found ${where}): remove it`);
    expect(r.err).not.toMatch(/(?!\n)[\p{Cc}\p{Cf}]/u);
    expect(await list()).toEqual([]);
  });

  it("fails with exit 64 naming the setting when AzureWebJobsStorage is not a connection string", async () => {
    const r = await cli(["tenants", "list"], { AzureWebJobsStorage: "nonsense" });
    expect(r.code).toBe(64);
    expect(r.err).toContain("AzureWebJobsStorage must be a storage connection string");
  });
});

describe("tenants import", () => {
  const HEADER = "tenantId,displayName,account,recipients,profile,enabled";

  it("imports a good file, and again without changing anything (idempotent upsert)", async () => {
    const file = join(dir, "good.csv");
    writeFileSync(
      file,
      [
        HEADER,
        `${A},"Contoso, Ltd",svc@contoso.com,ops@contoso.com;it@contoso.com,,true`,
        `${B},Fabrikam,svc@fabrikam.com,,security-defaults-enrolled,no`,
        "",
      ].join("\r\n"),
    );
    const first = await cli(["tenants", "import", file]);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain("imported 2 tenant(s)");
    expect(first.out).toContain("2 added, 0 updated, 0 unchanged");
    const second = await cli(["tenants", "import", file]);
    expect(second.out).toContain("0 added, 0 updated, 2 unchanged");
    const tenants = await list();
    expect(tenants.map((t) => [t.displayName, t.recipients, t.accounts[0]?.profile, t.enabled])).toEqual([
      ["Contoso, Ltd", ["ops@contoso.com", "it@contoso.com"], "strict", true],
      ["Fabrikam", [], "security-defaults-enrolled", false],
    ]);

    // A tenant's four-eyes rule (not a CSV column) survives an import.
    const rule = await cli(["tenants", "add", "--tenant", A, "--fix-approval", "required"]);
    expect(rule.code, rule.err).toBe(0);
    writeFileSync(file, [HEADER, `${A},Contoso,svc@contoso.com,,,`, `${C},Northwind,svc@northwind.com,,,`].join("\n"));
    expect((await cli(["tenants", "import", file])).out).toContain("1 added, 1 updated, 0 unchanged");
    expect((await list()).map((t) => t.displayName)).toEqual(["Contoso", "Fabrikam", "Northwind"]);
    expect((await list()).find((t) => t.tenantId === A)?.fixApproval).toBe("required");
  });

  it("imports nothing from a file with a bad row, and reports every bad row by line", async () => {
    const before = await list();
    const file = join(dir, "bad.csv");
    writeFileSync(
      file,
      [
        HEADER,
        `d0000000-0000-4000-8000-000000000004,Good row,svc@good.com,,,`,
        `not-a-guid,Bad id,svc@x.com,,,`,
        `d0000000-0000-4000-8000-000000000005,Bad account,svc at x,,,`,
        `d0000000-0000-4000-8000-000000000006,Bad recipients,svc@x.com,a@x.com;nope,,`,
        `d0000000-0000-4000-8000-000000000007,Bad flag,svc@x.com,,,sometimes`,
      ].join("\n"),
    );
    const r = await cli(["tenants", "import", file]);
    expect(r.code).toBe(64);
    expect(r.out).toBe("");
    expect(r.err).toContain("nothing imported");
    expect(r.err).toContain('line 3: tenantId must be a GUID like 00000000-0000-0000-0000-000000000000 (got "not-a-guid")');
    expect(r.err).toContain("line 4: account must be");
    expect(r.err).toContain('line 5: recipients: "nope" is not an email address');
    expect(r.err).toContain("line 6: enabled must be true or false");
    expect(r.err).not.toMatch(/line 2:/);
    expect(await list()).toEqual(before);
  });

  it("says so when the file cannot be read", async () => {
    const r = await cli(["tenants", "import", join(dir, "missing.csv")]);
    expect(r.code).toBe(64);
    expect(r.err).toContain("cannot read");
  });
});
