/**
 * The collector and the facts read only when due (fake Graph): what goes in the batches, what is
 * read in one more round once the batches call for it, and what is carried, marked with its read time.
 */
import { describe, expect, it } from "vitest";
import { collectFacts, type CollectOptions } from "../../../lib/graph/collect.js";
import type { PreviousRun } from "../../../lib/graph/facts/due.js";
import { hoursAgo, NOW, PERIODS, previous, tenant } from "./due-helpers.js";
import { batchResponder, fakeClient, healthy, USER_ID, user, type SubAnswer } from "./fake-graph.js";

const report = { ok: true as const, value: { isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ["password"], lastUpdatedDateTime: null } };
const office = { id: "loc-office", displayName: "Office", kind: "ip" as const, isTrusted: true, cidrs: ["203.0.113.0/24"], truncated: false };
const location = { ...office, countries: [], includeUnknownCountriesAndRegions: false, countryLookupMethod: null, modifiedDateTime: null };
/** Tenant 0's periods did not turn in the hour before NOW (due-report-revocation.test.ts): nothing is due by time. */
const steady: PreviousRun = previous({
  registrationDetails: { fact: report, readAt: hoursAgo(0.5) },
  signInContexts: { fact: { ok: true, value: [] }, readAt: hoursAgo(1) },
  namedLocations: { fact: { ok: true, value: [location] }, readAt: hoursAgo(1) },
});

async function collect(prev: PreviousRun | null, answer: (v: string, url: string, id: string) => SubAnswer = healthy) {
  const { client, seen } = fakeClient(batchResponder(answer));
  const options: CollectOptions = { now: NOW, signInLookbackHours: 24, sleep: async () => {}, random: () => 0.5, previous: prev, periods: PERIODS };
  const result = await collectFacts(client, { tenantId: tenant(0), accountRef: USER_ID, accountObjectId: USER_ID }, options);
  const rounds = seen.map((s) => (s.body as { requests: Array<{ id: string; url: string }> }).requests);
  return { ...result, rounds, ids: rounds.flat().map((r) => r.id) };
}

describe("collectFacts: facts read only when due", () => {
  it("steady state: none of them is requested; each holds its last value, marked with when it was read", async () => {
    const { facts, roundTrips, ids } = await collect(steady);
    expect(roundTrips).toBe(2);
    expect(ids).not.toContain("registrationDetails");
    expect(ids).not.toContain("signInContexts");
    expect(ids).not.toContain("namedLocations");
    expect(ids).not.toContain("sessionRevocation");
    expect(facts.registrationDetails).toEqual({ ...report, carried: { readAt: hoursAgo(0.5) } });
    expect(facts.signInContexts).toEqual({ ok: true, value: [], carried: { readAt: hoursAgo(1) } });
    expect(facts.namedLocations).toEqual({ ok: true, value: [location], carried: { readAt: hoursAgo(1) } });
    // Nothing to look up in the audit log is no carried value: it was never read.
    expect(facts.sessionRevocation).toEqual({ ok: true, value: null });
    expect(facts.authMethods).not.toHaveProperty("carried");
  });

  it("a tenant's first run: the report and the contexts in the batches, the named locations in the round after (never with the policies)", async () => {
    const { facts, rounds } = await collect(null);
    expect(rounds).toHaveLength(3);
    expect(
      rounds
        .slice(0, 2)
        .flat()
        .map((r) => r.id),
    ).toEqual(expect.arrayContaining(["registrationDetails", "signInContexts", "conditionalAccessPolicies"]));
    expect(rounds[2]!.map((r) => r.id)).toEqual(["namedLocations"]);
    expect(facts.namedLocations).toEqual({ ok: true, value: [] });
  });

  it("the methods changed: the report is read in one more round, and is not marked", async () => {
    const added = (v: string, url: string, id: string): SubAnswer =>
      id === "authMethods"
        ? {
            status: 200,
            body: {
              value: [
                { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" },
                { "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "k" },
              ],
            },
          }
        : healthy(v, url);
    const { facts, rounds } = await collect(steady, added);
    expect(rounds).toHaveLength(3);
    expect(rounds[2]!.map((r) => r.id)).toEqual(["registrationDetails"]);
    expect(facts.registrationDetails).toEqual({
      ok: true,
      value: { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: null },
    });
  });

  it("sessions revoked after the last sign-in: the audit log is read in one more round, around the revocation", async () => {
    const validFrom = hoursAgo(1);
    const revoked = (v: string, url: string, id: string): SubAnswer => {
      if (id === "account") return { status: 200, body: { ...user, signInSessionsValidFromDateTime: validFrom } };
      if (id === "signInActivity") return { status: 200, body: { id: USER_ID, signInActivity: { lastSuccessfulSignInDateTime: hoursAgo(2) } } };
      if (id === "sessionRevocation") return { status: 200, body: { value: [] } };
      return healthy(v, url);
    };
    const { facts, rounds } = await collect(steady, revoked);
    expect(rounds).toHaveLength(3);
    expect(rounds[2]!.map((r) => r.id)).toEqual(["sessionRevocation"]);
    expect(decodeURIComponent(rounds[2]![0]!.url)).toContain(`activityDateTime ge ${new Date(Date.parse(validFrom) - 10 * 60_000).toISOString()}`);
    expect(facts.sessionRevocation).toEqual({ ok: true, value: { events: [] } });
  });

  it("the account unreadable: the audit read fails as a dependency, never holds null", async () => {
    const down = (v: string, url: string, id: string): SubAnswer => (id === "signInActivity" ? { status: 503, body: {} } : healthy(v, url));
    const { facts } = await collect(steady, down);
    expect(facts.sessionRevocation).toMatchObject({ ok: false, code: "dependency" });
  });
});
