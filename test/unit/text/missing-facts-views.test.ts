/**
 * One report whose Conditional Access verdicts rest on facts Graph cannot give, and every view of
 * it: each says the same line per missing fact (lib/text/missing-facts.ts), word for word — the
 * CLI report, the dashboard's tenant page, the email (HTML and text), the Teams and Slack
 * webhooks, and the API's tenant view after the state row and the outbox row were stored and read.
 */
import { registeredTenantSchema } from "../../../lib/model/tenant.js";
import { describe, expect, it } from "vitest";
import { formatReportText } from "../../../cli/report/format-text.js";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { evaluate } from "../../../lib/checks/evaluate.js";
import { PROFILES } from "../../../lib/checks/profiles.js";
import { checkSection } from "../../../lib/dashboard/checks-section.js";
import { failingFindings } from "../../../lib/drift/observe.js";
import { storedOutboxAlert, storedState } from "../../../lib/model/stored.js";
import type { OutboxAlert, TenantState } from "../../../lib/model/state.js";
import { tenantDetail } from "../../../lib/status/views.js";
import { missingFactLines } from "../../../lib/text/missing-facts.js";
import { facts, ok, policy, TENANT_ID } from "../checks/builders.js";
import { ipLocation, signInContext } from "../checks/observed-contexts-helpers.js";
import { alertOf, NOW } from "../alerts/samples.js";
import { minimalState } from "../../support/state.js";

const report = evaluate(
  facts({
    conditionalAccessPolicies: ok([
      policy({ id: "p-block", displayName: "Block everyone" }),
      policy({ id: "p-off-site", displayName: "MFA off site", conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } }),
      policy({ id: "p-insider", displayName: "Insider risk", conditions: { insiderRiskLevels: "elevated" } }),
    ]),
    signInContexts: ok([signInContext()]),
    namedLocations: ok([ipLocation("loc-trusted", ["198.51.100.0/24"], { isTrusted: true })]),
  }),
  PROFILES.strict!,
);
const ca = report.checks.find((c) => c.id === "conditional-access")!;
const LINES = missingFactLines(ca.missingFacts);

/** Text a browser shows: tags removed, entities decoded. */
const visible = (html: string): string =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const squash = (text: string): string => text.replace(/\s+/g, " ");
/** Every string of a JSON payload, as the chat client shows it (a Markdown backslash escape shows as the character). */
const strings = (value: unknown): string =>
  typeof value === "string"
    ? value.replace(/\\(.)/g, "$1")
    : Array.isArray(value)
      ? value.map(strings).join("\n")
      : value !== null && typeof value === "object"
        ? Object.values(value).map(strings).join("\n")
        : "";

function expectEveryLine(view: string): void {
  for (const line of LINES) expect(view).toContain(line);
}

describe("a missing fact reads the same in every view", () => {
  it("the report names two, each with the policy resting on it", () => {
    expect(ca.status).toBe("fail");
    expect(LINES).toHaveLength(2);
    expect(LINES[0]).toMatch(/^Missing fact: MFA trusted IPs \(for "MFA off site"\): /);
    expect(LINES[1]).toMatch(/^Missing fact: insider risk level \(for "Insider risk"\): /);
  });

  it("the CLI report", () => {
    const text = formatReportText(report);
    expectEveryLine(text);
    expect(text).toContain("rests on: MFA trusted IPs");
  });

  it("the dashboard's tenant page", () => {
    const html = checkSection(ca, TENANT_ID).value;
    expectEveryLine(visible(html));
    expect(visible(html)).toContain("rests on: insider risk level");
  });

  // The drift-detected alert of the blocking policy, carried through a stored outbox row.
  const refs = [...failingFindings(report).values()];
  const written: OutboxAlert = alertOf("0a1b2c3d4e5f60718293a4b5c6d7e8f0", [
    { kind: "drift-detected", key: "drift-detected|ca|p-block", finding: { ...refs[0]!, since: NOW.toISOString() } },
  ]);
  const read = storedOutboxAlert.read(JSON.parse(JSON.stringify(written)));
  const alert = read.success ? read.data : written;

  it("the outbox row keeps them", () => {
    expect(read.success).toBe(true);
    expect(refs.map((r) => r.subject)).toEqual(["p-block"]);
    expect(alert.transitions[0]).toMatchObject({ finding: { missingFacts: ca.missingFacts } });
  });

  it("the email, HTML and text", () => {
    const r = renderAlert(alert, { now: NOW });
    expectEveryLine(squash(r.text));
    expectEveryLine(visible(r.html));
  });

  it("the Teams and Slack webhooks", () => {
    const doc = renderAlert(alert, { now: NOW }).document;
    expectEveryLine(strings(teamsPayload(doc)));
    expectEveryLine(strings(slackPayload(doc)));
  });

  it("the API's tenant view (and `status --json`), after the state row is stored and read back", () => {
    const state: TenantState = minimalState(TENANT_ID, { report });
    const stored = storedState.read(JSON.parse(JSON.stringify(state)));
    expect(stored.success).toBe(true);
    const who = { account: "svc@contoso.com", accountObjectId: null, recipients: [] };
    const tenant = registeredTenantSchema.parse({ tenantId: TENANT_ID, displayName: "Contoso", ...who, profile: "strict", enabled: true });
    const view = tenantDetail(tenant, [{ account: tenant.accounts[0]!, state: stored.success ? stored.data : undefined }], new Map(), null);
    const check = view.report?.checks.find((c) => c.id === "conditional-access");
    expect(check?.missingFacts).toEqual(ca.missingFacts);
    expect(missingFactLines(check?.missingFacts)).toEqual(LINES);
  });
});
