/**
 * The fix request's state machine, pure: what each step may do from each state, and the request it
 * leaves. The flow (flow.ts) asks here before it writes anything, then stores the answer on the
 * ETag it read the request with, so two people racing on one request cannot both move it.
 *
 *   pending  --approve (another person when four-eyes)-->  approved
 *   pending  --its expiry passed------------------------->  expired
 *   approved --apply: written and shown / already so----->  applied
 *   approved --apply: the resource changed since--------->  stale     (nothing written: preview again)
 *   approved --apply: Graph refused---------------------->  refused
 *   approved --apply: could not read or reach Graph----->  failed
 *   applied  --revert: `before` restored----------------->  reverted
 *
 * stale, refused, failed, expired and reverted are final: a new preview makes a new request. An
 * approval is for the change as previewed; an approved request does not expire, because the apply
 * compares the resource with the preview anyway (a changed one is stale, never overwritten).
 */
import type { Actor, FixRequest, FixRun, FixState } from "../model/remediation.js";

export type FixEvent =
  | { readonly kind: "approve"; readonly by: Actor }
  | { readonly kind: "apply"; readonly by: Actor }
  | { readonly kind: "applied"; readonly run: FixRun }
  | { readonly kind: "revert"; readonly by: Actor }
  | { readonly kind: "reverted"; readonly run: FixRun }
  | { readonly kind: "expire" };

type FixDecision = { readonly ok: true; readonly fix: FixRequest } | { readonly ok: false; readonly status: 403 | 409; readonly error: string };

const refuse = (status: 403 | 409, error: string): FixDecision => ({ ok: false, status, error });

const WHY_NOT: Readonly<Record<FixState, string>> = {
  pending: "it is waiting for approval",
  approved: "it is approved and not applied yet",
  applied: "it was applied",
  stale: "the resource changed since the preview: preview again",
  refused: "Graph refused it: preview again",
  failed: "it failed: preview again",
  expired: "its approval window passed: preview again",
  reverted: "it was reverted",
};

/** A pending request past its expiry is expired, whatever is asked of it. */
export function isExpired(fix: FixRequest, now: Date): boolean {
  return fix.state === "pending" && now.getTime() >= Date.parse(fix.expiresAt);
}

/** The state a write's outcome leaves the request in. */
function stateAfterApply(run: FixRun): FixState {
  switch (run.outcome) {
    case "applied":
    case "already-done":
    case "accepted-not-visible":
      return "applied";
    case "stale":
      return "stale";
    case "refused":
      return "refused";
    case "failed":
      return "failed";
  }
}

export function decideFix(fix: FixRequest, event: FixEvent, now: Date): FixDecision {
  const at = now.toISOString();
  const moved = (changes: Partial<FixRequest>): FixDecision => ({ ok: true, fix: { ...fix, ...changes, updatedAt: at } });
  const notNow = (what: string): FixDecision => refuse(409, `fix ${fix.id} cannot be ${what}: ${WHY_NOT[fix.state]}`);

  if (event.kind === "expire") return isExpired(fix, now) ? moved({ state: "expired" }) : notNow("expired");
  if (isExpired(fix, now) && (event.kind === "approve" || event.kind === "apply")) {
    return refuse(409, `fix ${fix.id} expired at ${fix.expiresAt} before it was approved: preview again`);
  }
  switch (event.kind) {
    case "approve":
      if (fix.state !== "pending") return notNow("approved");
      if (fix.fourEyes && event.by.id === fix.requestedBy.id) {
        return refuse(403, "the person who requested a fix cannot approve it: a second person with the Remediator role approves it");
      }
      return moved({ state: "approved", approvedBy: event.by, approvedAt: at });
    case "apply":
      return fix.state === "approved" ? moved({}) : notNow("applied");
    case "applied":
      return fix.state === "approved" ? moved({ state: stateAfterApply(event.run), result: event.run }) : notNow("applied");
    case "revert":
      return fix.state === "applied" ? moved({}) : notNow("reverted");
    case "reverted": {
      if (fix.state !== "applied") return notNow("reverted");
      // A revert is a write like an apply: the outcomes that leave an apply "applied" leave a revert done.
      const restored = stateAfterApply(event.run) === "applied";
      return moved({ state: restored ? "reverted" : "applied", revert: event.run });
    }
  }
}
