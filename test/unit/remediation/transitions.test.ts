/** The fix request's state machine, table-driven: every step from every state, four-eyes, expiry, and what each outcome leaves. */
import { describe, expect, it } from "vitest";
import { FIX_STATES, type FixRequest, type FixRun, type FixState } from "../../../lib/model/remediation.js";
import { decideFix, isExpired, type FixEvent } from "../../../lib/remediation/transitions.js";
import { sampleFix } from "../../support/fix.js";

const ADA = { id: "oid-ada", name: "Ada" };
const BOB = { id: "oid-bob", name: "Bob" };
const REQUESTED = "2026-03-02T08:00:00.000Z";
const EXPIRES = "2026-03-03T08:00:00.000Z";
const BEFORE_EXPIRY = new Date("2026-03-02T09:00:00.000Z");
const AFTER_EXPIRY = new Date("2026-03-03T08:00:00.000Z");

const fix = (state: FixState, changes: Partial<FixRequest> = {}): FixRequest =>
  sampleFix({ requestedBy: ADA, requestedAt: REQUESTED, expiresAt: EXPIRES, state, ...changes });

const run = (outcome: FixRun["outcome"]): FixRun => ({ by: BOB, at: BEFORE_EXPIRY.toISOString(), outcome, message: outcome });

interface Row {
  readonly name: string;
  readonly from: FixState;
  readonly event: FixEvent;
  readonly now?: Date;
  readonly fourEyes?: boolean;
  /** The state it leaves, or the refusal's status. */
  readonly to: FixState | 403 | 409;
}

const ROWS: Row[] = [
  { name: "a second person approves", from: "pending", event: { kind: "approve", by: BOB }, to: "approved" },
  { name: "the requester cannot approve their own request under four-eyes", from: "pending", event: { kind: "approve", by: ADA }, to: 403 },
  // The person is their id: a requester under another display name is still the requester, and a namesake is someone else.
  { name: "the requester under another name cannot approve", from: "pending", event: { kind: "approve", by: { id: ADA.id, name: "different name" } }, to: 403 },
  {
    name: "someone else with the requester's name may approve",
    from: "pending",
    event: { kind: "approve", by: { id: "other-id", name: ADA.name } },
    to: "approved",
  },
  { name: "without four-eyes the requester may approve", from: "pending", event: { kind: "approve", by: ADA }, fourEyes: false, to: "approved" },
  { name: "an approval after the expiry is refused", from: "pending", event: { kind: "approve", by: BOB }, now: AFTER_EXPIRY, to: 409 },
  { name: "an approved request is not approved twice", from: "approved", event: { kind: "approve", by: BOB }, to: 409 },
  { name: "a pending request cannot be applied", from: "pending", event: { kind: "apply", by: BOB }, to: 409 },
  { name: "an approved request may be applied", from: "approved", event: { kind: "apply", by: BOB }, to: "approved" },
  {
    name: "an approved request does not expire (the apply compares with the preview)",
    from: "approved",
    event: { kind: "apply", by: BOB },
    now: AFTER_EXPIRY,
    to: "approved",
  },
  { name: "written and shown: applied", from: "approved", event: { kind: "applied", run: run("applied") }, to: "applied" },
  { name: "already so: applied", from: "approved", event: { kind: "applied", run: run("already-done") }, to: "applied" },
  { name: "accepted, not visible yet: applied", from: "approved", event: { kind: "applied", run: run("accepted-not-visible") }, to: "applied" },
  { name: "the resource changed since the preview: stale", from: "approved", event: { kind: "applied", run: run("stale") }, to: "stale" },
  { name: "Graph refused: refused", from: "approved", event: { kind: "applied", run: run("refused") }, to: "refused" },
  { name: "Graph unreachable: failed", from: "approved", event: { kind: "applied", run: run("failed") }, to: "failed" },
  { name: "an applied fix is not applied again", from: "applied", event: { kind: "apply", by: BOB }, to: 409 },
  { name: "an applied fix may be reverted", from: "applied", event: { kind: "revert", by: BOB }, to: "applied" },
  { name: "the revert restored before: reverted", from: "applied", event: { kind: "reverted", run: run("applied") }, to: "reverted" },
  { name: "the revert found the resource changed: stays applied", from: "applied", event: { kind: "reverted", run: run("stale") }, to: "applied" },
  { name: "a stale fix is not reverted (nothing was written)", from: "stale", event: { kind: "revert", by: BOB }, to: 409 },
  { name: "a reverted fix is not reverted twice", from: "reverted", event: { kind: "revert", by: BOB }, to: 409 },
  { name: "a pending request past its expiry expires", from: "pending", event: { kind: "expire" }, now: AFTER_EXPIRY, to: "expired" },
  { name: "a pending request before its expiry does not", from: "pending", event: { kind: "expire" }, to: 409 },
  { name: "an approved request does not expire", from: "approved", event: { kind: "expire" }, now: AFTER_EXPIRY, to: 409 },
];

describe("decideFix", () => {
  it.each(ROWS)("$name", ({ from, event, now, fourEyes, to }) => {
    const decided = decideFix(fix(from, fourEyes === undefined ? {} : { fourEyes }), event, now ?? BEFORE_EXPIRY);
    if (typeof to === "number") {
      expect(decided.ok).toBe(false);
      if (!decided.ok) expect(decided.status).toBe(to);
    } else {
      expect(decided).toMatchObject({ ok: true, fix: { state: to } });
    }
  });

  it("an approval records who and when", () => {
    const decided = decideFix(fix("pending"), { kind: "approve", by: BOB }, BEFORE_EXPIRY);
    expect(decided).toMatchObject({ ok: true, fix: { approvedBy: BOB, approvedAt: BEFORE_EXPIRY.toISOString(), updatedAt: BEFORE_EXPIRY.toISOString() } });
  });

  it("the write's run is kept with the request, the revert's apart from it", () => {
    const applied = decideFix(fix("approved"), { kind: "applied", run: run("applied") }, BEFORE_EXPIRY);
    expect(applied.ok && applied.fix.result?.outcome).toBe("applied");
    const reverted = decideFix(fix("applied", { result: run("applied") }), { kind: "reverted", run: run("applied") }, BEFORE_EXPIRY);
    expect(reverted.ok && [reverted.fix.result?.outcome, reverted.fix.revert?.outcome]).toEqual(["applied", "applied"]);
  });

  it.each(FIX_STATES.filter((s) => s !== "pending"))("only a pending request expires (%s does not)", (state) => {
    expect(isExpired(fix(state), AFTER_EXPIRY)).toBe(false);
  });

  it("expiry is at expiresAt, not a moment later", () => {
    expect(isExpired(fix("pending"), new Date(Date.parse(EXPIRES) - 1))).toBe(false);
    expect(isExpired(fix("pending"), new Date(EXPIRES))).toBe(true);
  });
});
