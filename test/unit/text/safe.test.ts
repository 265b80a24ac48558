import { describe, expect, it } from "vitest";
import { firstUnsafe, safeJson, safeLines, safeMarkupText, safeStrings, safeText } from "../../../lib/text/safe.js";

describe("safeText: one value, every unsafe character visible", () => {
  it.each([
    ["plain text", "Require MFA for admins", "Require MFA for admins"],
    ["non-Latin text and emoji stay", "Ünïcødé 株式会社 مرحبا 🔒", "Ünïcødé 株式会社 مرحبا 🔒"],
    ["window title (OSC 0, BEL)", "\x1b]0;pwned\x07", "\\x1B]0;pwned\\x07"],
    ["clipboard write (OSC 52, ST)", "\x1b]52;c;cm0gLXJmIH4=\x1b\\", "\\x1B]52;c;cm0gLXJmIH4=\\x1B\\"],
    ["CSI colour", "\x1b[31mred\x1b[0m", "\\x1B[31mred\\x1B[0m"],
    ["CR overwrite", "x\rStatus: COMPLIANT", "x\\rStatus: COMPLIANT"],
    ["cursor up", "x\x1b[1AStatus: COMPLIANT", "x\\x1B[1AStatus: COMPLIANT"],
    ["newline and tab", "a\nb\tc", "a\\nb\\tc"],
    ["NUL, backspace, DEL", "\x00\x08\x7f", "\\x00\\x08\\x7F"],
    ["C1 CSI and NEL", "\x9b31m\x85", "\\x9B31m\\x85"],
    ["bidi override and pop", "\u202Etxt.exe\u202C", "<U+202E>txt.exe<U+202C>"],
    ["bidi isolates", "\u2066a\u2067b\u2068c\u2069", "<U+2066>a<U+2067>b<U+2068>c<U+2069>"],
    ["bidi embeddings and marks", "\u202A\u202B\u202D\u200E\u200F\u061C", "<U+202A><U+202B><U+202D><U+200E><U+200F><U+061C>"],
    ["zero-width and joiners", "a\u200Bb\u200Cc\u200Dd\u2060e", "a<U+200B>b<U+200C>c<U+200D>d<U+2060>e"],
    ["BOM and soft hyphen", "\uFEFFad\u00ADmin", "<U+FEFF>ad<U+00AD>min"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a<U+2028>b<U+2029>c"],
    ["Hangul filler", "a\u3164b", "a<U+3164>b"],
    ["tag characters (astral)", "a\u{E0041}b", "a<U+E0041>b"],
    ["an escape typed as text is left alone", "C:\\x1B <U+202E>", "C:\\x1B <U+202E>"],
  ])("%s", (_name, input, expected) => {
    expect(safeText(input)).toBe(expected);
  });
});

describe("safeLines and safeMarkupText keep layout whitespace", () => {
  it.each([
    [safeLines, "a\nb\x1b[2Kc\td\re", "a\nb\\x1B[2Kc\\td\\re"],
    [safeMarkupText, "a\nb\x1b[2Kc\td\re\u202E", "a\nb\\x1B[2Kc\td\re<U+202E>"],
  ])("%o", (fn, input, expected) => {
    expect(fn(input)).toBe(expected);
  });
});

describe("firstUnsafe", () => {
  it.each([
    ["Contoso", undefined],
    ["Cont\u202Eoso", { codePoint: "U+202E", position: 5 }],
    ["🔒x\x1b", { codePoint: "U+001B", position: 3 }],
    ["a\nb", { codePoint: "U+000A", position: 2 }],
  ])("%j", (input, expected) => {
    expect(firstUnsafe(input)).toEqual(expected);
  });
});

describe("safeStrings", () => {
  it("escapes every string in nested plain data and keeps everything else", () => {
    const input = { name: "a\u202E", n: 1, ok: true, none: null, list: ["\x1b", { deep: "x\ny" }] };
    expect(safeStrings(input)).toEqual({ name: "a<U+202E>", n: 1, ok: true, none: null, list: ["\\x1B", { deep: "x\\ny" }] });
  });
});

describe("safeJson", () => {
  const value = { name: "\u202Eevil\u200B\x1b]0;t\x07\u0085\u2028\x7f", list: ["🔒", "a\nb"] };

  it("parses back to exactly the same data", () => {
    expect(JSON.parse(safeJson(value))).toEqual(value);
  });

  it("has no raw control, bidi or invisible character but its own line breaks", () => {
    const text = safeJson(value);
    expect(text).not.toMatch(/(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u);
    expect(text).toContain("\\u202e");
    expect(text.endsWith("}\n")).toBe(true);
  });
});
