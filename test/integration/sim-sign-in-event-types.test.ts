/**
 * The simulator's beta List signIns and the event-type lambda: one `or` lambda naming
 * both user event types answers interactive and non-interactive sign-ins in one listing, as Graph
 * does; a single-type lambda still answers its type only (older clients); no lambda, interactive only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signInsFilter } from "../../lib/graph/facts/sign-ins.js";
import type { SimSignIn } from "../../sim/types.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { batch, getJson } from "./sim-helpers.js";

type Obj = Record<string, unknown>;
const now = new Date("2026-03-10T12:00:00Z");
const SINCE = "2026-03-09T12:00:00.000Z";
const TENANT = sampleTenant("Woodgrove").tenantId;
const USER = "5f1d7e3a-0000-4000-8000-00000000a001";
const BOTH = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";
const CODES = "(status/errorCode eq 50076 or status/errorCode eq 53003)";

const signIn = (id: string, minutesAgo: number, type: string, errorCode: number): SimSignIn => ({
  id,
  userId: USER,
  minutesAgo,
  isInteractive: type === "interactiveUser",
  signInEventTypes: [type],
  status: { errorCode, failureReason: null },
});

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ now: () => now });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.state.resetCounters();
  sim.state.tenant(TENANT).signIns = [
    signIn("interactive-mfa", 30, "interactiveUser", 50076),
    signIn("refresh-ca", 10, "nonInteractiveUser", 53003),
    signIn("refresh-ok", 5, "nonInteractiveUser", 0),
    signIn("interactive-ok", 20, "interactiveUser", 0),
    signIn("app-only", 15, "servicePrincipal", 53003),
    signIn("old-refresh", 60 * 48, "nonInteractiveUser", 50076),
  ];
});

/** The ids answered for a filter, every page followed. */
async function ids(filter: string, top?: number): Promise<{ ids: string[]; pages: number }> {
  let next: string | undefined = `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}${top ? `&$top=${top}` : ""}`;
  const out: string[] = [];
  let pages = 0;
  while (next) {
    const res = await getJson(sim, TENANT, next);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...(res.body.value as Obj[]).map((s) => String(s.id)));
    pages += 1;
    next = res.body["@odata.nextLink"] as string | undefined;
  }
  return { ids: out, pages };
}

const inWindow = `userId eq '${USER}' and createdDateTime ge ${SINCE}`;

describe("sign-in event types in the simulator", () => {
  it("the `or` lambda returns the interactive and the non-interactive failures, newest first, each once", async () => {
    expect((await ids(`${inWindow} and ${BOTH} and ${CODES}`)).ids).toEqual(["refresh-ca", "interactive-mfa"]);
    // Parenthesised inside the lambda, the same.
    expect((await ids(`${inWindow} and signInEventTypes/any(t: (t eq 'nonInteractiveUser' or t eq 'interactiveUser')) and ${CODES}`)).ids).toEqual([
      "refresh-ca",
      "interactive-mfa",
    ]);
    // Successes too without the codes; never the service principal's sign-in, never outside the window.
    expect((await ids(`${inWindow} and ${BOTH}`)).ids).toEqual(["refresh-ok", "refresh-ca", "interactive-ok", "interactive-mfa"]);
  });

  it("a single-type lambda still returns only its type; no lambda, interactive only", async () => {
    expect((await ids(`${inWindow} and signInEventTypes/any(t: t eq 'interactiveUser') and ${CODES}`)).ids).toEqual(["interactive-mfa"]);
    expect((await ids(`${inWindow} and signInEventTypes/any(t: t eq 'nonInteractiveUser') and ${CODES}`)).ids).toEqual(["refresh-ca"]);
    expect((await ids(`${inWindow} and ${CODES}`)).ids).toEqual(["interactive-mfa"]);
  });

  it("pages the `or` listing with $top", async () => {
    expect(await ids(`${inWindow} and ${BOTH}`, 3)).toEqual({ ids: ["refresh-ok", "refresh-ca", "interactive-ok", "interactive-mfa"], pages: 2 });
  });

  it("the product's filter, as one beta sub-request, reads both failures and takes one report request", async () => {
    // signInsFilter's failure codes are the check's (lib/checks/well-known.ts), 50076 and 53003 among them.
    const url = `/auditLogs/signIns?$filter=${encodeURIComponent(signInsFilter(USER, SINCE))}`;
    expect(decodeURIComponent(url)).toContain(BOTH);
    const { status, responses } = await batch(sim, TENANT, "beta", [url]);
    expect(status).toBe(200);
    expect(responses[0]?.status).toBe(200);
    expect((responses[0]?.body.value as Obj[]).map((s) => s.id)).toEqual(["refresh-ca", "interactive-mfa"]);
    expect(sim.state.counters.byEndpoint.signIns).toBe(1);
  });
});
