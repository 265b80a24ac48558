import { describe, expect, it } from "vitest";
import { parseTenantBody } from "../../../functions/api/tenant-body.js";

const ID = "11111111-2222-4333-8444-555555555555";
const exists = (name: string) => name === "strict" || name === "security-defaults-enrolled";
const parse = (body: unknown) => parseTenantBody(ID, typeof body === "string" ? body : JSON.stringify(body), exists);
const paths = (r: ReturnType<typeof parse>) => (r.ok ? [] : r.issues.map((i) => i.path).sort());

describe("parseTenantBody", () => {
  it("fills the defaults and takes the id from the path", () => {
    expect(parse({ displayName: " Contoso ", account: "svc@contoso.com" })).toEqual({
      ok: true,
      tenant: {
        tenantId: ID,
        displayName: "Contoso",
        accounts: [{ ref: "svc@contoso.com", kind: "connection", profile: "strict" }],
        recipients: [],
        enabled: true,
      },
    });
  });

  it("takes several accounts of each kind, each profile defaulting to its kind's", () => {
    const r = parse({
      displayName: "Contoso",
      accounts: [
        { ref: "svc@contoso.com" },
        { ref: "svc2@contoso.com", profile: "security-defaults-enrolled" },
        { ref: "bg@contoso.com", kind: "emergency-access" },
      ],
    });
    expect(r.ok || r.issues).toEqual([{ path: "accounts.2.profile", message: 'profile "emergency-access" does not exist' }]);
    const known = parseTenantBody(ID, JSON.stringify({ displayName: "C", accounts: [{ ref: "bg@contoso.com", kind: "emergency-access" }] }), () => true);
    expect(known.ok && known.tenant.accounts).toEqual([{ ref: "bg@contoso.com", kind: "emergency-access", profile: "emergency-access" }]);
  });

  it("refuses both forms at once, neither, an account listed twice, and an unknown field inside an account", () => {
    expect(paths(parse({ displayName: "C", account: "svc@contoso.com", accounts: [{ ref: "svc@contoso.com" }] }))).toEqual(["accounts"]);
    expect(paths(parse({ displayName: "C" }))).toEqual(["accounts"]);
    expect(paths(parse({ displayName: "C", accounts: [] }))).toEqual(["accounts"]);
    expect(paths(parse({ displayName: "C", accounts: [{ ref: "svc@contoso.com" }, { ref: "SVC@contoso.com" }] }))).toEqual(["accounts.1.ref"]);
    expect(paths(parse({ displayName: "C", accounts: [{ ref: "svc@contoso.com", upn: "x" }] }))).toEqual(["accounts.0"]);
    expect(paths(parse({ displayName: "C", accounts: [{ ref: "svc@contoso.com", kind: "robot" }] }))).toEqual(["accounts.0.kind"]);
    expect(paths(parse({ displayName: "C", profile: "strict", accounts: [{ ref: "svc@contoso.com" }] }))).toEqual(["profile"]);
  });

  it("names every bad field by its path", () => {
    expect(paths(parse({ displayName: 3, account: "x", recipients: ["a@b.co", "nope"], profile: "", enabled: 1 }))).toEqual([
      "account",
      "displayName",
      "enabled",
      "profile",
      "recipients.1",
    ]);
    expect(paths(parse({ displayName: "C", account: "svc@contoso.com", recipients: "a@b.co" }))).toEqual(["recipients"]);
    expect(paths(parse({ displayName: "C", account: "svc@contoso.com", profile: "nope" }))).toEqual(["profile"]);
    expect(paths(parse({ displayName: "C", account: "svc@contoso.com", tenantId: "99999999-2222-4333-8444-555555555555" }))).toEqual(["tenantId"]);
    expect(parse({ displayName: "C", account: "svc@contoso.com", tenantId: ID.toUpperCase() }).ok).toBe(true);
  });

  it.each([
    ["displayName", { displayName: "Cont\u202Eoso", account: "svc@contoso.com" }, "displayName", "found U+202E at position 5"],
    ["displayName", { displayName: "Contoso\x1b]0;pwned\x07", account: "svc@contoso.com" }, "displayName", "found U+001B at position 8"],
    ["displayName", { displayName: "Contoso\nStatus: COMPLIANT", account: "svc@contoso.com" }, "displayName", "found U+000A at position 8"],
    ["displayName", { displayName: "Con\u200Btoso", account: "svc@contoso.com" }, "displayName", "found U+200B at position 4"],
    ["account", { displayName: "Contoso", account: "svc\u2066@contoso.com" }, "account", "found U+2066 at position 4"],
    ["account", { displayName: "Contoso", account: "svc\x9b@contoso.com" }, "account", "found U+009B at position 4"],
  ])("refuses a control, bidi or invisible character in %s, saying which and where", (_field, body, path, where) => {
    const r = parse(body);
    expect(r).toMatchObject({ ok: false, issues: [{ path, message: `${path} must not contain control or invisible characters (${where}): remove it` }] });
  });

  it("refuses unknown fields, non-objects, non-JSON, empty and oversized bodies", () => {
    expect(parse({ displayName: "C", account: "svc@contoso.com", accountObjectId: ID })).toMatchObject({
      ok: false,
      issues: [{ path: "", message: "unknown field: accountObjectId" }],
    });
    expect(parse([1])).toMatchObject({ ok: false, issues: [{ message: "the body must be a JSON object" }] });
    expect(parse("null")).toMatchObject({ ok: false });
    expect(parse("{")).toMatchObject({ ok: false, error: expect.stringContaining("not JSON") });
    expect(parseTenantBody(ID, undefined, exists)).toMatchObject({ ok: false, error: expect.stringContaining("required") });
    expect(parseTenantBody(ID, " ", exists)).toMatchObject({ ok: false });
    expect(parse(JSON.stringify({ displayName: "x".repeat(70_000) }))).toMatchObject({ ok: false, error: expect.stringContaining("larger than") });
  });
});
