import { describe, expect, it } from "vitest";
import { renderDigest } from "../../../lib/alerts/digest/render.js";
import { ageBucket, summariseEstate } from "../../../lib/alerts/digest/summary.js";
import { operationIdFor } from "../../../lib/alerts/ids.js";
import { DIGEST_INPUT, HOSTILE_POLICY, HOSTILE_TENANT, NOW } from "./samples.js";

describe("digest", () => {
  const s = summariseEstate(DIGEST_INPUT);

  it("counts drifted, degraded, compliant, never checked, findings by age and dead letters", () => {
    expect(s.day).toBe("2026-03-04");
    expect(s.drifted.map((l) => l.name)).toEqual([HOSTILE_TENANT, "Tailspin Toys"]);
    expect(s.degraded.map((l) => l.name)).toEqual(["Fabrikam"]);
    expect(s.compliant.map((l) => l.name)).toEqual(["Northwind Traders"]);
    expect(s.neverChecked.map((t) => t.displayName)).toEqual(["Woodgrove Bank"]);
    expect(s.openFindings).toBe(3);
    expect(s.findingsByAge).toEqual({ "under 1 day": 1, "1–7 days": 0, "7–30 days": 1, "over 30 days": 1 });
    expect(s.deadLetters).toHaveLength(1);
  });

  it("leaves out tenants that were removed or disabled, whose history is still stored", () => {
    const registered = (DIGEST_INPUT.tenants ?? []).filter((t) => t.displayName !== "Tailspin Toys");
    const removed = summariseEstate({ ...DIGEST_INPUT, tenants: registered });
    expect(removed.drifted.map((l) => l.name)).toEqual([HOSTILE_TENANT]);
    const disabled = summariseEstate({
      ...DIGEST_INPUT,
      tenants: (DIGEST_INPUT.tenants ?? []).map((t) => (t.displayName === "Fabrikam" ? { ...t, enabled: false } : t)),
    });
    expect(disabled.degraded).toEqual([]);
  });

  it("shows acknowledged findings as such, and counts a tenant drifted only in what an exception allows as compliant", () => {
    const [first, , , fourth] = DIGEST_INPUT.states;
    if (!first || !fourth) throw new Error("the sample estate changed");
    const standing = { kind: "acknowledged" as const, by: "ann", at: NOW.toISOString(), until: "2026-03-09T00:00:00.000Z", reason: "customer call" };
    const acked = { ...first, findings: first.findings.map((f) => ({ ...f, state: "acknowledged" as const, standing })) };
    const excepted = {
      ...fourth,
      findings: fourth.findings.map((f) => ({ ...f, status: "resolved" as const, lastHeard: "resolved" as const, state: "excepted" as const })),
    };
    const d = summariseEstate({ ...DIGEST_INPUT, states: [acked, ...DIGEST_INPUT.states.slice(1, 3), excepted] });
    expect(d.drifted.map((l) => l.name)).toEqual([HOSTILE_TENANT]);
    expect(d.compliant.map((l) => l.name)).toEqual(["Northwind Traders", "Tailspin Toys"]);
    expect(renderDigest(d).text).toContain("2 open findings (2 acknowledged), oldest failing for");
    expect(renderDigest(d).text).toContain("[acknowledged by ann until 2026-03-09 00:00 UTC: customer call]");
  });

  it("lists each account under its tenant, with its kind, the tenant's accounts together; a one-connection-account tenant by its name alone", () => {
    const T = "00000000-0000-4000-8000-0000000000aa";
    const accounts = [
      { key: "", ref: "svc@a.example", kind: "connection" as const },
      { key: "aaaaaaaaaaaa", ref: "bg1@a.example", kind: "emergency-access" as const },
      { key: "bbbbbbbbbbbb", ref: "<b>bg2</b>@a.example", kind: "emergency-access" as const },
    ];
    const [drifted] = DIGEST_INPUT.states;
    const compliant = DIGEST_INPUT.states.find((s) => s.lastReport.status === "compliant" && s.findings.length === 0);
    const [worst] = drifted?.findings ?? [];
    if (!drifted || !compliant || !worst) throw new Error("the sample estate changed");
    // A consent finding is less severe than every other drifted line's: the tenant is placed by its worst account, its accounts together.
    const consent = [{ ...worst, key: "consent|", checkId: "consent", subject: "" }];
    const states = [
      ...DIGEST_INPUT.states,
      { ...compliant, tenantId: T },
      { ...drifted, tenantId: T, accountKey: "bbbbbbbbbbbb", findings: consent },
      { ...drifted, tenantId: `${T}|aaaaaaaaaaaa` },
    ];
    const tenants = [...(DIGEST_INPUT.tenants ?? []), { tenantId: T, displayName: "Aardvark", enabled: true, accounts }];
    const d = summariseEstate({ ...DIGEST_INPUT, states, tenants });
    expect(d.drifted.map((l) => l.name)).toEqual([
      "Aardvark — emergency-access account bg1@a.example",
      "Aardvark — emergency-access account <b>bg2</b>@a.example",
      HOSTILE_TENANT,
      "Tailspin Toys",
    ]);
    // With only less severe findings, the tenant comes after the others, however early its name.
    const mild = states.map((s) => (s.tenantId === `${T}|aaaaaaaaaaaa` ? { ...s, findings: consent } : s));
    expect(summariseEstate({ ...DIGEST_INPUT, states: mild, tenants }).drifted.map((l) => l.name)).toEqual([
      HOSTILE_TENANT,
      "Tailspin Toys",
      "Aardvark — emergency-access account bg1@a.example",
      "Aardvark — emergency-access account <b>bg2</b>@a.example",
    ]);
    expect(d.compliant.map((l) => l.name)).toEqual(["Aardvark — connection account svc@a.example", "Northwind Traders"]);
    const email = renderDigest(d);
    expect(email.text).toContain("DRIFTED — 3 TENANTS, 4 ACCOUNTS");
    expect(email.text).toContain("These accounts fail a requirement");
    expect(email.html).toContain("&lt;b&gt;bg2&lt;/b&gt;@a.example");
    expect(email.html).not.toContain("<b>bg2</b>");
    const unchecked = summariseEstate({ ...DIGEST_INPUT, states: DIGEST_INPUT.states, tenants });
    expect(unchecked.neverChecked.filter((t) => t.tenantId === T).map((t) => t.displayName)).toEqual([
      "Aardvark — connection account svc@a.example",
      "Aardvark — emergency-access account bg1@a.example",
      "Aardvark — emergency-access account <b>bg2</b>@a.example",
    ]);
  });

  it("buckets ages at 1, 7 and 30 days", () => {
    const at = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
    expect([0.5, 1, 6.9, 7, 29, 30].map((d) => ageBucket(at(d), NOW))).toEqual([
      "under 1 day",
      "1–7 days",
      "1–7 days",
      "7–30 days",
      "7–30 days",
      "over 30 days",
    ]);
  });

  it("renders escaped, with one identity per day", () => {
    const r = renderDigest(s);
    expect(r.subject).toBe("[Drift digest] 2026-03-04 — 2 drifted, 1 degraded, 1 compliant, 1 undelivered alert");
    expect(r.id).toBe("digest-2026-03-04");
    expect(r.operationId).toBe(operationIdFor("digest-2026-03-04"));
    expect(r.html).not.toContain("<img");
    expect(r.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(r.text).toContain(HOSTILE_POLICY);
    expect(r.text).toContain("ACS 403 Denied");
    expect(r.text).toContain("over 30 days");
  });
});
