import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPsaSettings, PSA_SETTING_NAMES } from "../../../lib/tickets/psa/settings.js";
import { DEFAULT_PRIORITIES, parsePriorityMap, priorityFor } from "../../../lib/tickets/psa/priority.js";
import { psaClients } from "../../../lib/tickets/psa/index.js";
import { SettingsError } from "../../../lib/config/settings.js";
import { TicketKey } from "../../../lib/tickets/psa/types.js";

const CW = {
  PSA_CONNECTWISE_URL: "https://api-na.myconnectwise.net/v4_6_release/apis/3.0",
  PSA_CONNECTWISE_COMPANY: "driftmsp",
  PSA_CONNECTWISE_PUBLIC_KEY: "pub",
  PSA_CONNECTWISE_PRIVATE_KEY: "private-key-value-1234",
  PSA_CONNECTWISE_CLIENT_ID: "client-id",
  PSA_CONNECTWISE_BOARD_ID: "1",
  PSA_CONNECTWISE_OPEN_STATUS_ID: "3",
  PSA_CONNECTWISE_CLOSED_STATUS_ID: "5",
};
const AT = {
  PSA_AUTOTASK_USERNAME: "api@msp.example",
  PSA_AUTOTASK_SECRET: "autotask-secret-value",
  PSA_AUTOTASK_INTEGRATION_CODE: "CODE",
  PSA_AUTOTASK_QUEUE_ID: "29683",
};
const HALO = { PSA_HALO_URL: "https://msp.halopsa.com", PSA_HALO_CLIENT_ID: "id", PSA_HALO_CLIENT_SECRET: "halo-secret-value" };

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadPsaSettings(env);
    return [];
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
};

describe("PSA settings", () => {
  it("configures nothing when no PSA setting is set", () => {
    expect(loadPsaSettings({})).toEqual({});
    expect(psaClients({})).toEqual({});
  });

  it("reads each vendor with its defaults", () => {
    const s = loadPsaSettings({ ...CW, ...AT, ...HALO, PSA_HALO_PRIORITIES: "now=2" });
    expect(s.connectwise).toMatchObject({ boardId: 1, openStatusId: 3, closedStatusId: 5, priorities: DEFAULT_PRIORITIES.connectwise });
    expect(s.autotask).toMatchObject({
      lookupUrl: "https://webservices.autotask.net/atservicesrest",
      zoneKnown: false,
      openStatusId: 1,
      closedStatusId: 5,
      queueId: 29683,
    });
    expect(s.halo).toMatchObject({ openStatusId: 2, closedStatusId: 9, priorities: { ...DEFAULT_PRIORITIES.halo, now: 2 } });
    expect(Object.keys(psaClients(s)).sort()).toEqual(["autotask", "connectwise", "halo"]);
  });

  it.each([
    ["a missing required setting", { ...CW, PSA_CONNECTWISE_CLIENT_ID: "" }, /PSA_CONNECTWISE_CLIENT_ID is required/],
    ["http to a remote host", { ...HALO, PSA_HALO_URL: "http://msp.halopsa.com" }, /PSA_HALO_URL must use https/],
    ["a status id that is not a number", { ...AT, PSA_AUTOTASK_CLOSED_STATUS_ID: "Complete" }, /PSA_AUTOTASK_CLOSED_STATUS_ID must be a whole number/],
    [
      "an unknown severity in a priority map",
      { ...AT, PSA_AUTOTASK_PRIORITIES: "urgent=1" },
      /PSA_AUTOTASK_PRIORITIES: "urgent=1" is not severity=priority-id/,
    ],
    [
      "an unresolved Key Vault reference",
      { ...HALO, PSA_HALO_CLIENT_SECRET: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/halo)" },
      /PSA_HALO_CLIENT_SECRET is a Key Vault reference/,
    ],
    ["one setting of a vendor alone", { PSA_HALO_TENANT: "msp" }, /PSA_HALO_URL is required/],
  ])("refuses %s, naming the setting", (_what, env, expected) => {
    const problems = problemsOf(env);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("are each documented in docs/tickets.md", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../../docs/tickets.md", import.meta.url)), "utf8");
    expect(PSA_SETTING_NAMES.length).toBeGreaterThan(20);
    for (const name of PSA_SETTING_NAMES) expect(doc).toContain(`| \`${name}\` |`);
  });

  it("never quotes a secret in its problems", () => {
    const problems = problemsOf({ ...CW, ...AT, PSA_CONNECTWISE_URL: "ftp://x", PSA_AUTOTASK_QUEUE_ID: "x" });
    expect(problems.length).toBeGreaterThan(1);
    for (const secret of [CW.PSA_CONNECTWISE_PRIVATE_KEY, AT.PSA_AUTOTASK_SECRET]) expect(problems.join("\n")).not.toContain(secret);
  });
});

describe("severity to priority", () => {
  it.each([
    ["connectwise", "now", 1],
    ["connectwise", "notice", 3],
    ["autotask", "now", 4],
    ["autotask", "soon", 1],
    ["halo", "notice", 4],
  ] as const)("%s maps %s to %i by default", (vendor, severity, id) => {
    expect(priorityFor(DEFAULT_PRIORITIES[vendor], severity)).toBe(id);
  });

  it.each([
    ["now=7", { now: 7, soon: 2, notice: 3 }],
    [" now = 5 , notice=9 ", { now: 5, soon: 2, notice: 9 }],
    ["", { now: 1, soon: 2, notice: 3 }],
    ["NOW=4", { now: 4, soon: 2, notice: 3 }],
  ])("reads %j over the defaults", (text, expected) => {
    expect(parsePriorityMap(text, DEFAULT_PRIORITIES.connectwise)).toEqual(expected);
  });

  it.each(["now=0", "now", "later=1", "now=1;soon=2", "now=-1"])("refuses %j", (text) => {
    expect(typeof parsePriorityMap(text, DEFAULT_PRIORITIES.connectwise)).toBe("string");
  });
});

describe("ticket key", () => {
  it.each([
    ["t01-acct01-ca-policy-blocks", true],
    ["a1b2c3d4", true],
    ["short", false],
    ["has space inside", false],
    ['quote"inside-key', false],
    ["x".repeat(49), false],
  ])("%j is a key: %s", (key, ok) => {
    expect(TicketKey.safeParse(key).success).toBe(ok);
  });
});
