import { describe, expect, it } from "vitest";
import { renderTable } from "../../../cli/table.js";
import { createProgress } from "../../../cli/progress.js";
import { formatDoctorText } from "../../../cli/doctor/format-text.js";
import type { DoctorReport } from "../../../cli/doctor/types.js";

const RAW = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe("renderTable: a cell cannot break its row or reach the terminal raw", () => {
  it.each([
    ["window title", "a\x1b]0;pwned\x07", "a\\x1B]0;pwned\\x07"],
    ["line break", "a\nStatus: COMPLIANT", "a\\nStatus: COMPLIANT"],
    ["carriage return", "a\rb", "a\\rb"],
    ["tab", "a\tb", "a\\tb"],
    ["C1 CSI", "a\x9b2Jb", "a\\x9B2Jb"],
    ["bidi override", "\u202Egnp.exe", "<U+202E>gnp.exe"],
    ["zero-width space", "ad\u200Bmin", "ad<U+200B>min"],
    ["runs of spaces still collapse", "a   b", "a b"],
  ])("%s", (_name, cell, shown) => {
    const out = renderTable(["NAME", "N"], [[cell, "1"]]);
    expect(out).not.toMatch(RAW);
    const lines = out.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`${shown.padEnd(4)}  1`);
  });

  it("escapes before it cuts, so widths count what is shown", () => {
    const out = renderTable(["NAME"], [["\x1b".repeat(10)]], { maxWidth: 9 });
    expect(out.split("\n")[2]).toBe("\\x1B\\x1B…");
  });
});

describe("progress labels", () => {
  it.each([[undefined], [200]])("columns %s: the label is escaped, the bar's own sequences are the only raw ones", (columns) => {
    let written = "";
    const progress = createProgress(1, { write: (t) => (written += t), ...(columns === undefined ? {} : { columns }) });
    progress.tick("Contoso\x1b]0;pwned\x07\u202E: drifted");
    progress.done();
    expect(written).toContain("Contoso\\x1B]0;pwned\\x07<U+202E>: drifted");
    expect(written.replaceAll("\r\x1b[2K", "")).not.toMatch(RAW);
  });
});

describe("doctor text", () => {
  it("shows the account and Graph's answers with controls and bidi visible", () => {
    const report: DoctorReport = {
      schemaVersion: 1,
      tenantId: "d7f00000-0000-4000-8000-000000000001",
      checkedAt: "2026-01-01T00:00:00.000Z",
      account: { ref: "svc\u202E@contoso.com", found: true, id: "x\x1b[2Ay" },
      token: { ok: false, message: "denied\r\nOK: everything granted", fix: "consent" },
      permissions: [],
      licences: [],
      probes: [],
      ok: false,
      summary: "not ready",
    };
    const out = formatDoctorText(report);
    expect(out).not.toMatch(RAW);
    expect(out).not.toMatch(/^OK/m);
    expect(out).toContain("svc<U+202E>@contoso.com: found (x\\x1B[2Ay)");
    expect(out).toContain("denied\\r\\nOK: everything granted");
  });
});
