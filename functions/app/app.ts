/**
 * The Functions app's composition root: everything the handlers use, built from the settings
 * once per process. Storage (tables, queues, leases) is built eagerly, since every function needs
 * it; the Graph credential and the alert sender are built on first use, so the tenants API and the
 * alert sender run without a Graph credential and a checker runs without an email sender.
 *
 * The handlers take the app from `getApp()`. Tests and the in-process demo build their own with
 * `createApp({ env, storeOptions, queueNames, runner, delivery })` and install it with `setApp`.
 */
import { sendBudgets } from "../../lib/alerts/quota.js";
import { loadAlertSettings, type AlertSettings } from "../../lib/config/alert-settings.js";
import { loadAppSettings, type AppSettings } from "../../lib/config/app-settings.js";
import { loadSettings, loadStoreSettings, type Settings, type StoreSettings } from "../../lib/config/settings.js";
import { createChannels, type ChannelOptions } from "../../lib/alerts/channels/index.js";
import { ticketChannels } from "../../lib/tickets/wiring.js";
import type { DeliveryDeps, DeliveryEvent } from "../../lib/alerts/deliver.js";
import type { DigestDeps } from "../../lib/alerts/digest/send.js";
import type { OwedDigestLedger } from "../../lib/alerts/digest/owed.js";
import { defaultRunnerDeps, type RecordDeps, type RunnerDeps } from "../../lib/runner/index.js";
import { ThrottleTally } from "../../lib/graph/throttle-tally.js";
import { createStore, type CheckLeases, type Store, type StoreOptions } from "../../lib/store/index.js";
import { queueServiceClient, type QueueClientOptions } from "../queue/client.js";
import type { AlertMessage, TenantCheckMessage } from "../queue/messages.js";
import { DEFAULT_QUEUE_NAMES, QUEUE_NAME, type QueueNames } from "../queue/names.js";
import { MessageQueue } from "../queue/send.js";
import { requiredPermissions } from "../../lib/graph/permissions.js";

/** Rows that fail validation are skipped by the lists; this says so where operators look (the host's log). */
const warnUnreadable =
  (table: string) =>
  (row: { readonly tenantId: string; readonly rowKey: string; readonly error: string }): void =>
    console.warn(`left out an unreadable ${table} row (tenant ${row.tenantId}, ${row.rowKey}): ${row.error}`);

type Env = NodeJS.ProcessEnv | Record<string, string | undefined>;

export interface AppOptions {
  /** Where settings come from (default: process.env). */
  readonly env?: Env;
  /** Table names and client options (tests isolate themselves in tables of their own). */
  readonly storeOptions?: StoreOptions;
  /** Queue names (tests isolate themselves in queues of their own); the triggers use the defaults. */
  readonly queueNames?: QueueNames;
  readonly queueOptions?: QueueClientOptions;
  /**
   * The host's own clock (default: the system's). The app's `now` is the storage service's clock
   * as seen from it (Store.storageClock), the same on every host, unless `storageClock` is false.
   */
  readonly now?: () => Date;
  /**
   * Read every time the app stores or compares (runs, leases, sends, the ledgers, retries) from the
   * storage service's clock. Default: when `now` is not given; a test that sets `now` runs on that
   * alone (every host's clock right) unless it sets this too.
   */
  readonly storageClock?: boolean;
  /** Replaces parts of the runner deps built from the settings (e.g. the collector's sleep). */
  readonly runner?: Partial<RunnerDeps>;
  /** Replaces parts of the delivery deps built from the settings (e.g. sleep, backoff). */
  readonly delivery?: Partial<Omit<DeliveryDeps, "log">>;
  /** Replaces parts of the digest deps built from the settings. */
  readonly digest?: Partial<Omit<DigestDeps, "ledger">> & { readonly ledger?: OwedDigestLedger };
  readonly channelOptions?: ChannelOptions;
}

export interface AppQueues {
  readonly tenantChecks: MessageQueue<TenantCheckMessage>;
  readonly alerts: MessageQueue<AlertMessage>;
}

export interface App {
  readonly storeSettings: StoreSettings;
  readonly appSettings: AppSettings;
  readonly store: Store;
  readonly leases: CheckLeases;
  readonly queues: AppQueues;
  readonly queueNames: QueueNames;
  readonly now: () => Date;
  /** The time check leases are taken and compared on: the storage service's (every host's the same), else `now`. */
  leaseTime(): Promise<Date>;
  /** The runner's deps: reads the Graph settings on first call (throws SettingsError if they are wrong). */
  runnerDeps(): RunnerDeps;
  /** Graph's 429s per tenant, for the check's log line (the workbook charts them). */
  readonly graphThrottled: ThrottleTally;
  /** What a run needs besides Graph: enough to record a poisoned check without a Graph credential. */
  recordingDeps(): RecordDeps;
  /** Delivery deps: reads the alert settings on first call; `log` is told about every step. */
  /** `settled`: the run that wrote the alerts has finished (the CLI's run), so the roll-up need not wait for more. */
  deliveryDeps(log?: (event: DeliveryEvent) => void, options?: { settled?: boolean }): DeliveryDeps;
  /** Digest deps: the estate's states, tenants and dead letters, sent to ALERT_TO. */
  digestDeps(): DigestDeps & { readonly ledger: OwedDigestLedger };
  readonly alertSettings: () => AlertSettings;
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function createApp(options: AppOptions = {}): App {
  const env = options.env ?? process.env;
  const storeSettings = loadStoreSettings(env);
  const appSettings = loadAppSettings(env);
  const hostNow = options.now ?? (() => new Date());
  const storeOptions = options.storeOptions ?? {};
  const store = createStore(storeSettings.storage, storeOptions);
  const clock = (options.storageClock ?? options.now === undefined) ? store.storageClock({ wall: () => hostNow().getTime() }) : undefined;
  // Learnt before the first use where possible: until it is, `now` is the host's own clock.
  clock?.offsetMs().catch(() => undefined);
  const now = clock ? () => clock.current() : hostNow;
  // One Monitor table client for the runner, the leases and the senders.
  const { leases, outbox } = store;

  const queueNames = options.queueNames ?? DEFAULT_QUEUE_NAMES;
  for (const name of [queueNames.tenantChecks, queueNames.alerts]) {
    if (!QUEUE_NAME.test(name)) throw new Error(`queue name "${name}" must be 3-63 lower-case letters, digits and single dashes`);
  }
  const service = queueServiceClient(storeSettings.storage, options.queueOptions);
  const queues: AppQueues = {
    tenantChecks: new MessageQueue(service.getQueueClient(queueNames.tenantChecks)),
    alerts: new MessageQueue(service.getQueueClient(queueNames.alerts)),
  };

  const graphSettings = once((): Settings => loadSettings(env));
  const graphThrottled = new ThrottleTally();
  const runnerDeps = once((): RunnerDeps => ({
    ...defaultRunnerDeps(graphSettings(), storeSettings, store, {
      onGraphThrottled: (tenantId, n) => graphThrottled.add(tenantId, n),
      ...(clock ? { clock } : {}),
    }),
    now,
    ...options.runner,
  }));
  const alertSettings = once(() => loadAlertSettings(env));
  const channels = once(() => [
    ...createChannels(alertSettings(), { now, ...options.channelOptions }),
    // A PSA's tickets: one more per-row channel, only when a PSA is configured.
    ...ticketChannels(env, storeSettings.storage, { dashboardUrl: alertSettings().dashboardUrl, ...(clock && { clock }) }),
  ]);

  return {
    storeSettings,
    appSettings,
    store,
    leases,
    queues,
    queueNames,
    now,
    leaseTime: async () => (clock ? await clock.now() : now()),
    runnerDeps,
    graphThrottled,
    recordingDeps: () => ({
      store,
      now: options.runner?.now ?? now,
      // The look-back and endpoint only matter to a real collection; a poisoned run reads nothing.
      settings: options.runner?.settings ?? {
        reminderHours: storeSettings.reminderHours,
        unknownAlertAfter: storeSettings.unknownAlertAfter,
        snapshotRetentionDays: storeSettings.snapshotRetentionDays,
        signInLookbackHours: 24,
      },
    }),
    deliveryDeps: (log, deliveryOptions) => {
      const s = alertSettings();
      return {
        store: outbox,
        // Shared by every instance: a 429 seen by one sender holds back all of them.
        throttle: outbox.markers,
        // So is the sending quota (ALERT_EMAILS_PER_MINUTE / _PER_HOUR) and the webhook's rate: one ledger row per limit.
        budgets: sendBudgets(s, (limits) => outbox.sendBudget(limits)),
        // ALERT_TO and the webhook get one roll-up per delivery window; each tenant's list its own email.
        rollup: { store: outbox.rollups, ...(deliveryOptions?.settled ? { settleMs: 0 } : {}) },
        channels: channels(),
        settings: { from: s.from, to: s.to, maxAttempts: s.maxAttempts, ...(s.dashboardUrl ? { dashboardUrl: s.dashboardUrl } : {}) },
        now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...options.delivery,
        ...(log ? { log } : {}),
      };
    },
    digestDeps: () => {
      const s = alertSettings();
      return {
        sources: {
          // An unreadable row is left out of the summary, never silently: it is logged.
          listStates: () => store.monitor.listStates({ onInvalid: warnUnreadable("Monitor") }),
          listTenants: () => store.tenants.list({ onInvalid: warnUnreadable("Tenants") }),
          listDeadLettered: () => outbox.listDeadLettered({ onInvalid: warnUnreadable("Monitor") }),
        },
        // One digest per day per channel, however often the timer fires.
        ledger: outbox.markers,
        // When this version needs permissions the estate was not told about: said once, in one digest.
        consent: { required: requiredPermissions(), marker: outbox.consent },
        // It takes its cell of the mail quota like any email, and heeds (and tells) a 429 like any sender.
        budgets: sendBudgets(s, (limits) => outbox.sendBudget(limits)),
        throttle: outbox.markers,
        channels: channels(),
        settings: { from: s.from, to: s.to, ...(s.dashboardUrl ? { dashboardUrl: s.dashboardUrl } : {}) },
        now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...options.digest,
      };
    },
    alertSettings,
  };
}

let current: App | undefined;

/** The process's app, built from process.env on first use. */
export function getApp(): App {
  return (current ??= createApp());
}

/** Installs the app the handlers use (tests, the in-process demo); `undefined` = rebuild from process.env next time. */
export function setApp(app: App | undefined): void {
  current = app;
}
