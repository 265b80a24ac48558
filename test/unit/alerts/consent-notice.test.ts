/** The once-per-upgrade consent summary: when the digest says "N tenants need X granted", and when it waits or stays silent. */
import { describe, expect, it } from "vitest";
import { consentNotice, type ConsentNoticeInput } from "../../../lib/alerts/digest/consent-notice.js";
import { evaluate, getProfile } from "../../../lib/checks/index.js";
import type { Report } from "../../../lib/model/index.js";
import { facts, ok } from "../checks/builders.js";

const NOW = new Date("2026-01-02T13:00:00.000Z");
const OLD = ["User.Read.All", "Policy.Read.All"];
const NEW = [...OLD, "Domain.Read.All"];

/** A tenant's last report: its consent result compared with `required`, the app holding `granted`. */
function report(required: readonly string[], granted: readonly string[], checkedAt = "2026-01-02T12:00:00.000Z"): Report {
  const r = evaluate(facts({ requiredPermissions: required, appPermissions: ok({ granted }) }), getProfile("strict")!);
  return { ...r, checkedAt };
}

const tenant = (id: string, enabled = true) => ({ tenantId: id, displayName: `Tenant ${id}`, enabled });

type Case = {
  name: string;
  summarised: readonly string[] | null;
  reports: Record<string, Report | undefined>;
  disabled?: string[];
  record: boolean;
  lines: string[];
};

describe("consentNotice", () => {
  it.each<Case>([
    { name: "nothing new since the last summary", summarised: NEW, reports: { a: report(NEW, OLD) }, record: false, lines: [] },
    {
      name: "grown: two of three tenants lack the new permission",
      summarised: OLD,
      reports: { a: report(NEW, OLD), b: report(NEW, OLD), c: report(NEW, NEW) },
      record: true,
      lines: ["2 tenants need Domain.Read.All granted"],
    },
    { name: "grown, every tenant granted it already: recorded, nothing to say", summarised: OLD, reports: { a: report(NEW, NEW) }, record: true, lines: [] },
    {
      name: "grown, a tenant not compared with the new set yet: wait",
      summarised: OLD,
      reports: { a: report(NEW, OLD), b: report(OLD, OLD) },
      record: false,
      lines: [],
    },
    {
      name: "a tenant not checked for two days does not hold it up",
      summarised: OLD,
      reports: { a: report(NEW, OLD), b: report(OLD, OLD, "2025-12-30T12:00:00.000Z") },
      record: true,
      lines: ["1 tenant needs Domain.Read.All granted"],
    },
    {
      name: "a disabled tenant neither holds it up nor counts",
      summarised: OLD,
      reports: { a: report(NEW, OLD), b: report(OLD, OLD) },
      disabled: ["b"],
      record: true,
      lines: ["1 tenant needs Domain.Read.All granted"],
    },
    {
      name: "never summarised (upgraded from a version without the marker): every permission counts as new",
      summarised: null,
      reports: { a: report(NEW, ["User.Read.All"]) },
      record: true,
      lines: ["1 tenant needs Domain.Read.All granted", "1 tenant needs Policy.Read.All granted"],
    },
    {
      name: "a permission missing before the upgrade is not news",
      summarised: OLD,
      reports: { a: report(NEW, ["User.Read.All", "Domain.Read.All"]) },
      record: true,
      lines: [],
    },
  ])("$name", ({ summarised, reports, disabled, record, lines }) => {
    const input: ConsentNoticeInput = {
      summarised,
      required: NEW,
      tenants: Object.keys(reports).map((id) => tenant(id, !(disabled ?? []).includes(id))),
      reportOf: (id) => reports[id],
      now: NOW,
    };
    const decision = consentNotice(input);
    expect(decision.record).toBe(record);
    expect(decision.lines).toEqual(lines);
  });
});
