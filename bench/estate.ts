/**
 * N generated tenants for the benchmark: varied Conditional Access estates (3 to 60 policies, so
 * some page), groups nested 0 to 3 deep between the account and the exclusion group, small,
 * medium and large user counts (the resource-unit quota depends on it), a tenth without
 * Entra ID P1, some accounts with MFA methods, a few drifted ones.
 *
 * Tenants are built from a handful of shapes whose data (policies, sign-ins, groups) is shared,
 * read-only, between the tenants of a shape: the simulator runs in the benchmark's process, and
 * 5,000 private copies of 60 policies would make its memory, not the runner's, the peak RSS.
 */
import { toTenantData, type TenantFile } from "../sim/estate/load.js";
import { stableGuid } from "../sim/estate/ids.js";
import type { AccountKind } from "../lib/model/account.js";
import type { Estate, GraphCaPolicy, GraphUser, JsonObject, TenantData } from "../sim/types.js";

const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const BENCH_ACCOUNT = "svc-connect@bench.example";
const BENCH_BREAK_GLASS = "breakglass@bench.example";

export interface BenchTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly account: string;
  /** Its monitored accounts as registered: the connection account, and in a share of the tenants (`--multi-account-share`) the break-glass one. */
  readonly accounts: readonly { readonly ref: string; readonly kind: AccountKind }[];
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

function shapeData(k: number): TenantData {
  const s = shapeOf(k);
  const seed = `bench-shape-${k}`;
  const accountId = stableGuid(seed, "user", "account");
  const breakGlassId = stableGuid(seed, "user", "breakglass");
  const users = [user(accountId, BENCH_ACCOUNT, "Connection account"), user(breakGlassId, BENCH_BREAK_GLASS, "Break glass")];
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
  const members: Record<string, string[]> = { [breakGlassGroup]: [breakGlassId] };
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
  return toTenantData(file);
}

function benchTenantId(i: number): string {
  return `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/** Whether tenant i is one of the `share` (0 to 1) with a second monitored account: spread evenly over the estate. */
export function hasSecondAccount(i: number, share: number): boolean {
  return Math.floor((i + 1) * share) > Math.floor(i * share);
}

/**
 * The estate the simulator serves, and what the benchmark needs to know of each tenant. A `share`
 * of the tenants also monitor their break-glass account, as emergency access.
 */
export function generateEstate(n: number, share = 0): { estate: Estate; tenants: BenchTenant[] } {
  const shapes = new Map<number, TenantData>();
  const tenants: BenchTenant[] = [];
  const data: TenantData[] = [];
  for (let i = 0; i < n; i += 1) {
    const k = i % SHAPES;
    let shape = shapes.get(k);
    if (!shape) {
      shape = shapeData(k);
      shapes.set(k, shape);
    }
    const tenantId = benchTenantId(i);
    const displayName = `Bench tenant ${i}`;
    // A shallow copy: its own id and name, the shape's (read-only) collections.
    data.push({ ...shape, tenantId, displayName });
    tenants.push({
      tenantId,
      displayName,
      account: BENCH_ACCOUNT,
      accounts: [
        { ref: BENCH_ACCOUNT, kind: "connection" },
        ...(hasSecondAccount(i, share) ? [{ ref: BENCH_BREAK_GLASS, kind: "emergency-access" as const }] : []),
      ],
      caPages: Math.max(1, Math.ceil(shape.conditionalAccessPolicies.length / 25)),
      premium: shape.licenses.entraIdP1,
    });
  }
  return { estate: { tenants: data }, tenants };
}
