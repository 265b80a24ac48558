/** Set-up shared by the collect-*.test.ts files: the Graph simulator over HTTPS, the sample tenants they read, and a collect() with the real Graph client. */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { collectFacts, createGraphClient, type CollectTarget, type CredentialDeps } from "../../lib/graph/index.js";
import type { Settings } from "../../lib/config/settings.js";
import type { PreviousRun } from "../../lib/graph/facts/due.js";
import type { TenantFacts } from "../../lib/model/facts.js";
import { SAMPLE_TENANTS, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";

// Sample estate tenants (sim/estate/tenants).
export const WOODGROVE = "d7f00000-0000-4000-8000-000000000001"; // compliant, 35 baseline policies (2 pages of 25)
export const LITWARE = "d7f00000-0000-4000-8000-000000000006"; // no Entra ID P1
export const TREY = "d7f00000-0000-4000-8000-000000000012"; // consent revoked
export const CONTOSO = "d7f00000-0000-4000-8000-000000000013"; // o'neil@contoso.com
export const RELECLOUD = "d7f00000-0000-4000-8000-000000000014"; // ~300 policies
export const LUCERNE = "d7f00000-0000-4000-8000-000000000015"; // no P1, otherwise compliant
export const BELLOWS = "d7f00000-0000-4000-8000-000000000016"; // account does not exist

export const FACT_KEYS = [
  "account",
  "membership",
  "roleAssignments",
  "roleEligibility",
  "roleAssignmentInstances",
  "conditionalAccessPolicies",
  "securityDefaults",
  "perUserMfa",
  "authMethods",
  "registrationDetails",
  "registrationCampaign",
  "signIns",
] as const;
export const failed = (facts: TenantFacts) => FACT_KEYS.filter((k) => !facts[k].ok);

export let sim: RunningSimulator;
export const sleeps: number[] = [];

function tokenSettings(tenantId: string): Pick<Settings, "graphEndpoint" | "graphAuth"> {
  return { graphEndpoint: sim.url, graphAuth: { mode: "token", accessToken: sim.mintToken(tenantId), authorityHost: sim.url } };
}

function upnOf(tenantId: string): string {
  const t = SAMPLE_TENANTS.find((s) => s.tenantId === tenantId);
  if (!t) throw new Error(`no sample tenant ${tenantId}`);
  return t.account;
}

export function idOf(tenantId: string): string {
  const upn = upnOf(tenantId).toLowerCase();
  const user = sim.state.tenant(tenantId).users.find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) throw new Error(`account of ${tenantId} not in the estate`);
  return user.id;
}

type NamedIn = { conditions?: { locations?: { includeLocations?: string[]; excludeLocations?: string[] } | null } | null };

/** What a steady-state run keeps: contexts and named locations read just now, and every location the policies name already looked for. */
export function steadyPrevious(tenantId: string, state: RunningSimulator["state"] = sim.state): PreviousRun {
  const now = state.now().toISOString();
  const policies = state.tenant(tenantId).conditionalAccessPolicies as unknown as NamedIn[];
  const named = policies.flatMap((p) => [...(p.conditions?.locations?.includeLocations ?? []), ...(p.conditions?.locations?.excludeLocations ?? [])]);
  return {
    tenantId,
    at: now,
    methods: null,
    observed: {
      contextsReadAt: now,
      contextsUnlicensed: null,
      contexts: [],
      locationsReadAt: now,
      locations: [],
      locationsUnknownIds: [...new Set(named.map((id) => id.toLowerCase()))],
      whatIf: null,
    },
    reads: { signInContexts: { fact: { ok: true, value: [] }, readAt: now }, namedLocations: { fact: { ok: true, value: [] }, readAt: now } },
  };
}

export async function collect(tenantId: string, target: Partial<CollectTarget> = {}, settings = tokenSettings(tenantId), credentialDeps?: CredentialDeps) {
  const client = createGraphClient({ tenantId, settings, credentialDeps });
  return collectFacts(
    client,
    { tenantId, accountRef: upnOf(tenantId), ...target },
    {
      now: sim.state.now(),
      signInLookbackHours: 24,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      graphEndpoint: sim.url,
      // The sign-in contexts and named locations as in a steady-state run (not due: carried), so these
      // tests count the requests of the facts read on every run; collect.test.ts and
      // runner-observed.test.ts cover reading them.
      previous: steadyPrevious(tenantId),
    },
  );
}

export const simRoundTrips = (tenantId: string) => sim.state.counters.httpByTenant[tenantId.toLowerCase()] ?? 0;

/** Registers the set-up and tear-down every test file of this group shares. */
export function useSimulator(): void {
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => {
    sim.state.clearFaults();
    sim.state.resetCounters();
    sleeps.length = 0;
  });
}
