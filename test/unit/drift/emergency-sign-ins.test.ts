/**
 * Every sign-in of an emergency access account is mailed once (lib/drift/emergency-sign-ins.ts):
 * across overlapping look-back windows, late arrivals, failures, an unreadable log, the memory's
 * horizon and its cap; and through diff, into the state row and back.
 */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { emergencySignIns, MAILED_CAP } from "../../../lib/drift/emergency-sign-ins.js";
import type { SignInFact } from "../../../lib/model/facts.js";
import { tenantStateSchema, type EmergencySignInMemory, type Transition } from "../../../lib/model/state.js";
import { at, report } from "./diff-helpers.js";

const T = (h: number): string => new Date(Date.UTC(2026, 2, 4, 0, 0) + h * 3_600_000).toISOString();

const signIn = (id: string, hour: number, over: Partial<SignInFact> = {}): SignInFact => ({
  id,
  createdDateTime: T(hour),
  appDisplayName: "Azure Portal",
  appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
  resourceId: null,
  resourceDisplayName: null,
  ipAddress: "203.0.113.7",
  errorCode: 0,
  failureReason: null,
  conditionalAccessStatus: "notApplied",
  isInteractive: true,
  clientAppUsed: "Browser",
  city: "Seattle",
  countryOrRegion: "US",
  ...over,
});

interface Run {
  /** Collection time, in hours after T(0). */
  readonly hour: number;
  /** What this run's window read; null = unreadable. */
  readonly read: readonly SignInFact[] | null;
  /** The sign-in ids mailed by this run. */
  readonly mailed: readonly string[];
}

/** Runs one account's runs in order with a 24-hour window; returns the last memory. */
function runs(steps: readonly Run[], start?: EmergencySignInMemory): EmergencySignInMemory | undefined {
  let memory = start;
  for (const step of steps) {
    const r = emergencySignIns(memory, { signIns: step.read, collectedAt: T(step.hour), lookbackHours: 24 });
    expect(
      r.transitions.map((t) => (t.kind === "emergency-sign-in" ? t.signIn.id : t.kind)),
      `run at hour ${step.hour}`,
    ).toEqual(step.mailed);
    memory = r.remembered;
  }
  return memory;
}

describe("emergency sign-ins: each one mailed once", () => {
  it.each<[string, Run[]]>([
    ["the first run mails what its window holds, oldest first", [{ hour: 30, read: [signIn("b", 20), signIn("a", 10)], mailed: ["a", "b"] }]],
    [
      "overlapping windows: a sign-in read twice is mailed once",
      [
        { hour: 12, read: [signIn("a", 10)], mailed: ["a"] },
        { hour: 13, read: [signIn("a", 10)], mailed: [] },
        { hour: 14, read: [signIn("b", 13), signIn("a", 10)], mailed: ["b"] },
      ],
    ],
    [
      "a late arrival older than the last one mailed is still mailed",
      [
        { hour: 12, read: [signIn("b", 11)], mailed: ["b"] },
        { hour: 13, read: [signIn("b", 11), signIn("a", 9)], mailed: ["a"] },
      ],
    ],
    [
      "failed sign-ins are mailed like successful ones",
      [{ hour: 12, read: [signIn("f", 11, { errorCode: 50126, failureReason: "Invalid password" })], mailed: ["f"] }],
    ],
    ["a page that repeats a sign-in mails it once", [{ hour: 12, read: [signIn("a", 11), signIn("a", 11)], mailed: ["a"] }]],
    [
      "an unreadable log mails nothing and forgets nothing",
      [
        { hour: 12, read: [signIn("a", 11)], mailed: ["a"] },
        { hour: 13, read: null, mailed: [] },
        { hour: 14, read: [signIn("a", 11)], mailed: [] },
      ],
    ],
    [
      "a second sign-in at the same instant is its own notice",
      [
        { hour: 12, read: [signIn("a", 11)], mailed: ["a"] },
        { hour: 13, read: [signIn("a", 11), signIn("b", 11)], mailed: ["b"] },
      ],
    ],
  ])("%s", (_name, steps) => {
    runs(steps);
  });

  it("notices name when, where, with what and how it ended", () => {
    const s = signIn("f", 11, {
      errorCode: 53003,
      failureReason: "Blocked by Conditional Access",
      city: null,
      clientAppUsed: "Mobile Apps and Desktop clients",
    });
    const [t] = emergencySignIns(undefined, { signIns: [s], collectedAt: T(12), lookbackHours: 24 }).transitions;
    expect(t).toEqual<Transition>({
      kind: "emergency-sign-in",
      key: "emergency-sign-in|f",
      signIn: {
        id: "f",
        createdDateTime: T(11),
        ipAddress: "203.0.113.7",
        city: null,
        countryOrRegion: "US",
        appDisplayName: "Azure Portal",
        appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        clientAppUsed: "Mobile Apps and Desktop clients",
        isInteractive: true,
        errorCode: 53003,
        failureReason: "Blocked by Conditional Access",
      },
    });
  });

  it("forgets a sign-in once no window can read it again, so the memory stays bounded by the window", () => {
    const memory = runs([
      { hour: 12, read: [signIn("a", 11)], mailed: ["a"] },
      { hour: 30, read: [signIn("b", 29), signIn("a", 11)], mailed: ["b"] },
      // Hour 37: the window starts at hour 13, a (hour 11) is beyond it and the margin.
      { hour: 37, read: [signIn("b", 29)], mailed: [] },
    ]);
    expect(memory?.mailed.map((m) => m.id)).toEqual(["b"]);
  });

  it("past the cap keeps the newest and mails nothing at or before the newest it dropped", () => {
    const many = Array.from({ length: MAILED_CAP + 2 }, (_, i) => signIn(`s${String(i).padStart(4, "0")}`, 1 + i / 100));
    const first = emergencySignIns(undefined, { signIns: many, collectedAt: T(20), lookbackHours: 24 });
    expect(first.transitions).toHaveLength(MAILED_CAP + 2);
    expect(first.remembered.mailed).toHaveLength(MAILED_CAP);
    expect(first.remembered.floor).toBe(many[1]!.createdDateTime);
    // Read again with a late one older than the floor: neither the dropped ones nor it are mailed again; one newer is.
    const again = emergencySignIns(first.remembered, { signIns: [...many, signIn("late", 1), signIn("new", 19)], collectedAt: T(21), lookbackHours: 24 });
    expect(again.transitions.map((t) => t.key)).toEqual(["emergency-sign-in|new"]);
  });

  it("through diff: mailed, kept in the state row, not mailed again; absent, the memory is carried", () => {
    const r = report({ hours: 0, expect: [] });
    const input = { signIns: [signIn("a", 0)], collectedAt: at(1).toISOString(), lookbackHours: 24 };
    const one = diff(undefined, r, { now: at(1), reminderHours: 24, unknownAlertAfter: 3, emergencySignIns: { ...input, collectedAt: at(1).toISOString() } });
    expect(one.transitions.map((t) => t.kind)).toEqual(["emergency-sign-in"]);
    const stored = tenantStateSchema.parse(JSON.parse(JSON.stringify(one.nextState)));
    const two = diff({ ...stored, lastReport: r }, r, { now: at(2), reminderHours: 24, unknownAlertAfter: 3, emergencySignIns: input });
    expect(two.transitions).toEqual([]);
    const three = diff(two.nextState, r, { now: at(3), reminderHours: 24, unknownAlertAfter: 3 });
    expect(three.nextState.emergencySignIns?.mailed.map((m) => m.id)).toEqual(["a"]);
  });
});
