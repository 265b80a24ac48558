/**
 * The simulator's mutable state: tenant data, faults, counters and the clock. One instance per
 * running simulator, so each test file that starts its own sim is isolated from the others.
 */
import type { Estate, FaultSpec, SimCounters, TenantData, EndpointName, PartnerData } from "./types.js";
import { ENDPOINTS, FAULT_KINDS } from "./types.js";
import { RateLimiter, type RateLimits } from "./rate-limit.js";
import { SignInIssuer } from "./sign-in.js";

function emptyCounters(): SimCounters {
  return { httpRequests: 0, batchRequests: 0, subRequests: 0, byEndpoint: {}, byTenant: {}, httpByTenant: {}, throttled: 0 };
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/** A write Graph accepted that reads do not show yet (eventual consistency). */
interface PendingWrite {
  visibleAt: number;
  apply: () => void;
}

export class SimState {
  private tenantsById = new Map<string, TenantData>();
  private partnersById = new Map<string, PartnerData>();
  private readonly initial: Estate;
  private faults: ActiveFault[] = [];
  private clock: () => Date;
  private readonly initialClock: () => Date;
  counters: SimCounters = emptyCounters();
  /** Delay before every HTTP response, in milliseconds. */
  latencyMs: number;
  /** Graph's per-tenant budgets, when emulated (`rateLimiter.limits = {…}` changes them). */
  readonly rateLimiter: RateLimiter;
  /** People's sign-ins: the ID tokens' key, kept across reset() as Entra keeps its keys. */
  readonly signIn = new SignInIssuer();
  /**
   * How long after a write reads still answer the old value, in milliseconds of real time (the
   * sim's clock may stand still in a test); 0, the default, shows a write at once.
   */
  writeVisibilityMs: number;
  private pendingWrites: PendingWrite[] = [];
  /** Every write request (remediation's PATCHes), with the app whose token sent it and whether its roles allowed it. */
  writeAttempts: { tenantId: string; endpoint: string; appId: string | null; allowed: boolean }[] = [];

  constructor(estate: Estate, options: { now?: () => Date; latencyMs?: number; rateLimits?: RateLimits; writeVisibilityMs?: number } = {}) {
    // Keep a pristine copy so reset() can undo whatever a test changed.
    this.initial = structuredClone(estate);
    this.load(estate);
    this.clock = options.now ?? (() => new Date());
    this.initialClock = this.clock;
    this.latencyMs = options.latencyMs ?? 0;
    this.writeVisibilityMs = options.writeVisibilityMs ?? 0;
    this.rateLimiter = new RateLimiter(options.rateLimits, (id) => this.findTenant(id)?.users.length ?? 0);
  }

  private load(estate: Estate): void {
    this.tenantsById = new Map(estate.tenants.map((t) => [t.tenantId.toLowerCase(), t]));
    this.partnersById = new Map((estate.partners ?? []).map((p) => [p.tenantId.toLowerCase(), p]));
  }

  /** A partner tenant's live GDAP data (customers, relationships, admin agents), if the tenant is one. */
  findPartner(tenantId: string): PartnerData | undefined {
    return this.partnersById.get(tenantId.toLowerCase());
  }

  /** The tenant's live data; change it and the next request sees the change. */
  tenant(tenantId: string): TenantData {
    const t = this.findTenant(tenantId);
    if (!t) throw new Error(`The simulator has no tenant ${tenantId}`);
    return t;
  }

  findTenant(tenantId: string): TenantData | undefined {
    return this.tenantsById.get(tenantId.toLowerCase());
  }

  tenants(): TenantData[] {
    return [...this.tenantsById.values()];
  }

  /** Adds a tenant (or replaces one with the same id). */
  putTenant(tenant: TenantData): void {
    this.tenantsById.set(tenant.tenantId.toLowerCase(), tenant);
  }

  now(): Date {
    return this.clock();
  }

  /** Fixes the sim's clock (a Date), makes it follow a function, or (null) restores the real clock. */
  setClock(now: Date | (() => Date) | null): void {
    if (now === null) this.clock = () => new Date();
    else if (now instanceof Date) this.clock = () => new Date(now.getTime());
    else this.clock = now;
  }

  addFault(spec: FaultSpec): void {
    validateFault(spec);
    this.faults.push({ ...spec, tenantId: spec.tenantId?.toLowerCase(), remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Faults still armed (a copy). */
  listFaults(): FaultSpec[] {
    return this.faults.map(({ remaining, ...spec }) => ({ ...spec, ...(Number.isFinite(remaining) ? { times: remaining } : {}) }));
  }

  /** Takes one use of the first fault that matches, if any. */
  takeFault(tenantId: string, endpoint: EndpointName): FaultSpec | undefined {
    const tid = tenantId.toLowerCase();
    const i = this.faults.findIndex((f) => (f.tenantId === undefined || f.tenantId === tid) && (f.endpoint === "*" || f.endpoint === endpoint));
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(i, 1);
    if (fault.kind === "429" || fault.kind === "429-no-retry-after") this.rateLimiter.noteFault429(endpoint);
    return fault;
  }

  /** Applies a write now, or queues it until writeVisibilityMs has passed; writes land in the order they were accepted. */
  commit(apply: () => void): void {
    if (this.writeVisibilityMs <= 0 && this.pendingWrites.length === 0) apply();
    else this.pendingWrites.push({ visibleAt: Date.now() + Math.max(0, this.writeVisibilityMs), apply });
  }

  /** Lands the writes whose delay has passed (every Graph request does this first); `all` lands every one. */
  applyDueWrites(all = false): void {
    const now = Date.now();
    while (this.pendingWrites.length > 0 && (all || this.pendingWrites[0]!.visibleAt <= now)) this.pendingWrites.shift()!.apply();
  }

  resetCounters(): void {
    this.counters = emptyCounters();
    this.rateLimiter.resetStats();
  }

  /** Counters, faults, clock and tenant data back to how the sim started. */
  reset(): void {
    this.resetCounters();
    this.clearFaults();
    this.clock = this.initialClock;
    this.rateLimiter.reset();
    this.pendingWrites = [];
    this.writeAttempts = [];
    this.load(structuredClone(this.initial));
  }

  countHttp(tenantId: string | undefined): void {
    this.counters.httpRequests += 1;
    if (tenantId) bump(this.counters.httpByTenant, tenantId.toLowerCase());
  }

  countRequest(tenantId: string | undefined, endpoint: EndpointName | undefined): void {
    if (endpoint) bump(this.counters.byEndpoint, endpoint);
    if (tenantId) bump(this.counters.byTenant, tenantId.toLowerCase());
  }

  countBatch(subRequests: number): void {
    this.counters.batchRequests += 1;
    this.counters.subRequests += subRequests;
  }

  countThrottled(): void {
    this.counters.throttled += 1;
  }
}

function validateFault(spec: FaultSpec): void {
  if (spec.endpoint !== "*" && !(ENDPOINTS as readonly string[]).includes(spec.endpoint)) {
    throw new Error(`Unknown endpoint "${spec.endpoint}"; expected "*" or one of ${ENDPOINTS.join(", ")}`);
  }
  if (!FAULT_KINDS.includes(spec.kind)) {
    throw new Error(`Unknown fault kind "${spec.kind}"; expected one of ${FAULT_KINDS.join(", ")}`);
  }
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
    throw new Error("times must be a positive integer");
  }
}
