/**
 * `drift-monitor tickets map import|show` against Azurite, in-process: a valid file maps every
 * tenant; a file with a bad row maps none and names the line. Tenant ids are random, so the
 * product's Tickets table is shared safely with other files.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { openTicketStore } from "../../lib/tickets/store.js";
import { runCliCaptured, type CliRun } from "../support/cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-tickets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (argv: string[]): Promise<CliRun> => runCliCaptured(argv, { AzureWebJobsStorage: process.env.AzureWebJobsStorage ?? "" });

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("tickets map", () => {
  it("imports every row, and show says where a tenant's tickets go", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const run = await cli(["tickets", "map", "import", csv("ok.csv", `tenantId,psa,companyId,companyName\n${a},halo,250,\n${b},connectwise,,Contoso\n`)]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("mapped 2 tenant(s)");
    const store = openTicketStore(loadStoreSettings(process.env).storage);
    expect(await store.mapping(a)).toEqual({ tenantId: a, psa: "halo", companyId: "250" });
    expect(await store.mapping(b)).toEqual({ tenantId: b, psa: "connectwise", companyName: "Contoso" });
    expect((await cli(["tickets", "map", "show", b])).out).toContain("connectwise company Contoso");
    expect((await cli(["tickets", "map", "show", randomUUID()])).out).toContain("mapped to no PSA company");
  });

  it("imports nothing when a row is bad, naming its line", async () => {
    const a = randomUUID();
    const run = await cli(["tickets", "map", "import", csv("bad.csv", `tenantId,psa,companyId\n${a},halo,250\n${randomUUID()},freshdesk,1\n`)]);
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/line 3: psa is one of/);
    expect(await openTicketStore(loadStoreSettings(process.env).storage).mapping(a)).toBeUndefined();
  });
});
