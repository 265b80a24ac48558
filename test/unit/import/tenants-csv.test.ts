import { describe, expect, it } from "vitest";
import { formatCsvProblems, parseTenantsCsv, splitCsv } from "../../../cli/tenants-csv.js";

const OPTIONS = { defaultProfile: "strict", profiles: ["strict", "security-defaults-enrolled"] };
const A = "d7f00000-0000-4000-8000-000000000001";
const B = "d7f00000-0000-4000-8000-000000000002";

function problems(text: string): string {
  const r = parseTenantsCsv(text, OPTIONS);
  if (r.ok) throw new Error("expected problems");
  return formatCsvProblems(r.problems);
}

describe("splitCsv", () => {
  it("keeps quoted commas, doubled quotes and newlines, and numbers records by their first line", () => {
    const { records, problems: p } = splitCsv('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\nlast,row');
    expect(p).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 4, fields: ["multi\nline", "z"] },
      { line: 6, fields: ["last", "row"] },
    ]);
  });

  it("reports an unclosed quote at the line it opened", () => {
    expect(splitCsv('a,b\n"open,b\nmore\n').problems).toEqual([{ line: 2, message: expect.stringContaining("never closed") }]);
    expect(splitCsv('\uFEFFa,b\n\n\n"open,b\n\nmore\n').problems).toEqual([{ line: 4, message: expect.stringContaining("never closed") }]);
  });

  it("numbers records by their first line across CRLF, blank and whitespace-only lines", () => {
    const { records } = splitCsv("a,b\r\nc,d\r\n\r\n   \r\ne,f\r\n");
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it.each([
    ["a quote inside an unquoted field", 'a,b\nx"y,z\n', 2, "quote inside a field that does not start with one"],
    ["text after a closing quote", 'a,b\n\n"x" y,z\n', 3, "after its closing quote"],
  ])("reports %s at its line instead of guessing", (_name, text, line, message) => {
    expect(splitCsv(text).problems).toEqual([{ line, message: expect.stringContaining(message) }]);
  });

  it("refuses a 320 KB field of quotes after an unquoted start instead of scanning it quadratically", () => {
    // A splitter that rescans the field at every quote spends half a minute of CPU here.
    const hostile = `tenantId,displayName,account\n${A},x${'"'.repeat(320_000)},svc@a.com\n`;
    expect(splitCsv(hostile).problems).toEqual([{ line: 2, message: expect.stringContaining("quote inside a field") }]);
  });

  it("reads a 320 KB quoted field of doubled quotes as one value", () => {
    const { records, problems: p } = splitCsv(`a,b\n"${'"'.repeat(320_000)}",z\n`);
    expect(p).toEqual([]);
    expect(records[1]?.fields).toEqual(['"'.repeat(160_000), "z"]);
  });
});

describe("parseTenantsCsv", () => {
  it("parses good rows with defaults, ; recipients, any column order and case, a BOM", () => {
    const text = `\uFEFFTenantId,account,displayName,recipients,profile,enabled
${A.toUpperCase()},svc@contoso.com,"Contoso, Ltd",a@x.com; b@y.com,,
${B},D7F10200-0000-4000-8000-000000000001,Fabrikam,,security-defaults-enrolled,no
`;
    const r = parseTenantsCsv(text, OPTIONS);
    expect(r).toEqual({
      ok: true,
      tenants: [
        {
          line: 2,
          tenantId: A,
          displayName: "Contoso, Ltd",
          accounts: [{ key: "", ref: "svc@contoso.com", kind: "connection", profile: "strict", objectId: null }],
          recipients: ["a@x.com", "b@y.com"],
          enabled: true,
        },
        {
          line: 3,
          tenantId: B,
          displayName: "Fabrikam",
          accounts: [{ key: "", ref: "d7f10200-0000-4000-8000-000000000001", kind: "connection", profile: "security-defaults-enrolled", objectId: null }],
          recipients: [],
          enabled: false,
        },
      ],
    });
  });

  it("uses the default profile given", () => {
    const r = parseTenantsCsv(`tenantId,displayName,account\n${A},A,svc@a.com\n`, { ...OPTIONS, defaultProfile: "security-defaults-enrolled" });
    expect(r.ok && r.tenants[0]?.accounts[0]?.profile).toBe("security-defaults-enrolled");
  });

  it("puts a tenant's rows together as its accounts, in file order, each with its kind and profile", () => {
    const text = [
      "tenantId,displayName,account,kind,recipients,profile,enabled",
      `${A},Contoso,svc@contoso.com,,ops@contoso.com,,`,
      `${B},Fabrikam,svc@fabrikam.com,connection,,,`,
      `${A.toUpperCase()},,svc2@contoso.com,connection,,security-defaults-enrolled,`,
      `${A},Contoso,bg1@contoso.com,emergency-access,ops@contoso.com,,`,
    ].join("\n");
    const r = parseTenantsCsv(text, { ...OPTIONS, profiles: [...OPTIONS.profiles, "emergency-access"] });
    expect(
      r.ok && r.tenants.map((t) => [t.tenantId, t.line, t.recipients, t.accounts.map((a) => [a.key === "" ? "" : "key", a.ref, a.kind, a.profile])]),
    ).toEqual([
      [
        A,
        2,
        ["ops@contoso.com"],
        [
          ["", "svc@contoso.com", "connection", "strict"],
          ["key", "svc2@contoso.com", "connection", "security-defaults-enrolled"],
          ["key", "bg1@contoso.com", "emergency-access", "emergency-access"],
        ],
      ],
      [B, 3, [], [["", "svc@fabrikam.com", "connection", "strict"]]],
    ]);
  });

  it("refuses rows of one tenant that disagree, an account listed twice and an unknown kind, by line", () => {
    const text = [
      "tenantId,displayName,account,kind,recipients,profile,enabled",
      `${A},Contoso,svc@contoso.com,,ops@contoso.com,,`,
      `${A},Contoso Ltd,bg1@contoso.com,emergency,other@contoso.com,,no`,
      `${A},,SVC@contoso.com,,,,`,
    ].join("\n");
    const out = problems(text);
    expect(out).toContain("line 3: displayName differs from line 2, the tenant's first row");
    expect(out).toContain("line 3: recipients differs from line 2");
    expect(out).toContain("line 3: enabled differs from line 2");
    expect(out).toContain('line 3: kind must be one of connection, emergency-access (got "emergency")');
    const twice = problems(["tenantId,displayName,account", `${A},Contoso,svc@contoso.com`, `${A},,SVC@contoso.com`].join("\n"));
    expect(twice).toContain('line 3: account SVC@contoso.com is listed twice: list each account once (got "SVC@contoso.com")');
  });

  it("reports every bad row with its line number and what to fix", () => {
    const text = [
      "tenantId,displayName,account,recipients,profile,enabled",
      `${A},Good,svc@good.com,,,`,
      `not-a-guid,Bad id,svc@x.com,,,`,
      `${B},,nobody,ops@x.com;oops,strictest,maybe`,
      "",
      `${A},Duplicate,svc@dup.com,,,`,
      `${B},Too,many,fields,,,`,
    ].join("\n");
    const out = problems(text);
    expect(out).toContain('line 3: tenantId must be a GUID like 00000000-0000-0000-0000-000000000000 (got "not-a-guid")');
    expect(out).toContain("line 4: displayName must not be empty");
    expect(out).toContain('line 4: account must be the monitored account\'s UPN (svc@contoso.com) or its object id (a GUID) (got "nobody")');
    expect(out).toContain('line 4: recipients: "oops" is not an email address');
    expect(out).toContain('line 4: profile "strictest" is unknown: use one of strict, security-defaults-enrolled');
    expect(out).toContain("line 4: enabled must be true or false");
    expect(out).toContain("line 6: displayName differs from line 2, the tenant's first row");
    expect(out).toContain("line 7: has 7 field(s) but the header has 6");
    expect(out).not.toMatch(/^line 2:/m);
  });

  it("refuses control, bidi and invisible characters in a display name or an account, saying which and where", () => {
    const text = [
      "tenantId,displayName,account",
      `${A},"Contoso\nStatus: COMPLIANT",svc@contoso.com`,
      `${B},Fabri\u202Ekam,svc\u200B@fabrikam.com`,
      `${A.replace("1", "3")},Tailspin\x1b]0;pwned\x07,svc@tailspin.com`,
    ].join("\n");
    const out = problems(text);
    expect(out).toContain("line 2: displayName must not contain control or invisible characters (found U+000A at position 8): remove it");
    expect(out).toContain("line 4: displayName must not contain control or invisible characters (found U+202E at position 6): remove it");
    expect(out).toContain(
      'line 4: account must not contain control or invisible characters (found U+200B at position 4): remove it (got "svc<U+200B>@fabrikam.com")',
    );
    expect(out).toContain("line 5: displayName must not contain control or invisible characters (found U+001B at position 9): remove it");
    expect(out).not.toMatch(/(?!\n)[\p{Cc}\p{Cf}]/u);
  });

  it("explains a bad header, an empty file and a header alone", () => {
    expect(problems("")).toContain("the file is empty");
    expect(problems("tenantId,displayName,account\n")).toContain("no tenants");
    const header = problems(`tenant,displayName\n${A},x\n`);
    expect(header).toContain('line 1: unknown column "tenant"');
    expect(header).toContain('line 1: the header must name "tenantId", "account"');
  });
});
