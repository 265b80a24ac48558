import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearCredentialCache,
  createCredential,
  CredentialConfigError,
  getCredential,
  SharedTokenCredential,
  StaticTokenCredential,
} from "../../../lib/graph/credentials.js";
import type { GraphAuthSettings } from "../../../lib/config/settings.js";

const TENANT = "11111111-1111-4111-8111-111111111111";
const base = { authorityHost: "https://login.microsoftonline.com", clientId: "app" };

describe("createCredential", () => {
  it.each<[GraphAuthSettings, unknown]>([
    [{ ...base, mode: "token", accessToken: "t" }, StaticTokenCredential],
    [{ ...base, mode: "secret", clientSecret: "s" }, ClientSecretCredential],
    [{ ...base, mode: "certificate", certificatePath: "/nonexistent/app.pem" }, ClientCertificateCredential],
    [{ ...base, mode: "federated", managedIdentityClientId: "mi" }, ClientAssertionCredential],
  ])("%o", (auth, type) => {
    expect(createCredential(TENANT, auth, { managedIdentity: () => new StaticTokenCredential("mi-token") })).toBeInstanceOf(type as never);
  });

  it("names the missing setting", () => {
    expect(() => createCredential(TENANT, { ...base, mode: "secret" })).toThrow(CredentialConfigError);
    expect(() => createCredential(TENANT, { ...base, mode: "secret" })).toThrow(/AZURE_CLIENT_SECRET/);
    expect(() => createCredential(TENANT, { ...base, mode: "federated" })).toThrow(/MANAGED_IDENTITY_CLIENT_ID/);
  });

  it("a static token reports the JWT's expiry", async () => {
    const payload = Buffer.from(JSON.stringify({ exp: 2_000_000_000, tid: TENANT })).toString("base64url");
    const token = await new StaticTokenCredential(`h.${payload}.s`).getToken();
    expect(token.expiresOnTimestamp).toBe(2_000_000_000_000);
  });
});

describe("getCredential", () => {
  beforeEach(() => clearCredentialCache());
  it("one credential per tenant, shared; a new one when the secret changes", () => {
    const auth: GraphAuthSettings = { ...base, mode: "secret", clientSecret: "s1" };
    const a = getCredential(TENANT, auth);
    expect(a).toBeInstanceOf(SharedTokenCredential);
    expect(getCredential(TENANT.toUpperCase(), auth)).toBe(a);
    expect(getCredential("22222222-2222-4222-8222-222222222222", auth)).not.toBe(a);
    expect(getCredential(TENANT, { ...auth, clientSecret: "s2" })).not.toBe(a);
  });
});
