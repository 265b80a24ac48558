/**
 * The PSA simulators' own contract, over HTTPS with plain fetch: what a client needs beyond the
 * paths lib/tickets exercises (pagination as each vendor documents it, the clientId header,
 * Autotask's zone lookup without credentials, Halo's token).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPsaSimulator, type RunningPsaSimulator } from "../../sim/psa/testing.js";
import { parseConditions } from "../../sim/psa/connectwise.js";

const seed = { companies: Array.from({ length: 7 }, (_, i) => ({ name: `Company ${i}`, identifier: `C${i}` })) };

describe("ConnectWise simulator", () => {
  let sim: RunningPsaSimulator;
  beforeAll(async () => {
    sim = await startTestPsaSimulator("connectwise", { seed });
  });
  afterAll(() => sim.stop());
  const c = () => sim.credentials.connectwise;
  const auth = () => `Basic ${Buffer.from(`${c().company}+${c().publicKey}:${c().privateKey}`).toString("base64")}`;

  it("needs the clientId header as well as the keys", async () => {
    const url = `${sim.apiBase}/company/companies?conditions=${encodeURIComponent('identifier = "C1"')}`;
    expect((await fetch(url, { headers: { Authorization: auth() } })).status).toBe(401);
    const ok = await fetch(url, { headers: { Authorization: auth(), clientId: c().clientId } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ id: 251, identifier: "C1", name: "Company 1" }]);
  });

  it("pages with page/pageSize and a Link rel=next header", async () => {
    const headers = { Authorization: auth(), clientId: c().clientId };
    for (let i = 0; i < 5; i++) sim.state.addTicket({ companyId: 250, summary: `t${i}`, description: "", priority: 1, status: 1, created: {} });
    const all: unknown[] = [];
    let pages = 0;
    let page: string | undefined = `${sim.apiBase}/service/tickets?pageSize=2&conditions=${encodeURIComponent("company/id = 250")}`;
    while (page) {
      const res = await fetch(page, { headers });
      all.push(...((await res.json()) as unknown[]));
      pages += 1;
      page = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
    }
    expect(all).toHaveLength(5);
    expect(pages).toBe(3);
    const one = await fetch(`${sim.apiBase}/service/tickets?pageSize=5&conditions=${encodeURIComponent("company/id = 250")}`, { headers });
    expect(one.headers.get("link")).toBeNull();
  });

  it.each([
    [
      'externalXRef = "k1" and company/id = 250',
      [
        { field: "externalxref", value: "k1" },
        { field: "company/id", value: 250 },
      ],
    ],
    ['summary = "say \\"hi\\""', [{ field: "summary", value: 'say "hi"' }]],
    ["closedFlag = false", [{ field: "closedflag", value: false }]],
  ])("reads the conditions %s", (text, expected) => {
    expect(parseConditions(text)).toEqual(expected);
  });

  it.each(["", "summary like 'x'", 'a = "unterminated'])("refuses the conditions %j", (text) => {
    expect(typeof parseConditions(text)).toBe("string");
  });
});

describe("Autotask simulator", () => {
  it("answers the zone lookup without credentials and pages queries with nextPageUrl", async () => {
    const sim = await startTestPsaSimulator("autotask", { seed });
    try {
      const zone = await fetch(`${sim.apiBase}/zoneInformation?user=${encodeURIComponent(sim.credentials.autotask.userName)}`);
      expect(await zone.json()).toMatchObject({ url: `${sim.url}/atservicesrest/` });
      const headers = {
        ApiIntegrationCode: sim.credentials.autotask.integrationCode,
        UserName: sim.credentials.autotask.userName,
        Secret: sim.credentials.autotask.secret,
      };
      const body = JSON.stringify({ filter: [{ op: "beginsWith", field: "companyName", value: "Company" }], maxRecords: 3 });
      let res = await fetch(`${sim.apiBase}/Companies/query`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body });
      const names: string[] = [];
      for (;;) {
        const page = (await res.json()) as { items: { companyName: string }[]; pageDetails: { nextPageUrl: string | null } };
        names.push(...page.items.map((i) => i.companyName));
        if (!page.pageDetails.nextPageUrl) break;
        res = await fetch(page.pageDetails.nextPageUrl, { headers });
      }
      expect(names).toHaveLength(7);
      expect((await fetch(`${sim.apiBase}/Companies/query`, { method: "POST", headers: { ...headers, Secret: "no" }, body })).status).toBe(401);
    } finally {
      await sim.stop();
    }
  });
});

describe("Halo simulator", () => {
  it("issues a token for the client's credentials only, and pages with pageinate", async () => {
    const sim = await startTestPsaSimulator("halo", { seed });
    try {
      const form = (secret: string) =>
        new URLSearchParams({ grant_type: "client_credentials", client_id: sim.credentials.halo.clientId, client_secret: secret, scope: "all" });
      expect((await fetch(`${sim.url}/auth/token`, { method: "POST", body: form("wrong") })).status).toBe(401);
      const { access_token } = (await (await fetch(`${sim.url}/auth/token`, { method: "POST", body: form(sim.credentials.halo.clientSecret) })).json()) as {
        access_token: string;
      };
      const headers = { Authorization: `Bearer ${access_token}` };
      const page = (n: number) => fetch(`${sim.url}/api/Client?search=Company&pageinate=true&page_size=3&page_no=${n}`, { headers }).then((r) => r.json());
      expect(await page(1)).toMatchObject({ record_count: 7, clients: [{ id: 250 }, { id: 251 }, { id: 252 }] });
      expect(await page(3)).toMatchObject({ record_count: 7, clients: [{ id: 256 }] });
      expect((await fetch(`${sim.url}/api/Client`, { headers: { Authorization: "Bearer forged" } })).status).toBe(401);
    } finally {
      await sim.stop();
    }
  });
});
