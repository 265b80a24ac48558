/**
 * The daily digest's numbers, from every account's latest state and the dead-lettered alerts,
 * one line per account grouped under its tenant (a tenant's accounts are listed together, in the
 * registration's order). A tenant's one connection account is named by the tenant alone, as when
 * a tenant had one account; any other account is named with its kind and reference.
 * Pure: the caller reads the store and passes the time in.
 */
import { orderFindings, severityOfFinding, severityOrder } from "../../checks/severity.js";
import { effectiveStatus } from "../../drift/standing.js";
import type { TenantStatus } from "../../model/report.js";
import type { TenantState, TrackedFinding } from "../../model/state.js";
import { KIND_LABEL, type AccountKind } from "../../model/account.js";
import { accountOfRow } from "../../status/accounts.js";

interface DigestAccount {
  readonly key: string;
  readonly ref: string;
  readonly kind: AccountKind;
}

export interface DigestTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** Its monitored accounts, in the registration's order; absent: one connection account. */
  readonly accounts?: readonly DigestAccount[];
}

/** A registered account not checked yet: `displayName` names the tenant, and the account when it is not its one connection account. */
export interface NeverChecked {
  readonly tenantId: string;
  readonly accountKey: string;
  readonly displayName: string;
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
  /** Every account's state (`accountKey` absent: the tenant's first account). */
  readonly states: readonly (TenantState & { readonly accountKey?: string | undefined })[];
  /** Registered tenants, for names and for those never checked; optional. */
  readonly tenants?: readonly DigestTenant[];
  readonly deadLetters: readonly DeadLetter[];
  readonly now: Date;
}

/** One account's line, under its tenant. */
export interface TenantLine {
  readonly tenantId: string;
  readonly accountKey: string;
  /** The tenant's name, and the account's kind and reference unless it is the tenant's one connection account. */
  readonly name: string;
  /** "emergency-access account bg@…"; null for the tenant's one connection account (named by the tenant alone). */
  readonly accountLabel: string | null;
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
  readonly neverChecked: readonly NeverChecked[];
  /** Tenants and accounts with a line above (watched and checked). */
  readonly watchedTenants: number;
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

/** Where an account sits among its tenant's (registration order; unknown accounts after). */
interface Placed {
  readonly line: TenantLine;
  readonly tenantName: string;
  readonly order: number;
}

const byTenantThenAccount = (a: Placed, b: Placed): number =>
  a.tenantName.localeCompare(b.tenantName, "en") || a.line.tenantId.localeCompare(b.line.tenantId) || a.order - b.order;

/** Drifted: the tenant whose worst finding is most severe first, then by name; its accounts together. */
const worstOf = (l: TenantLine): number => severityOrder(l.openFindings[0] ? severityOfFinding(l.openFindings[0].checkId) : null);

function byWorstTenant(placed: readonly Placed[]): Placed[] {
  const worst = new Map<string, number>();
  for (const p of placed) worst.set(p.line.tenantId, Math.min(worst.get(p.line.tenantId) ?? Infinity, worstOf(p.line)));
  const w = (p: Placed): number => worst.get(p.line.tenantId) ?? Infinity;
  return [...placed].sort((a, b) => w(a) - w(b) || byTenantThenAccount(a, b));
}

const ONE_CONNECTION: readonly DigestAccount[] = [{ key: "", ref: "", kind: "connection" }];

/** Null for a tenant's one connection account; else "emergency-access account bg@…". */
function accountLabel(accounts: readonly DigestAccount[], account: DigestAccount | undefined, key: string): string | null {
  if (accounts.length === 1 && account?.kind === "connection") return null;
  return account ? `${KIND_LABEL[account.kind]} ${account.ref}` : `account ${key || "(first)"}`;
}

const named = (tenantName: string, label: string | null): string => (label === null ? tenantName : `${tenantName} — ${label}`);

export function summariseEstate(input: DigestInput): DigestSummary {
  const names = new Map((input.tenants ?? []).map((t) => [t.tenantId, t]));
  // With the registry at hand, only enabled registered tenants count: a removed tenant keeps its
  // history in the Monitor table, but it is no longer watched and must not fill the digest.
  const watched = (tenantId: string): boolean => (input.tenants ? names.get(tenantId)?.enabled === true : true);
  const placed: Placed[] = input.states.flatMap((s) => {
    const { tenantId, key } = accountOfRow(s);
    if (!watched(tenantId)) return [];
    const tenant = names.get(tenantId);
    const accounts = tenant?.accounts ?? ONE_CONNECTION;
    const order = accounts.findIndex((a) => a.key === key);
    // An account no longer registered keeps its history but is no longer watched.
    if (tenant && order < 0) return [];
    const tenantName = tenant?.displayName ?? tenantId;
    const label = accountLabel(accounts, accounts[order], key);
    const line: TenantLine = {
      tenantId,
      accountKey: key,
      name: named(tenantName, label),
      accountLabel: label,
      status: effectiveStatus(s),
      checkedAt: s.lastReport.checkedAt,
      openFindings: orderFindings(s.findings.filter((f) => f.status === "open")),
      unknownSince: s.unknownSince,
      unknownRuns: s.consecutiveUnknown,
      unknownReasons: s.lastReport.checks.filter((c) => c.status === "unknown").map((c) => `${c.id}: ${c.reason ?? c.summary}`),
    };
    return [{ line, tenantName, order: order < 0 ? Infinity : order }];
  });
  const lines = placed.map((p) => p.line);
  const findingsByAge: Record<AgeBucket, number> = { "under 1 day": 0, "1–7 days": 0, "7–30 days": 0, "over 30 days": 0 };
  for (const l of lines) for (const f of l.openFindings) findingsByAge[ageBucket(f.since, input.now)]++;
  const stated = new Set(lines.map((l) => `${l.tenantId}|${l.accountKey}`));
  const of = (status: TenantStatus) => placed.filter((p) => p.line.status === status);
  const neverChecked = (input.tenants ?? [])
    .filter((t) => t.enabled)
    .sort((a, b) => a.displayName.localeCompare(b.displayName, "en") || a.tenantId.localeCompare(b.tenantId))
    .flatMap((t) => {
      const accounts = t.accounts ?? ONE_CONNECTION;
      return accounts
        .filter((a) => !stated.has(`${t.tenantId}|${a.key}`))
        .map((a) => ({ tenantId: t.tenantId, accountKey: a.key, displayName: named(t.displayName, accountLabel(accounts, a, a.key)) }));
    });
  return {
    day: input.now.toISOString().slice(0, 10),
    generatedAt: input.now.toISOString(),
    drifted: byWorstTenant(of("drifted")).map((p) => p.line),
    degraded: of("unknown")
      .sort(byTenantThenAccount)
      .map((p) => p.line),
    compliant: of("compliant")
      .sort(byTenantThenAccount)
      .map((p) => p.line),
    neverChecked,
    watchedTenants: new Set(lines.map((l) => l.tenantId)).size,
    openFindings: lines.reduce((n, l) => n + l.openFindings.length, 0),
    findingsByAge,
    deadLetters: [...input.deadLetters].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.alertId.localeCompare(b.alertId)),
  };
}
