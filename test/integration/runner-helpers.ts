/**
 * Shared pieces of the runner's integration tests: the real collector and rules against a test
 * simulator, a store on the run's Azurite in tables of its own, a clock the test moves, and a TCP
 * proxy in front of Azurite that a test can cut to make storage unreachable mid-run.
 */
import { randomBytes } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { evaluate, getProfile } from "../../lib/checks/index.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { collectAccounts, createGraphClient } from "../../lib/graph/index.js";
import { registeredTenantSchema, type RegisteredTenant } from "../../lib/model/tenant.js";
import type { Transition } from "../../lib/model/state.js";
import type { RunnerDeps, RunnerStore } from "../../lib/runner/index.js";
import { createStore, type Store, type StoreOptions } from "../../lib/store/index.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import type { GraphCaPolicy } from "../../sim/types.js";

export class TestClock {
  constructor(private at: Date) {}
  now = (): Date => new Date(this.at.getTime());
  advanceHours(hours: number): Date {
    this.at = new Date(this.at.getTime() + hours * 3_600_000);
    return this.now();
  }
}

export function uniqueTables(prefix: string): Required<Pick<StoreOptions, "tenantsTable" | "monitorTable">> {
  const suffix = randomBytes(4).toString("hex");
  return { tenantsTable: `${prefix}T${suffix}`, monitorTable: `${prefix}M${suffix}` };
}

export function azuriteStore(tables: ReturnType<typeof uniqueTables>, connectionString?: string, options: StoreOptions = {}): Store {
  const storage = connectionString ? { kind: "connection-string" as const, connectionString } : loadStoreSettings(process.env).storage;
  return createStore(storage, { ...tables, ...options });
}

/** A sample tenant registered as the runner expects it. */
export function registered(name: string, overrides: Partial<RegisteredTenant> = {}): RegisteredTenant {
  const t = sampleTenant(name);
  return registeredTenantSchema.parse({
    tenantId: t.tenantId,
    displayName: t.displayName,
    account: t.account,
    accountObjectId: null,
    recipients: ["ops@example.com"],
    profile: "strict",
    enabled: true,
    ...overrides,
  });
}

export function runnerDeps(sim: RunningSimulator, store: RunnerStore, clock: TestClock, overrides: Partial<RunnerDeps> = {}): RunnerDeps {
  return {
    store,
    graphClient: (tenant) =>
      createGraphClient({
        tenantId: tenant.tenantId,
        settings: { graphEndpoint: sim.url, graphAuth: { mode: "token", accessToken: sim.mintToken(tenant.tenantId), authorityHost: sim.url } },
        maxRetries: 0,
      }),
    collectAccounts,
    evaluate,
    getProfile,
    now: clock.now,
    settings: { reminderHours: 24, unknownAlertAfter: 3, snapshotRetentionDays: 90, signInLookbackHours: 24, graphEndpoint: sim.url },
    collectOptions: { sleep: async () => {}, random: () => 0.5 },
    ...overrides,
  };
}

/** The id of the sample tenant's connection account in the simulator. */
export function accountIdOf(sim: RunningSimulator, tenant: RegisteredTenant): string {
  const ref = tenant.accounts[0]?.ref ?? "";
  const user = sim.state.tenant(tenant.tenantId).users.find((u) => u.userPrincipalName.toLowerCase() === ref.toLowerCase());
  if (!user) throw new Error(`no account ${ref}`);
  return user.id;
}

/** A TCP proxy on 127.0.0.1 that can be cut (every connection dropped, new ones refused) and healed. */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;
  private readonly server: Server;
  port = 0;

  private constructor(targetPort: number) {
    this.server = createServer((client) => {
      if (this.cut) {
        client.destroy();
        return;
      }
      const upstream = connect(targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  static async start(targetPort: number): Promise<CuttableProxy> {
    const proxy = new CuttableProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    const address = proxy.server.address();
    if (!address || typeof address === "string") throw new Error("proxy has no port");
    proxy.port = address.port;
    return proxy;
  }

  cutOff(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  heal(): void {
    this.cut = false;
  }

  async stop(): Promise<void> {
    this.cutOff();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A store on the same tables whose Table traffic goes through `proxy` (cut it to make storage unreachable), failing fast. */
export function proxiedStore(tables: ReturnType<typeof uniqueTables>, proxy: CuttableProxy): Store {
  const connectionString = (process.env.AzureWebJobsStorage ?? "").replace(
    /TableEndpoint=http:\/\/127\.0\.0\.1:\d+/,
    `TableEndpoint=http://127.0.0.1:${proxy.port}`,
  );
  return azuriteStore(tables, connectionString, { clientOptions: { retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 20 } } });
}

/** A promise gate both racers wait at, so they surely read the same state before either writes. */
export function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let release: () => void = () => {};
  const open = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    waiting++;
    if (waiting >= parties) release();
    await open;
  };
}

/**
 * One simulator per test file, reset before each test with a fresh clock at 2026-03-02 08:00 UTC;
 * `bind` hands them to the file (the simulator is started once, the clock is new every test).
 */
/** The simulator (as useSimulator) and, for each test, a fresh store on Azurite in tables of their own, named from `tablePrefix`. */
export function useSimulatorAndStore(tablePrefix: string, bind: (sim: RunningSimulator, clock: TestClock, store: Store) => void): void {
  useSimulator((sim, clock) => bind(sim, clock, azuriteStore(uniqueTables(tablePrefix))));
}

export function useSimulator(bind: (sim: RunningSimulator, clock: TestClock) => void): void {
  let sim: RunningSimulator | undefined;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => {
    if (!sim) throw new Error("the simulator did not start");
    sim.state.reset();
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.setClock(clock.now);
    bind(sim, clock);
  });
}

/** A Conditional Access policy that blocks the account's sign-ins (all users, all apps) unless its grant controls are met. */
export function blockingCaPolicy(id: string, over: { displayName: string; includeUsers?: string[]; controls?: string[] }): GraphCaPolicy {
  return {
    id,
    displayName: over.displayName,
    state: "enabled",
    createdDateTime: "2026-03-01T00:00:00Z",
    modifiedDateTime: "2026-03-01T00:00:00Z",
    conditions: {
      users: { includeUsers: over.includeUsers ?? ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      clientAppTypes: ["all"],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: { operator: "OR", builtInControls: over.controls ?? ["mfa"], customAuthenticationFactors: [], termsOfUse: [] },
    sessionControls: null,
  };
}

/** Registers the sample tenant `name` (keeping what earlier runs stored on it) and returns it as the store has it. */
export async function registeredIn(store: Pick<Store, "tenants">, name: string): Promise<RegisteredTenant> {
  const base = registered(name);
  await store.tenants.put({ ...base, ...(await store.tenants.get(base.tenantId)) });
  const tenant = await store.tenants.get(base.tenantId);
  if (!tenant) throw new Error(`${name} is not registered`);
  return tenant;
}

/** A run's transitions as `kind:findingKey` (or the kind alone), for asserting what it would mail. */
export const transitionLabels = (ts: readonly Transition[]): string[] => ts.map((t) => ("finding" in t ? `${t.kind}:${t.finding.key}` : t.kind));
