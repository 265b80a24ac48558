import { describe, expect, it } from "vitest";
import { adminConsentUrl } from "../../../cli/doctor/consent-url.js";
import { runCliCaptured as cli } from "../../support/cli.js";

const TENANT = "D7F00000-0000-4000-8000-000000000002";
const CLIENT = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";

describe("adminConsentUrl", () => {
  it("builds the tenant's v1 admin consent link, ids lower-cased", () => {
    const r = adminConsentUrl({ tenantId: TENANT, clientId: CLIENT.toUpperCase() });
    expect(r).toEqual({ ok: true, url: `https://login.microsoftonline.com/${TENANT.toLowerCase()}/adminconsent?client_id=${CLIENT}` });
  });

  it("encodes the redirect URI", () => {
    const r = adminConsentUrl({ tenantId: TENANT, clientId: CLIENT, redirectUri: "https://monitor.example.com/consented?from=cli&x=a b" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const url = new URL(r.url);
    expect(url.searchParams.get("redirect_uri")).toBe("https://monitor.example.com/consented?from=cli&x=a b");
    expect(r.url).toContain("redirect_uri=https%3A%2F%2Fmonitor.example.com%2Fconsented%3Ffrom%3Dcli%26x%3Da+b");
  });

  it("uses another authority (national clouds)", () => {
    const r = adminConsentUrl({ tenantId: TENANT, clientId: CLIENT, authorityHost: "https://login.microsoftonline.us/" });
    expect(r.ok && r.url.startsWith(`https://login.microsoftonline.us/${TENANT.toLowerCase()}/adminconsent?`)).toBe(true);
  });

  it("accepts http only for a loopback redirect", () => {
    expect(adminConsentUrl({ tenantId: TENANT, clientId: CLIENT, redirectUri: "http://localhost:8400/done" }).ok).toBe(true);
    const r = adminConsentUrl({ tenantId: TENANT, clientId: CLIENT, redirectUri: "http://monitor.example.com/" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join()).toMatch(/must use https/);
  });

  it.each([
    [{ tenantId: "contoso.com", clientId: CLIENT }, /not a tenant id/],
    [{ tenantId: TENANT, clientId: undefined }, /--client-id .* or set AZURE_CLIENT_ID/],
    [{ tenantId: TENANT, clientId: "drift-monitor" }, /not an application \(client\) id GUID/],
    [{ tenantId: TENANT, clientId: CLIENT, redirectUri: "/consented" }, /not an absolute URL/],
    [{ tenantId: TENANT, clientId: CLIENT, redirectUri: "https://x.example.com/#done" }, /#fragment/],
    [{ tenantId: TENANT, clientId: CLIENT, authorityHost: "http://login.example.com" }, /AZURE_AUTHORITY_HOST must be an https URL/],
  ])("refuses %j", (input, message) => {
    const r = adminConsentUrl(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join("\n")).toMatch(message);
  });

  it("lists every problem at once", () => {
    const r = adminConsentUrl({ tenantId: "x", clientId: "y", redirectUri: "z" });
    expect(!r.ok && r.problems).toHaveLength(3);
  });
});

describe("drift-monitor consent-url", () => {
  it("prints the link with the client id from AZURE_CLIENT_ID", async () => {
    const { code, out, err } = await cli(["consent-url", "--tenant", TENANT], { AZURE_CLIENT_ID: CLIENT });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toBe(`https://login.microsoftonline.com/${TENANT.toLowerCase()}/adminconsent?client_id=${CLIENT}\n`);
  });

  it("prefers --client-id and takes --redirect-uri", async () => {
    const other = "0a0a0a0a-1111-2222-3333-444444444444";
    const { code, out } = await cli(["consent-url", "--tenant", TENANT, "--client-id", other, "--redirect-uri", "https://localhost/consented"], {
      AZURE_CLIENT_ID: CLIENT,
    });
    expect(code).toBe(0);
    expect(out).toContain(`client_id=${other}`);
    expect(out).toContain("redirect_uri=https%3A%2F%2Flocalhost%2Fconsented");
  });

  it("needs no Graph credential (consent comes before any token)", async () => {
    const { code } = await cli(["consent-url", "--tenant", TENANT, "--client-id", CLIENT]);
    expect(code).toBe(0);
  });

  it.each([
    [["consent-url", "--tenant", TENANT], {}, /AZURE_CLIENT_ID/],
    [["consent-url", "--tenant", "nope"], { AZURE_CLIENT_ID: CLIENT }, /not a tenant id/],
    [["consent-url", "--tenant", TENANT, "--redirect-uri", "ftp://x"], { AZURE_CLIENT_ID: CLIENT }, /must use https/],
    [["consent-url"], { AZURE_CLIENT_ID: CLIENT }, /--tenant/],
  ])("exits 64 on %j", async (argv, env, message) => {
    const { code, out, err } = await cli(argv, env);
    expect(code).toBe(64);
    expect(out).toBe("");
    expect(err).toMatch(message);
  });
});
