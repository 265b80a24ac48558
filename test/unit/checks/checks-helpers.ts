/** Shared by the checks-*.test.ts files: the two profiles, a row of expected verdicts, and running a row under one or both profiles. */
import { expect } from "vitest";
import { CHECKS, getProfile } from "../../../lib/checks/index.js";
import type { CheckId } from "../../../lib/checks/registry.js";
import type { CheckStatus, Profile, TenantFacts } from "../../../lib/model/index.js";
import { failed, ok } from "./builders.js";

export const strict = getProfile("strict")!;
export const enrolled = getProfile("security-defaults-enrolled")!;
const BOTH: [string, Profile][] = [
  ["strict", strict],
  ["security-defaults-enrolled", enrolled],
];

export interface Row {
  name: string;
  facts: TenantFacts;
  status: CheckStatus;
  summary?: string | RegExp;
  reason?: RegExp;
  evidence?: RegExp;
}

export function expectRow(id: CheckId, row: Row, profile: Profile): void {
  const r = CHECKS[id].run(row.facts, profile);
  expect(r.id).toBe(id);
  expect(r.status).toBe(row.status);
  if (typeof row.summary === "string") expect(r.summary).toBe(row.summary);
  if (row.summary instanceof RegExp) expect(r.summary).toMatch(row.summary);
  if (row.reason) expect(r.reason).toMatch(row.reason);
  if (row.evidence) expect(r.evidence?.join("\n")).toMatch(row.evidence);
  if (r.status === "fail" || r.status === "warn") expect(r.remediation).toBeTruthy();
  if (r.status === "unknown" || r.status === "skipped") expect(r.reason).toBeTruthy();
}

/** Rows whose verdict is the same under both profiles run under both. */
export function both(rows: Row[]): [string, Row, Profile][] {
  return rows.flatMap((row) => BOTH.map(([pname, p]): [string, Row, Profile] => [`${row.name} (${pname})`, row, p]));
}

export const forbidden = <T>(permission: string) => failed<T>("forbidden", "Graph answered 403", permission);
export const notFound = { account: ok(null) } as const;
export const turnedOff = (id: CheckId): Profile => ({ ...strict, name: "custom", disabledChecks: [id] });
