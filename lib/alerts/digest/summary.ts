/**
 * The daily digest's numbers, from every tenant's latest state and the dead-lettered alerts.
 * Pure: the caller reads the store and passes the time in.
 */
import { orderFindings, severityOfFinding, severityOrder } from "../../checks/severity.js";
import { effectiveStatus } from "../../drift/standing.js";
import type { TenantStatus } from "../../model/report.js";
import type { TenantState, TrackedFinding } from "../../model/state.js";

export interface DigestTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
}

export interface DeadLetter {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly alertId: string;
  readonly kinds: readonly string[];
  readonly createdAt: string;
  readonly attempts: number;
  readonly deadLetteredAt: string | null;
  readonly lastError: string | null;
  /** Channels that did deliver before it was given up (e.g. the email went, the webhook did not). */
  readonly sentChannels: readonly string[];
}

export interface DigestInput {
  readonly states: readonly TenantState[];
  /** Registered tenants, for names and for those never checked; optional. */
  readonly tenants?: readonly DigestTenant[];
  readonly deadLetters: readonly DeadLetter[];
  readonly now: Date;
}

export interface TenantLine {
  readonly tenantId: string;
  readonly name: string;
  readonly status: TenantStatus;
  readonly checkedAt: string;
  /** Most severe first, then by rank, then the oldest (lib/checks/severity.ts). */
  readonly openFindings: readonly TrackedFinding[];
  /** For unknown tenants: since when, how many runs, and what could not be read. */
  readonly unknownSince: string | null;
  readonly unknownRuns: number;
  readonly unknownReasons: readonly string[];
}

export const AGE_BUCKETS = ["under 1 day", "1–7 days", "7–30 days", "over 30 days"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface DigestSummary {
  /** The UTC day the digest is for: its identity (one digest per day). */
  readonly day: string;
  readonly generatedAt: string;
  readonly drifted: readonly TenantLine[];
  readonly degraded: readonly TenantLine[];
  readonly compliant: readonly TenantLine[];
  /** Registered and enabled, but no state yet. */
  readonly neverChecked: readonly DigestTenant[];
  readonly openFindings: number;
  readonly findingsByAge: Readonly<Record<AgeBucket, number>>;
  readonly deadLetters: readonly DeadLetter[];
}

const DAY = 86_400_000;

export function ageBucket(sinceIso: string, now: Date): AgeBucket {
  const days = (now.getTime() - Date.parse(sinceIso)) / DAY;
  if (!(days >= 1)) return "under 1 day";
  if (days < 7) return "1–7 days";
  if (days < 30) return "7–30 days";
  return "over 30 days";
}

const byName = (a: TenantLine, b: TenantLine): number => a.name.localeCompare(b.name, "en") || a.tenantId.localeCompare(b.tenantId);

/** Drifted tenants: the one whose worst finding is most severe first, then by name. */
const worstOf = (l: TenantLine): number => severityOrder(l.openFindings[0] ? severityOfFinding(l.openFindings[0].checkId) : null);
const byWorstFinding = (a: TenantLine, b: TenantLine): number => worstOf(a) - worstOf(b) || byName(a, b);

function lineName(tenantName: string, s: TenantState): string {
  const key = s.accountKey ?? "";
  return key === "" ? tenantName : `${tenantName} (${s.lastReport.account.userPrincipalName ?? `account ${key}`})`;
}

export function summariseEstate(input: DigestInput): DigestSummary {
  const names = new Map((input.tenants ?? []).map((t) => [t.tenantId, t]));
  // With the registry at hand, only enabled registered tenants count: a removed tenant keeps its
  // history in the Monitor table, but it is no longer watched and must not fill the digest.
  const watched = (tenantId: string): boolean => (input.tenants ? names.get(tenantId)?.enabled === true : true);
  const lines: TenantLine[] = input.states
    .filter((s) => watched(s.tenantId))
    .map((s) => ({
      tenantId: s.tenantId,
      // One line per monitored account: an account other than the tenant's first is named after it.
      name: lineName(names.get(s.tenantId)?.displayName ?? s.tenantId, s),
      status: effectiveStatus(s),
      checkedAt: s.lastReport.checkedAt,
      openFindings: orderFindings(s.findings.filter((f) => f.status === "open")),
      unknownSince: s.unknownSince,
      unknownRuns: s.consecutiveUnknown,
      unknownReasons: s.lastReport.checks.filter((c) => c.status === "unknown").map((c) => `${c.id}: ${c.reason ?? c.summary}`),
    }));
  const findingsByAge: Record<AgeBucket, number> = { "under 1 day": 0, "1–7 days": 0, "7–30 days": 0, "over 30 days": 0 };
  for (const l of lines) for (const f of l.openFindings) findingsByAge[ageBucket(f.since, input.now)]++;
  const stated = new Set(input.states.map((s) => s.tenantId));
  return {
    day: input.now.toISOString().slice(0, 10),
    generatedAt: input.now.toISOString(),
    drifted: lines.filter((l) => l.status === "drifted").sort(byWorstFinding),
    degraded: lines.filter((l) => l.status === "unknown").sort(byName),
    compliant: lines.filter((l) => l.status === "compliant").sort(byName),
    neverChecked: (input.tenants ?? []).filter((t) => t.enabled && !stated.has(t.tenantId)).sort((a, b) => a.displayName.localeCompare(b.displayName, "en")),
    openFindings: lines.reduce((n, l) => n + l.openFindings.length, 0),
    findingsByAge,
    deadLetters: [...input.deadLetters].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.alertId.localeCompare(b.alertId)),
  };
}
