/**
 * The real @microsoft/microsoft-graph-client against the sim: the bearer token is sent only to
 * hosts in customHosts, next links are followed by PageIterator, and a $batch posts as JSON.
 * This is what the product's collector builds on, so the sim must satisfy it as Graph does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";

describe("simulator with the Microsoft Graph JavaScript client", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  function client(tenantId: string): Client {
    return Client.init({
      authProvider: (done) => done(null, sim.mintToken(tenantId)),
      baseUrl: sim.url,
      customHosts: new Set([new URL(sim.url).hostname]),
      defaultVersion: "v1.0",
    });
  }

  it("reads a user with an apostrophe in the UPN (key syntax, quote doubled), and refuses the raw quote", async () => {
    const c = client(sampleTenant("Contoso").tenantId);
    const user = (await c
      .api(`/users('${encodeURIComponent("o''neil@contoso.com").replace(/'/g, "%27")}')`)
      .select(["id", "userPrincipalName", "accountEnabled"])
      .get()) as { userPrincipalName: string; accountEnabled: boolean };
    expect(user).toMatchObject({ userPrincipalName: "o'neil@contoso.com", accountEnabled: true });
    // encodeURIComponent leaves the quote as it is: a plain segment with a raw quote is refused.
    await expect(c.api(`/users/${encodeURIComponent("o'neil@contoso.com")}`).get()).rejects.toMatchObject({ statusCode: 400 });
  });

  it("pages the baseline's policies with PageIterator", async () => {
    const c = client(sampleTenant("Woodgrove").tenantId);
    const first = (await c.api("/identity/conditionalAccess/policies").get()) as PageCollection;
    const ids: string[] = [];
    const iterator = new PageIterator(c, first, (p: { id: string }) => {
      ids.push(p.id);
      return true;
    });
    await iterator.iterate();
    expect(ids).toHaveLength(35);
  });

  it("posts a beta $batch", async () => {
    const t = sampleTenant("Proseware");
    const res = (await client(t.tenantId)
      .api("/$batch")
      .version("beta")
      .post({ requests: [{ id: "mfa", method: "GET", url: `/users/${t.account}/authentication/requirements` }] })) as {
      responses: { id: string; status: number; body: { perUserMfaState: string } }[];
    };
    expect(res.responses[0]).toMatchObject({ id: "mfa", status: 200, body: { perUserMfaState: "enforced" } });
  });

  it("surfaces Graph's error code from a 404", async () => {
    const t = sampleTenant("Bellows");
    await expect(client(t.tenantId).api(`/users/${t.account}`).get()).rejects.toMatchObject({ statusCode: 404, code: "Request_ResourceNotFound" });
  });
});
