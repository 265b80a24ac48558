/** The audit export's CSV never hands a spreadsheet a formula from an operator's or a tenant's text. */
import { describe, expect, it } from "vitest";
import { spreadsheetSafe } from "../../../cli/commands/audit.js";

describe("spreadsheetSafe", () => {
  it.each([
    ['=HYPERLINK("https://attacker.example","x")', '\'=HYPERLINK("https://attacker.example","x")'],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["Ada Operator", "Ada Operator"],
    ["2026-12-06T23:00:00.000Z", "2026-12-06T23:00:00.000Z"],
    ["", ""],
    ["a=b", "a=b"],
  ])("%j → %j", (input, expected) => {
    expect(spreadsheetSafe(input)).toBe(expected);
  });
});
