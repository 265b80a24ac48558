import { describe, expect, it } from "vitest";
import { redact, registerSecrets } from "../../../lib/errors/redact.js";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
registerSecrets(["Sup3r~Secret.Value", "QUNTLWtleS1zZWNyZXQ=", "https://hooks.example.net/services/T000/B000/XYZSECRETPATH", undefined, "short"]);

describe("redact", () => {
  it.each([
    ["a configured secret", "AADSTS7000215: Invalid client secret provided: Sup3r~Secret.Value.", "Sup3r~Secret.Value", "AADSTS7000215"],
    ["a configured secret, URL-encoded", "client_id=x&body=Sup3r~Secret.Value&x=QUNTLWtleS1zZWNyZXQ%3D", "QUNTLWtleS1zZWNyZXQ%3D", "client_id=x"],
    ["an ACS key", "Denied: key QUNTLWtleS1zZWNyZXQ= is not valid", "QUNTLWtleS1zZWNyZXQ=", "Denied"],
    ["a configured webhook URL", "POST https://hooks.example.net/services/T000/B000/XYZSECRETPATH failed", "XYZSECRETPATH", "POST"],
    ["a configured webhook URL's path alone", "no route for /services/T000/B000/XYZSECRETPATH", "XYZSECRETPATH", "no route for"],
    [
      "a known webhook host's path",
      "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456 gone",
      "IncomingWebhook",
      "contoso.webhook.office.com",
    ],
    ["a JWT", `InvalidAuthenticationToken: token ${JWT} expired`, JWT, "InvalidAuthenticationToken"],
    ["a bearer token", "Authorization failed for Bearer opaque-token-123456", "opaque-token-123456", "Bearer [redacted]"],
    ["an Authorization header", "headers: Authorization: SharedKey acct:abcdefg, host", "SharedKey acct:abcdefg", "Authorization: [redacted]"],
    ["sig=", "GET https://x.blob.core.windows.net/c?sv=2020&sig=AbC%2Fdef123 403", "AbC%2Fdef123", "sv=2020"],
    ["code=", "GET /api/tenants?code=FUNCTIONKEY123 failed", "FUNCTIONKEY123", "/api/tenants?code=[redacted]"],
    ["key=", "endpoint=https://x.communication.azure.com/;accesskey=bm90LXJlZ2lzdGVyZWQ=", "bm90LXJlZ2lzdGVyZWQ=", "accesskey=[redacted]"],
    ["client_secret=", "body grant_type=client_credentials&client_secret=unregistered-secret&scope=x", "unregistered-secret", "grant_type=client_credentials"],
  ])("removes %s and keeps the rest", (_what, text, secret, kept) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
  });

  it.each([
    "Graph answered 403 for the account: Authorization_RequestDenied: Insufficient privileges",
    "AADSTS65001: The user or administrator has not consented",
    "ACS 429 TooManyRequests: slow down",
  ])("leaves text without secrets alone: %s", (text) => {
    expect(redact(text)).toBe(text);
  });
});
