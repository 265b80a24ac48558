/**
 * N generated tenants for the benchmark: varied Conditional Access estates (3 to 60 policies, so
 * some page), groups nested 0 to 3 deep between the account and the exclusion group, small,
 * medium and large user counts (the resource-unit quota depends on it), a tenth without
 * Entra ID P1, some accounts with MFA methods, a few drifted ones. A fraction of the tenants (a
 * tenth by default) has a second monitored account: its emergency-access account, kept as
 * Microsoft's guidance asks (sim/estate/emergency-access.ts) and never signed in, so a steady
 * state stays quiet.
 *
 * Tenants are built from a handful of shapes whose data (policies, sign-ins, groups) is shared,
 * read-only, between the tenants of a shape: the simulator runs in the benchmark's process, and
 * 5,000 private copies of 60 policies would make its memory, not the runner's, the peak RSS.
 */
import { toTenantData, type TenantFile } from "../sim/estate/load.js";
import { stableGuid } from "../sim/estate/ids.js";
import { withEmergencyAccess } from "../sim/estate/emergency-access.js";
import type { Estate, GraphCaPolicy, GraphUser, JsonObject, TenantData } from "../sim/types.js";

const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const BENCH_ACCOUNT = "svc-connect@bench.example";
const BENCH_BREAK_GLASS = "breakglass@bench.example";

/** The share of tenants with two monitored accounts unless the caller says otherwise. */
export const DEFAULT_MULTI_ACCOUNT_SHARE = 0.1;

/** One account the registry monitors, as an operator registers it. */
export interface BenchAccount {
  readonly ref: string;
  readonly kind: "connection" | "emergency-access";
}

export interface BenchTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly account: string;
  /** Every monitored account, `account` first; two in the tenants `multiAccountShare` picks. */
  readonly accounts: readonly BenchAccount[];
  /** Requests its Conditional Access listing takes (25 policies per page in the sim). */
  readonly caPages: number;
  readonly premium: boolean;
}

interface Shape {
  readonly policies: number;
  readonly nesting: number;
  readonly users: number;
  readonly premium: boolean;
  readonly mfaMethod: boolean;
  readonly blocking: boolean;
}

const POLICY_COUNTS = [3, 8, 15, 24, 30, 45, 60];
const NESTING = [0, 1, 2, 3];
const USERS = [5, 80, 600];

/** Shape k of the estate: co-prime strides so the traits mix instead of moving in lockstep. */
function shapeOf(k: number): Shape {
  return {
    policies: POLICY_COUNTS[k % POLICY_COUNTS.length]!,
    nesting: NESTING[k % NESTING.length]!,
    users: USERS[k % USERS.length]!,
    premium: k % 10 !== 9,
    mfaMethod: k % 6 === 5,
    blocking: k % 11 === 10,
  };
}

const SHAPES = 84; // 7 × 4 × 3: every combination of counts, nesting and size appears

function user(id: string, upn: string, name: string): GraphUser {
  return { id, userPrincipalName: upn, displayName: name, accountEnabled: true, onPremisesSyncEnabled: null, userType: "Member" };
}

/** `monitored`: the break-glass user is a monitored emergency-access account (its own role, methods and memberships). */
function shapeData(k: number, monitored: boolean): TenantData {
  const s = shapeOf(k);
  const seed = `bench-shape-${k}`;
  const accountId = stableGuid(seed, "user", "account");
  const breakGlassId = stableGuid(seed, "user", "breakglass");
  const users = [user(accountId, BENCH_ACCOUNT, "Connection account"), ...(monitored ? [] : [user(breakGlassId, BENCH_BREAK_GLASS, "Break glass")])];
  for (let i = users.length; i < s.users; i += 1) users.push(user(stableGuid(seed, "user", String(i)), `user${i}@bench.example`, `User ${i}`));
  const exclusion = stableGuid(seed, "group", "exclusion");
  const breakGlassGroup = stableGuid(seed, "group", "breakglass");
  // account ∈ nest[d-1] ∈ … ∈ nest[0] ∈ exclusion group: the exclusion reaches it only transitively.
  const chain = Array.from({ length: s.nesting }, (_, i) => stableGuid(seed, "group", `nest${i}`));
  const groups = [exclusion, breakGlassGroup, ...chain].map((id, i) => ({
    id,
    displayName: i === 0 ? "CA Exclusion - Service accounts" : i === 1 ? "CA Exclusion - Break glass" : `Automation tier ${i - 1}`,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    isAssignableToRole: null,
    membershipRule: null,
  }));
  const members: Record<string, string[]> = { [breakGlassGroup]: monitored ? [] : [breakGlassId] };
  const path = [exclusion, ...chain];
  for (let i = 0; i < path.length - 1; i += 1) members[path[i]!] = [path[i + 1]!];
  members[path[path.length - 1]!] = [accountId];
  const extra: GraphCaPolicy[] = s.blocking
    ? [
        {
          id: stableGuid(seed, "policy", "blocking"),
          displayName: "Require MFA for administrators",
          state: "enabled",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includeApplications: ["All"], excludeApplications: [] },
            users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [breakGlassGroup], includeRoles: [GLOBAL_ADMIN], excludeRoles: [] },
          },
          grantControls: { operator: "OR", builtInControls: ["mfa"] },
          sessionControls: null,
        },
      ]
    : [];
  const methods: Record<string, JsonObject[]> = s.mfaMethod
    ? {
        [accountId]: [
          { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
          { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", id: stableGuid(seed, "method"), displayName: "Pixel 8" },
        ],
      }
    : {};
  const file: TenantFile = {
    tenantId: stableGuid(seed, "tenant"),
    displayName: `Bench shape ${k}`,
    scenario: "benchmark",
    expected: s.blocking ? "drifted" : "compliant",
    account: BENCH_ACCOUNT,
    licenses: { entraIdP1: s.premium },
    users,
    groups,
    groupMembers: members,
    roleAssignments: [{ id: stableGuid(seed, "assignment"), principalId: accountId, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" }],
    conditionalAccessPolicies: extra,
    generatedConditionalAccessPolicies: { count: s.policies - extra.length, excludeGroupId: exclusion, breakGlassGroupId: breakGlassGroup },
    authenticationMethods: methods,
  };
  const emergency = monitored ? [{ id: breakGlassId, userPrincipalName: BENCH_BREAK_GLASS, displayName: "Break glass", memberOf: [breakGlassGroup] }] : [];
  return toTenantData(withEmergencyAccess(file, emergency));
}

/** Whether tenant i is one of the `fraction` with two accounts: spread evenly, the same tenants for a given N. */
export function hasSecondAccount(i: number, fraction: number): boolean {
  return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
}

function benchTenantId(i: number): string {
  return `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/**
 * The estate the simulator serves, and what the benchmark needs to know of each tenant.
 * `multiAccountShare`: the fraction of tenants (0 to 1) whose emergency-access account is monitored too.
 */
export function generateEstate(n: number, options: { readonly multiAccountShare?: number } = {}): { estate: Estate; tenants: BenchTenant[] } {
  const fraction = options.multiAccountShare ?? DEFAULT_MULTI_ACCOUNT_SHARE;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`multiAccountShare must be a fraction from 0 to 1, got ${fraction}`);
  const shapes = new Map<string, TenantData>();
  const tenants: BenchTenant[] = [];
  const data: TenantData[] = [];
  for (let i = 0; i < n; i += 1) {
    const k = i % SHAPES;
    const two = hasSecondAccount(i, fraction);
    let shape = shapes.get(`${k}|${two}`);
    if (!shape) {
      shape = shapeData(k, two);
      shapes.set(`${k}|${two}`, shape);
    }
    const tenantId = benchTenantId(i);
    const displayName = `Bench tenant ${i}`;
    // A shallow copy: its own id and name, the shape's (read-only) collections.
    data.push({ ...shape, tenantId, displayName });
    tenants.push({
      tenantId,
      displayName,
      account: BENCH_ACCOUNT,
      accounts: [{ ref: BENCH_ACCOUNT, kind: "connection" }, ...(two ? [{ ref: BENCH_BREAK_GLASS, kind: "emergency-access" as const }] : [])],
      caPages: Math.max(1, Math.ceil(shape.conditionalAccessPolicies.length / 25)),
      premium: shape.licenses.entraIdP1,
    });
  }
  return { estate: { tenants: data }, tenants };
}
