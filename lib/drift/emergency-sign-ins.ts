/**
 * Every use of an emergency access account is a security notice: each sign-in the look-back
 * window's read brings (successful or failed) is mailed once, keyed by the sign-in log's id.
 * Microsoft's emergency access guidance asks for an alert "whenever emergency access accounts sign
 * in" (lib/checks/well-known.ts EMERGENCY_ACCESS_GUIDANCE). Windows overlap from run to run, and the
 * sign-in log can bring a sign-in late, so the ids already mailed are remembered while a window can
 * still bring them; older ones are dropped, and the memory is capped. Pure.
 */
import type { SignInFact } from "../model/facts.js";
import type { EmergencySignIn, EmergencySignInMemory, Transition } from "../model/state.js";

const HOUR_MS = 3_600_000;
/** The most sign-ins remembered: far above what an account used only in an emergency makes in a look-back window. */
export const MAILED_CAP = 500;

export interface EmergencySignInsInput {
  /** The account's sign-ins of this run's look-back window; null when they could not be read (nothing is mailed or forgotten). */
  readonly signIns: readonly SignInFact[] | null;
  /** The facts' collection time (ISO). */
  readonly collectedAt: string;
  /** The look-back window the sign-ins were read for, in hours. */
  readonly lookbackHours: number;
}

function notice(s: SignInFact): EmergencySignIn {
  return {
    id: s.id,
    createdDateTime: s.createdDateTime,
    ipAddress: s.ipAddress,
    city: s.city ?? null,
    countryOrRegion: s.countryOrRegion ?? null,
    appDisplayName: s.appDisplayName,
    appId: s.appId,
    clientAppUsed: s.clientAppUsed ?? null,
    isInteractive: s.isInteractive,
    errorCode: s.errorCode,
    failureReason: s.failureReason,
  };
}

const at = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/** Newest first, ties by id: the order the memory is kept and capped in. */
const newestFirst = (a: { id: string; at: string }, b: { id: string; at: string }): number => at(b.at) - at(a.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function emergencySignIns(
  previous: EmergencySignInMemory | undefined,
  input: EmergencySignInsInput,
): { remembered: EmergencySignInMemory; transitions: Transition[] } {
  const before: EmergencySignInMemory = previous ?? { mailed: [], floor: null };
  if (input.signIns === null) return { remembered: before, transitions: [] };

  const known = new Set(before.mailed.map((m) => m.id));
  const floor = before.floor === null ? null : at(before.floor);
  const fresh = input.signIns.filter((s) => !known.has(s.id) && (floor === null || at(s.createdDateTime) > floor));
  // One notice per sign-in even when a page repeats one.
  const unique = [...new Map(fresh.map((s) => [s.id, s])).values()].sort((a, b) =>
    newestFirst({ id: a.id, at: a.createdDateTime }, { id: b.id, at: b.createdDateTime }),
  );
  const transitions: Transition[] = unique.reverse().map((s) => ({ kind: "emergency-sign-in", key: `emergency-sign-in|${s.id}`, signIn: notice(s) }));

  // A sign-in older than the window cannot come back, so its id need not be kept; an hour of margin covers clock skew.
  const horizon = at(input.collectedAt) - (input.lookbackHours + 1) * HOUR_MS;
  const all = [...before.mailed, ...unique.map((s) => ({ id: s.id, at: s.createdDateTime }))].filter((m) => at(m.at) >= horizon).sort(newestFirst);
  const kept = all.slice(0, MAILED_CAP);
  const dropped = all.slice(MAILED_CAP);
  const newFloor = dropped.length > 0 ? dropped[0]!.at : before.floor !== null && at(before.floor) >= horizon ? before.floor : null;
  return { remembered: { mailed: kept, floor: newFloor }, transitions };
}
