/** The collector's credentials (client secret, certificate, federated) against the simulator's token endpoint. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { clearCredentialCache, TOKEN_EXCHANGE_SCOPE, type CredentialDeps } from "../../lib/graph/index.js";
import { generate } from "selfsigned";
import type { Settings } from "../../lib/config/settings.js";
import { FACT_KEYS, TREY, WOODGROVE, collect, failed, idOf, sim, useSimulator } from "./collect-helpers.js";

useSimulator();

describe("credentials against the simulator's token endpoint", () => {
  const secretSettings = (): Pick<Settings, "graphEndpoint" | "graphAuth"> => ({
    graphEndpoint: sim.url,
    graphAuth: { mode: "secret", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", clientSecret: "test-secret", authorityHost: sim.url },
  });

  beforeEach(() => clearCredentialCache());

  it("ClientSecretCredential gets a token from the sim and reuses it across runs", async () => {
    const first = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, secretSettings());
    expect(failed(first.facts)).toEqual([]);
    const second = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, secretSettings());
    expect(failed(second.facts)).toEqual([]);
    // One token for both runs: the credential (and its token cache) is kept per tenant.
    expect(sim.state.counters.byEndpoint.token).toBe(1);
  });

  it("consent revoked: the token is refused (AADSTS65001) and every fact is `forbidden`", async () => {
    const { facts } = await collect(TREY, { accountObjectId: "d7f10c00-0000-4000-8000-000000000001" }, secretSettings());
    for (const k of FACT_KEYS) expect(facts[k], k).toMatchObject({ ok: false, code: "forbidden" });
    expect(facts.signIns.ok ? "" : facts.signIns.reason).toContain("AADSTS65001");
  });

  it("ClientCertificateCredential (PEM with the private key) signs an assertion the sim accepts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-graph-cert-"));
    try {
      // An app registration's certificate: RSA, as Entra (and MSAL's RS256/PS256 assertion) wants.
      const pems = await generate([{ name: "commonName", value: "drift-monitor test app" }], { keyType: "rsa", keySize: 2048, algorithm: "sha256" });
      const path = join(dir, "app.pem");
      writeFileSync(path, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
      const settings: Pick<Settings, "graphEndpoint" | "graphAuth"> = {
        graphEndpoint: sim.url,
        graphAuth: { mode: "certificate", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", certificatePath: path, authorityHost: sim.url },
      };
      const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, settings);
      expect(failed(facts)).toEqual([]);
      expect(sim.state.counters.byEndpoint.token).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("federated: the managed identity's token for api://AzureADTokenExchange is the client assertion", async () => {
    const asked: string[] = [];
    const deps: CredentialDeps = {
      managedIdentity: (clientId) => ({
        getToken: async (scopes) => {
          asked.push(`${clientId} ${String(scopes)}`);
          return { token: "managed-identity-jwt", expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      }),
    };
    const settings: Pick<Settings, "graphEndpoint" | "graphAuth"> = {
      graphEndpoint: sim.url,
      graphAuth: { mode: "federated", clientId: "0c0ffee0-0000-4000-8000-00000000abcd", managedIdentityClientId: "mi-client-id", authorityHost: sim.url },
    };
    const { facts } = await collect(WOODGROVE, { accountObjectId: idOf(WOODGROVE) }, settings, deps);
    expect(failed(facts)).toEqual([]);
    // MSAL may ask for the assertion more than once per token; it must always be this scope.
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([`mi-client-id ${TOKEN_EXCHANGE_SCOPE}`]));
    expect(sim.state.counters.byEndpoint.token).toBe(1);
  });
});
