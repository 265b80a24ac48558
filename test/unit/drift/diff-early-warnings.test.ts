/** Early warnings: a warn of a check that asks for it is mailed once while it stands; other warnings never are. */
import { describe, expect, it } from "vitest";
import { earlyWarnings } from "../../../lib/drift/early-warnings.js";
import type { Step } from "./diff-helpers.js";
import { play, report } from "./diff-helpers.js";

const EW = "early-warning:sessions-revoked|";

describe("diff: early warnings", () => {
  it.each<[string, Step[]]>([
    [
      "a warn of an early-warning check: mailed once, not again while it stands",
      [
        { hours: 0, checks: { "sessions-revoked": "warn" }, expect: [EW] },
        { hours: 1, checks: { "sessions-revoked": "warn" }, expect: [] },
        { hours: 30, checks: { "sessions-revoked": "warn" }, expect: [] },
      ],
    ],
    [
      "it passes, then warns again: a new warning, mailed again",
      [
        { hours: 0, checks: { "sessions-revoked": "warn" }, expect: [EW] },
        { hours: 1, expect: [] },
        { hours: 2, checks: { "sessions-revoked": "warn" }, expect: [EW] },
      ],
    ],
    [
      "it cannot be judged for a while: remembered, not mailed twice",
      [
        { hours: 0, checks: { "sessions-revoked": "warn" }, expect: [EW] },
        { hours: 1, checks: { "sessions-revoked": "unknown" }, expect: [] },
        { hours: 2, checks: { "sessions-revoked": "skipped" }, expect: [] },
        { hours: 3, checks: { "sessions-revoked": "warn" }, expect: [] },
      ],
    ],
    ["a warn of any other check: counted, never mailed", [{ hours: 0, checks: { "mfa-registration": "warn", "password-expiry": "warn" }, expect: [] }]],
    [
      "it turns into a failure: the drift is mailed, the warning forgotten",
      [
        { hours: 0, checks: { "sessions-revoked": "warn" }, expect: [EW] },
        { hours: 1, checks: { "sessions-revoked": "fail" }, expect: ["drift-detected:sessions-revoked|"] },
      ],
    ],
  ])("%s", (_name, steps) => {
    play(steps);
  });

  it("keeps what was sent in the state, and only while it stands", () => {
    const { states } = play([
      { hours: 0, checks: { "sessions-revoked": "warn" }, expect: [EW] },
      { hours: 1, expect: [] },
    ]);
    expect(states[0]?.earlyWarnings).toEqual(["sessions-revoked|sessions-revoked is warn"]);
    expect(states[1]?.earlyWarnings).toBeUndefined();
  });

  it("a warning with a new summary (a new revocation) is a new warning", () => {
    const r = report({ hours: 0, checks: { "sessions-revoked": "warn" }, expect: [] });
    const first = earlyWarnings(r, [], "2026-01-01T00:00:00.000Z");
    expect(first.transitions.map((t) => t.finding.summary)).toEqual(["sessions-revoked is warn"]);
    const changed = { ...r, checks: r.checks.map((c) => (c.id === "sessions-revoked" ? { ...c, summary: "revoked at 10:00" } : c)) };
    const second = earlyWarnings(changed, first.sent, "2026-01-01T01:00:00.000Z");
    expect(second.transitions.map((t) => t.key)).toEqual(["early-warning|sessions-revoked|revoked at 10:00"]);
    expect(second.sent).toEqual(["sessions-revoked|revoked at 10:00"]);
  });
});
