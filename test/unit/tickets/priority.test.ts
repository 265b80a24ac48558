/** Severity → PSA priority: the defaults per PSA, a configured mapping over them, and the setting's parser. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PRIORITIES,
  parsePriorityMap,
  PSA_KINDS,
  priorityFor,
  type PriorityMap,
  type PriorityRef,
  type PsaKind,
} from "../../../lib/tickets/priority.js";
import { SEVERITIES, type Severity } from "../../../lib/checks/severity.js";

describe("priorityFor", () => {
  const table: [PsaKind, Severity, PriorityRef][] = [
    ["connectwise", "now", { name: "Priority 1 - Emergency Response" }],
    ["connectwise", "soon", { name: "Priority 2 - Quick Response" }],
    ["connectwise", "notice", { name: "Priority 3 - Normal Response" }],
    ["autotask", "now", { name: "Critical" }],
    ["autotask", "soon", { name: "High" }],
    ["halopsa", "notice", { name: "Medium" }],
  ];
  it.each(table)("%s %s → %o", (psa, severity, expected) => {
    expect(priorityFor(psa, severity)).toEqual(expected);
  });

  it("takes a configured priority over the default, severity by severity", () => {
    const configured: Partial<PriorityMap> = { now: { id: 4 } };
    expect(priorityFor("autotask", "now", configured)).toEqual({ id: 4 });
    expect(priorityFor("autotask", "soon", configured)).toEqual({ name: "High" });
  });

  it("maps every severity of every PSA, and more severe never to the same priority as less severe", () => {
    for (const psa of PSA_KINDS) {
      const refs = SEVERITIES.map((s) => JSON.stringify(DEFAULT_PRIORITIES[psa][s]));
      expect(new Set(refs).size).toBe(SEVERITIES.length);
    }
  });
});

describe("parsePriorityMap", () => {
  const table: [string, ReturnType<typeof parsePriorityMap>][] = [
    ["now=8", { ok: true, map: { now: { id: 8 } } }],
    [" now = 8 ; soon=Priority 2 - Quick Response;", { ok: true, map: { now: { id: 8 }, soon: { name: "Priority 2 - Quick Response" } } }],
    ["notice=P3, low", { ok: true, map: { notice: { name: "P3, low" } } }],
    ["", { ok: true, map: {} }],
    ["urgent=1", { ok: false, message: '"urgent=1": severity must be one of now, soon, notice' }],
    ["now", { ok: false, message: '"now": each entry is severity=priority, e.g. now=1 or now=Priority 1 - Emergency Response' }],
    ["now=", { ok: false, message: '"now=": each entry is severity=priority, e.g. now=1 or now=Priority 1 - Emergency Response' }],
    ["now=1;now=2", { ok: false, message: '"now" is given twice' }],
  ];
  it.each(table)("%j", (text, expected) => {
    expect(parsePriorityMap(text)).toEqual(expected);
  });
});
