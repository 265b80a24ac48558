/**
 * Operators' standings through the real diff, step by step: an acknowledgement stops reminders
 * until it expires or the cause changes (then one re-alert), an exception turns a drift into an
 * excepted finding and back (mailed once), its expiry is noticed once, and anything beyond it is a drift.
 */
import { describe, expect, it } from "vitest";
import { causeOf, effectiveStatus, standingOf, type Standings } from "../../../lib/drift/standing.js";
import { ESTATE_SCOPE, type Acknowledgement, type ApprovedException } from "../../../lib/model/standing.js";
import { at, play, report, TENANT, type Step } from "./diff-helpers.js";

const SD = "security-defaults|";
const iso = (hours: number) => at(hours).toISOString();

function ack(over: Partial<Acknowledgement> = {}): Acknowledgement {
  return {
    schemaVersion: 1,
    tenantId: TENANT,
    findingKey: SD,
    reason: "customer asked, on it",
    by: "ann@msp.example",
    at: iso(1),
    until: iso(1 + 7 * 24),
    cause: causeOf({ subject: "", summary: "security-defaults is fail", reason: null }),
    episode: iso(0),
    ...over,
  };
}

function exception(over: Partial<ApprovedException> = {}): ApprovedException {
  return {
    schemaVersion: 1,
    id: "check:security-defaults",
    scope: TENANT,
    target: { kind: "check-waived", checkId: "security-defaults" },
    reason: "automation moved to a workload identity",
    owner: "Bob",
    reference: "CHG-42",
    expiresAt: iso(60 * 24),
    by: "ann@msp.example",
    at: iso(1),
    ...over,
  };
}

const with_ = (standings: Partial<Standings>): Standings => ({ acks: [], exceptions: [], ...standings });
const fail = { "security-defaults": "fail" } as const;

describe("an acknowledgement", () => {
  it.each<[string, Step[]]>([
    [
      "stops reminders while it holds; its expiry re-alerts once, then reminders run again",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 25, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
        { hours: 100, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
        { hours: 1 + 7 * 24, checks: fail, standings: with_({ acks: [ack()] }), expect: [`reminder:${SD}`] },
        { hours: 2 + 7 * 24, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
        { hours: 26 + 7 * 24, checks: fail, standings: with_({ acks: [ack()] }), expect: [`reminder:${SD}`] },
      ],
    ],
    [
      "re-alerts once when the cause changes, and does not cover the new cause",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 25, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
        {
          hours: 26,
          checks: fail,
          summaries: { "security-defaults": "enabled again by another admin" },
          standings: with_({ acks: [ack()] }),
          expect: [`reminder:${SD}`],
        },
        { hours: 27, checks: fail, summaries: { "security-defaults": "enabled again by another admin" }, standings: with_({ acks: [ack()] }), expect: [] },
      ],
    ],
    [
      "does not hold back the resolved email, nor cover the next episode",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
        { hours: 3, standings: with_({ acks: [ack()] }), expect: [`resolved:${SD}`] },
        { hours: 30, checks: fail, standings: with_({ acks: [ack()] }), expect: [`drift-detected:${SD}`] },
      ],
    ],
  ])("%s", (_name, steps) => {
    play(steps);
  });

  it("says in the re-alert why the acknowledgement no longer holds", () => {
    const { transitions } = play([
      { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
      { hours: 2, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
      { hours: 3, checks: fail, summaries: { "security-defaults": "changed" }, standings: with_({ acks: [ack()] }), expect: [`reminder:${SD}`] },
      {
        hours: 200,
        checks: fail,
        summaries: { "security-defaults": "changed" },
        standings: with_({ acks: [ack({ cause: "changed", until: iso(300) })] }),
        expect: [],
      },
      {
        hours: 400,
        checks: fail,
        summaries: { "security-defaults": "changed" },
        standings: with_({ acks: [ack({ cause: "changed", until: iso(300) })] }),
        expect: [`reminder:${SD}`],
      },
    ]);
    expect(transitions[2]?.[0]).toMatchObject({ acknowledgement: expect.stringContaining("no longer covers it: the finding changed") });
    expect(transitions[4]?.[0]).toMatchObject({ acknowledgement: `acknowledged by ann@msp.example ("customer asked, on it"), which expired at ${iso(300)}` });
  });

  it("is shown with the finding: by whom, until when, why", () => {
    const { states } = play([
      { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
      { hours: 2, checks: fail, standings: with_({ acks: [ack()] }), expect: [] },
    ]);
    const f = states[1]?.findings[0];
    expect(f).toMatchObject({ state: "acknowledged", status: "open", standing: { kind: "acknowledged", by: "ann@msp.example", until: iso(169) } });
  });
});

describe("an approved exception", () => {
  it("turns a drift into an excepted finding, notices its coming expiry once, and its expiry back into a drift, mailed once", () => {
    const e = exception({ expiresAt: iso(30 * 24) });
    const s = with_({ exceptions: [e] });
    const { states } = play([
      { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
      { hours: 2, checks: fail, standings: s, expect: [] },
      { hours: 30, checks: fail, standings: s, expect: [] },
      { hours: 16 * 24 + 1, checks: fail, standings: s, expect: [`early-warning:exception|${TENANT}/check:security-defaults`] },
      { hours: 17 * 24, checks: fail, standings: s, expect: [] },
      { hours: 30 * 24, checks: fail, standings: s, expect: [`drift-detected:${SD}`, `early-warning:exception|${TENANT}/check:security-defaults`] },
      { hours: 30 * 24 + 1, checks: fail, standings: s, expect: [] },
    ]);
    expect(states[1]?.findings[0]).toMatchObject({ state: "excepted", status: "resolved", standing: { kind: "excepted", owner: "Bob", until: iso(720) } });
    expect(states[6]?.findings[0]).toMatchObject({ state: "open" });
    expect(states[6]?.findings[0]?.standing).toBeUndefined();
  });

  it("of a policy: a change of its controls, or a second blocking policy, is a drift", () => {
    const policy = exception({ id: "policy:p1", target: { kind: "policy-may-apply", policy: "p1", controls: "block" } });
    const s = with_({ exceptions: [policy] });
    play([
      { hours: 0, blocking: ["p1"], controls: { p1: ["block"] }, standings: s, expect: [] },
      { hours: 1, blocking: ["p1", "p2"], controls: { p1: ["block"] }, standings: s, expect: ["drift-detected:conditional-access|p2"] },
      { hours: 2, blocking: ["p1"], controls: { p1: ["block"] }, standings: s, expect: ["resolved:conditional-access|p2"] },
      { hours: 3, blocking: ["p1"], controls: { p1: ["mfa"] }, standings: s, expect: ["drift-detected:conditional-access|p1"] },
    ]);
  });

  it("as an estate-wide template names the policy by its name, and a tenant's own exception wins", () => {
    const r = report({ hours: 0, blocking: ["p1"], controls: { p1: ["block"] }, expect: [] });
    const ref = {
      key: "conditional-access|p1",
      checkId: "conditional-access",
      subject: "p1",
      subjectName: "Policy p1",
      summary: "",
      reason: null,
      remediation: null,
      evidence: [],
      since: iso(0),
    };
    const estate = exception({
      id: "policy:Policy p1",
      scope: ESTATE_SCOPE,
      target: { kind: "policy-may-apply", policy: "Policy p1", controls: "block" },
      owner: "Estate",
    });
    const own = exception({ id: "check:conditional-access", target: { kind: "check-waived", checkId: "conditional-access" }, owner: "Own" });
    const byId = { ...estate, target: { kind: "policy-may-apply" as const, policy: "p1", controls: "block" } };
    expect(standingOf(ref, iso(0), r, with_({ exceptions: [estate] }), at(1))).toMatchObject({ kind: "excepted", owner: "Estate" });
    expect(standingOf(ref, iso(0), r, with_({ exceptions: [estate, own] }), at(1))).toMatchObject({ kind: "excepted", owner: "Own" });
    expect(standingOf(ref, iso(0), r, with_({ exceptions: [byId] }), at(1))).toBeUndefined();
    expect(standingOf(ref, iso(0), r, with_({ exceptions: [{ ...own, scope: "another-tenant" }] }), at(1))).toBeUndefined();
  });
});

describe("a tenant's status with its exceptions applied", () => {
  const drifted = report({ hours: 0, checks: fail, expect: [] });
  const alsoUnknown = report({ hours: 0, checks: { ...fail, "per-user-mfa": "unknown" }, expect: [] });
  it.each([
    ["drifted only in what an exception allows: compliant", drifted, [{ status: "resolved", state: "excepted" }], "compliant"],
    ["excepted, and a check could not be judged: unknown", alsoUnknown, [{ status: "resolved", state: "excepted" }], "unknown"],
    [
      "an open finding beside the excepted one: drifted",
      drifted,
      [
        { status: "resolved", state: "excepted" },
        { status: "open", state: "open" },
      ],
      "drifted",
    ],
    ["acknowledged is still a drift", drifted, [{ status: "open", state: "acknowledged" }], "drifted"],
    ["nothing excepted: as the report says", drifted, [], "drifted"],
  ] as const)("%s", (_name, lastReport, findings, status) => {
    expect(effectiveStatus({ lastReport, findings })).toBe(status);
  });
});
