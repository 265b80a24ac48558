/** The global roll-up's content: grouped most urgent first, each change with its tenant and tenant-scoped link, capped and counted. */
import { describe, expect, it } from "vitest";
import { MAX_CHAT_ENTRIES, MAX_ENTRIES, renderRollup, rollupDocument } from "../../../lib/alerts/rollup/render.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import type { OutboxAlert } from "../../../lib/model/state.js";
import { MIXED, NOW, SAMPLES } from "./samples.js";

const tenant = (a: OutboxAlert, i: number): OutboxAlert => ({ ...a, tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, tenantName: `T${i}` });
const input = (alerts: OutboxAlert[]) => ({ id: "r1", createdAt: NOW.toISOString(), alerts, dashboardUrl: "https://dash.example/" });

describe("the roll-up", () => {
  it("lists new drift, then degraded, then reminders and not-checked, then resolved, whatever the order of the alerts", () => {
    const alerts = [SAMPLES.resolved!, SAMPLES.reminder!, SAMPLES["monitoring-degraded"]!, SAMPLES["not-checked"]!, SAMPLES["drift-detected"]!].map(tenant);
    const titles = rollupDocument(input(alerts))
      .blocks.map((b) => b.title)
      .filter((t) => !/^T\d/.test(t));
    expect(titles.map((t) => t.split(" — ")[0])).toEqual(["New drift", "Monitoring degraded", "Still failing or not checked", "Resolved"]);
  });

  it("lists every kind of change but a finding's change (never mailed): none vanishes from the summary", () => {
    const alerts = Object.values(SAMPLES).map(tenant);
    const kinds = new Set(alerts.flatMap((a) => a.transitions.map((t) => t.kind)));
    expect(kinds).toContain("early-warning");
    expect(kinds).toContain("finding-changed");
    const doc = rollupDocument(input(alerts));
    const mailed = alerts.filter((a) => a.transitions.some((t) => t.kind !== "finding-changed"));
    const changes = mailed.reduce((n, a) => n + a.transitions.length, 0);
    expect(doc.heading).toBe(`${changes} changes in ${mailed.length} tenants`);
    expect(doc.blocks.map((b) => b.title)).not.toContainEqual(expect.stringMatching(/Changed/));
    expect(doc.blocks.map((b) => b.title)).toContainEqual(expect.stringMatching(/^Early warnings — /));
  });

  it("counts and lists an alert's mailed changes alone when it also holds a finding's change", () => {
    const r = renderRollup(input([tenant(MIXED, 5), tenant(SAMPLES.reminder, 6)]));
    expect(r.subject).toBe("[Drift Monitor] 3 changes in 2 tenants — 2 new drift, 1 still failing or not checked");
    expect(r.document.heading).toBe("3 changes in 2 tenants");
    const titles = r.document.blocks.map((b) => b.title);
    expect(titles).toContain("New drift — 2 changes in 1 tenant");
    expect(titles).toContain("Still failing or not checked — 1 change in 1 tenant");
    expect(titles.filter((t) => t.startsWith("T5: "))).toHaveLength(2);
    for (const part of [r.text, r.html]) expect(part).not.toContain("Changed");
  });

  it("names the tenant in every change and links into that tenant", () => {
    const doc = rollupDocument(input([tenant(SAMPLES["drift-detected"]!, 7)]));
    const changes = doc.blocks.filter((b) => b.title.startsWith("T7: "));
    expect(changes).toHaveLength(3);
    for (const b of changes) for (const l of b.links) if (/entra\.microsoft\.com/.test(l.url)) expect(l.url).toContain("00000000-0000-4000-8000-000000000007");
  });

  it("keeps a tenant's changes together, account by account, naming each account (and its kind) when the tenant has several", () => {
    const first = tenant(SAMPLES["drift-detected"]!, 3);
    const breakGlass = {
      ...tenant(SAMPLES.resolved!, 3),
      id: "bg",
      accountKey: "abcdef012345",
      accountKind: "emergency-access" as const,
      accountUserPrincipalName: "<b>bg</b>@t3.example",
    };
    const other = tenant(SAMPLES.resolved!, 1);
    const titles = rollupDocument(input([breakGlass, other, first])).blocks.map((b) => b.title);
    const named = titles.filter((t) => /^T\d/.test(t));
    expect(named.filter((t) => t.startsWith("T1")).every((t) => t.startsWith("T1: "))).toBe(true);
    expect(
      named.filter((t) => t.startsWith("T3")).every((t) => /^T3 — (connection account )?\S+|^T3 — emergency-access account <b>bg<\/b>@t3\.example: /.test(t)),
    ).toBe(true);
    expect(named).toContainEqual(expect.stringMatching(/^T3 — emergency-access account <b>bg<\/b>@t3\.example: /));
    // Alone in the window, a tenant's first account's changes are named by the tenant, as before.
    expect(
      rollupDocument(input([first]))
        .blocks.map((b) => b.title)
        .filter((t) => /^T3/.test(t))
        .every((t) => t.startsWith("T3: ")),
    ).toBe(true);
    expect(renderRollup(input([breakGlass, first])).html).toContain("&lt;b&gt;bg&lt;/b&gt;@t3.example");
  });

  it("caps the email and the chat message, counting the rest and linking the dashboard", () => {
    const many = Array.from({ length: 100 }, (_, i) => tenant(SAMPLES["drift-detected"]!, i));
    const r = renderRollup(input(many));
    expect(r.subject).toBe("[Drift Monitor] 300 changes in 100 tenants — 300 new drift");
    expect(r.text).toContain(`${300 - MAX_ENTRIES} MORE CHANGES NOT LISTED`);
    expect(r.html).toContain("https://dash.example/");
    const chat = r.document.blocks;
    expect(chat.filter((b) => /^T\d/.test(b.title))).toHaveLength(MAX_CHAT_ENTRIES);
    expect(chat.at(-1)?.title).toBe(`${300 - MAX_CHAT_ENTRIES} more changes not listed`);
    const ref = { id: "r1", generation: 0, key: "r1.0" };
    const slack = slackPayload(r.document, ref) as { blocks: unknown[] };
    // The "more not listed" block survives Slack's 50-block cap.
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack)).toContain("more changes not listed");
    expect(JSON.stringify(teamsPayload(r.document, ref)).length).toBeLessThan(28_000);
  });
});
