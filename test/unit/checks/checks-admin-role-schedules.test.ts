/**
 * admin-role from PIM's schedule instances (roleAssignmentScheduleInstances): under emergency-access a
 * Global Administrator that ends or is an activation fails, a permanent assignment passes, and without
 * the instances the inference from eligibility stands in, saying why; under a connection profile an
 * assignment that ends within ROLE_END_WARN_DAYS (default 14) warns (an early warning), later ones pass.
 */
import { describe, expect, it } from "vitest";
import { CHECKS, getProfile } from "../../../lib/checks/index.js";
import type { CheckStatus, RoleAssignmentInstanceFact, TenantFacts } from "../../../lib/model/index.js";
import { facts, failed, gaAssignment, gaInstance, membership, ok, ROLE } from "./builders.js";

const emergency = getProfile("emergency-access")!;
const strict = getProfile("strict")!;
const check = CHECKS["admin-role"];

// COLLECTED_AT is 2026-01-02T12:00Z.
const IN_3_DAYS = "2026-01-05T12:00:00Z";
const IN_8_HOURS = "2026-01-02T20:00:00Z";
const IN_60_DAYS = "2026-03-03T12:00:00Z";

const instances = (...list: RoleAssignmentInstanceFact[]): Partial<TenantFacts> => ({ roleAssignmentInstances: ok(list) });
const timeBound = (endDateTime: string, over: Partial<RoleAssignmentInstanceFact> = {}) => gaInstance({ endDateTime, ...over });
const activation = (endDateTime: string | null) => gaInstance({ assignmentType: "Activated", startDateTime: "2026-01-02T11:00:00Z", endDateTime });
const eligible = { roleEligibility: ok([gaAssignment({ id: "eligibility-1" })]) };

interface Row {
  readonly name: string;
  readonly over: Partial<TenantFacts>;
  readonly emergency: CheckStatus;
  readonly strict: CheckStatus;
  readonly summary?: RegExp;
  readonly strictSummary?: RegExp;
  readonly evidence?: RegExp;
}

describe("admin-role from PIM schedule instances", () => {
  it.each<Row>([
    { name: "permanent assignment", over: {}, emergency: "pass", strict: "pass", summary: /permanently active/, evidence: /PIM: Assigned, no end date/ },
    {
      name: "permanent assignment, also PIM-eligible: the instances decide, not the eligibility",
      over: eligible,
      emergency: "pass",
      strict: "pass",
      summary: /permanently active/,
    },
    {
      name: "time-bound active assignment ending in 3 days",
      over: instances(timeBound(IN_3_DAYS)),
      emergency: "fail",
      strict: "warn",
      summary: /^Global Administrator ends at 2026-01-05 12:00 UTC: time-bound$/,
      strictSummary: /^Global Administrator ends at 2026-01-05 12:00 UTC, in 3 days$/,
    },
    {
      name: "time-bound active assignment ending in 60 days",
      over: instances(timeBound(IN_60_DAYS)),
      emergency: "fail",
      strict: "pass",
      summary: /ends at 2026-03-03 12:00 UTC: time-bound/,
      strictSummary: /active until 2026-03-03 12:00 UTC/,
    },
    {
      name: "an activation without a remaining eligibility",
      over: instances(activation(IN_8_HOURS)),
      emergency: "fail",
      strict: "warn",
      summary: /only through a PIM activation, which ends at 2026-01-02 20:00 UTC/,
      strictSummary: /ends at 2026-01-02 20:00 UTC, in 1 day/,
    },
    {
      name: "an activation Graph gives no end for",
      over: instances(activation(null)),
      emergency: "fail",
      strict: "warn",
      summary: /PIM activation, which ends at an end Graph did not give/,
    },
    {
      name: "an activation beside a permanent assignment",
      over: instances(activation(IN_8_HOURS), gaInstance({ id: "instance-2" })),
      emergency: "pass",
      strict: "pass",
    },
    {
      name: "two time-bound assignments: the later end counts",
      over: instances(timeBound(IN_3_DAYS), timeBound(IN_60_DAYS, { id: "instance-2" })),
      emergency: "fail",
      strict: "pass",
      summary: /2026-03-03/,
    },
    {
      name: "time-bound through a group (memberType Group)",
      over: instances(timeBound(IN_3_DAYS, { memberType: "Group" })),
      emergency: "fail",
      strict: "warn",
      evidence: /through a group, ends 2026-01-05/,
    },
    {
      name: "permanent, inherited (memberType Inherited)",
      over: instances(gaInstance({ memberType: "Inherited" })),
      emergency: "pass",
      strict: "pass",
      evidence: /\(inherited\), no end date/,
    },
    {
      name: "a time-bound instance of another role does not count",
      over: instances(gaInstance(), timeBound(IN_3_DAYS, { id: "instance-2", roleDefinitionId: ROLE.securityAdmin })),
      emergency: "pass",
      strict: "pass",
    },
    {
      name: "a time-bound Global Administrator scoped to an administrative unit does not count",
      over: instances(gaInstance(), timeBound(IN_3_DAYS, { id: "instance-2", directoryScopeId: "/administrativeUnits/x" })),
      emergency: "pass",
      strict: "pass",
    },
    {
      name: "already past its end (Graph has not dropped it yet)",
      over: instances(timeBound("2026-01-01T00:00:00Z")),
      emergency: "fail",
      strict: "warn",
      strictSummary: /in 0 days/,
    },
  ])("$name", (row) => {
    const f = facts(row.over);
    const e = check.run(f, emergency);
    const s = check.run(f, strict);
    expect([e.status, s.status]).toEqual([row.emergency, row.strict]);
    if (row.summary) expect(e.summary).toMatch(row.summary);
    if (row.strictSummary) expect(s.summary).toMatch(row.strictSummary);
    if (row.evidence) expect(e.evidence?.join("\n")).toMatch(row.evidence);
    expect(check.earlyWarning?.(s) ?? false).toBe(s.status === "warn");
  });
});

describe("admin-role without readable schedule instances: the inference from eligibility", () => {
  it.each<Row>([
    {
      name: "not licensed, not eligible",
      over: { roleAssignmentInstances: failed("unlicensed", "no Entra ID P2"), roleEligibility: failed("unlicensed") },
      emergency: "pass",
      strict: "pass",
      evidence: /schedule instances not licensed \(no Entra ID P2\): permanence inferred/,
    },
    {
      name: "unavailable, eligible: taken for an activation",
      over: { roleAssignmentInstances: failed("unavailable", "Graph answered 503"), ...eligible },
      emergency: "fail",
      strict: "pass",
      summary: /only through a PIM activation, which ends$/,
      evidence: /could not be read \(Graph answered 503\)/,
    },
    {
      name: "forbidden, eligibility forbidden too: unknown",
      over: {
        roleAssignmentInstances: failed("forbidden", "403", "RoleManagement.Read.Directory"),
        roleEligibility: failed("forbidden", "403", "RoleManagement.Read.Directory"),
      },
      emergency: "unknown",
      strict: "pass",
      evidence: /needs RoleManagement\.Read\.Directory/,
    },
    {
      name: "read, but no instance names the account (held through a group)",
      over: { ...instances(), membership: ok(membership()), roleAssignments: ok([]) },
      emergency: "pass",
      strict: "pass",
      evidence: /no PIM schedule instance of Global Administrator names the account/,
    },
    {
      name: "read, no instance, eligible: taken for an activation",
      over: { ...instances(), ...eligible },
      emergency: "fail",
      strict: "pass",
    },
  ])("$name", (row) => {
    const f = facts(row.over);
    const e = check.run(f, emergency);
    expect([e.status, check.run(f, strict).status]).toEqual([row.emergency, row.strict]);
    if (row.summary) expect(e.summary).toMatch(row.summary);
    if (row.evidence) expect(e.evidence?.join("\n")).toMatch(row.evidence);
  });

  it("a connection account passes on the active role when the instances are unreadable, and the evidence says so", () => {
    const r = check.run(facts({ roleAssignmentInstances: failed("throttled", "Graph answered 429") }), strict);
    expect(r.status).toBe("pass");
    expect(r.evidence?.join("\n")).toMatch(/could not be read \(Graph answered 429\): whether it ends is not known/);
    // Without P2 there is no PIM: nothing ends, so nothing is unknown.
    expect(check.run(facts({ roleAssignmentInstances: failed("unlicensed") }), strict).evidence?.join("\n")).not.toMatch(/PIM/);
  });

  it.each([
    ["the default, 14", undefined, 14],
    ["ROLE_END_WARN_DAYS=30", { passwordExpiry: 14, managedPolicy: 14, roleEnd: 30 }, 30],
    ["ROLE_END_WARN_DAYS=0 (only once it has ended)", { passwordExpiry: 14, managedPolicy: 14, roleEnd: 0 }, 0],
    ["facts stored before the setting (no roleEnd)", { passwordExpiry: 30, managedPolicy: 30 }, 14],
  ] as const)("warns a connection account no earlier than %s days before the end", (_, warnDays, days) => {
    const at = (d: number): string => new Date(Date.parse("2026-01-02T12:00:00Z") + d * 86_400_000).toISOString();
    const withDays = (end: string) => ({ ...facts(instances(timeBound(end))), ...(warnDays && { warnDays }) });
    const warned = check.run(withDays(at(days)), strict);
    expect(warned.status).toBe("warn");
    expect(warned.reason).toContain(`ROLE_END_WARN_DAYS (${days})`);
    expect(check.run(withDays(at(days + 1)), strict).status).toBe("pass");
  });
});
