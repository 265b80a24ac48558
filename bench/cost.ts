/**
 * What a month of Drift Monitor costs in Azure, from one measured run over the estate: the run's
 * counters times the runs in a month at the schedule, priced at Microsoft's pay-as-you-go list
 * prices (US East, USD). Pure: the bench measures, this multiplies.
 *
 * Microsoft's list prices on the pages named below, as of 2026-12-06 (bench/README.md#cost says
 * which were confirmed, and how, and what is left out). They change: the date goes with the figure.
 */
export const PRICES = {
  readAt: "2026-12-06",
  /** azure.microsoft.com/pricing/details/functions/ — Flex Consumption, on demand. */
  flexExecutionPerGbSecond: 0.000026,
  flexExecutionsPerMillion: 0.4,
  /** Monthly free grant per subscription (on demand only). */
  flexFreeGbSeconds: 100_000,
  flexFreeExecutions: 250_000,
  /** azure.microsoft.com/pricing/details/storage/tables/ — Standard, LRS: transactions. */
  tableTransactionsPer10k: 0.00036,
  /** azure.microsoft.com/pricing/details/storage/queues/ — general purpose v2, LRS. Class 1: put, delete; class 2: get. */
  queueClass1Per10k: 0.004,
  queueClass2Per10k: 0.004,
  /** azure.microsoft.com/pricing/details/communication-services/ — email, per message sent (plus $0.00012 per MB, negligible for a text email). */
  emailPerMessage: 0.00025,
} as const;

type Prices = { readonly [K in keyof typeof PRICES]: (typeof PRICES)[K] extends string ? string : number };

/** Azure bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/** One run over the estate, as the bench counted it. */
export interface RunCounters {
  readonly tenants: number;
  /** Function executions of the run: one per check, plus the scheduler's. */
  readonly executions: number;
  /** Seconds the run's instances were executing (the wall time of the pass, times the instances it ran on). */
  readonly instanceSeconds: number;
  /** Table requests (a batch transaction counts once, as Azure meters it). */
  readonly tableTransactions: number;
  /** Queue messages put and deleted (class 1) and gets (class 2). */
  readonly queueClass1: number;
  readonly queueClass2: number;
}

export interface MonthInput {
  readonly run: RunCounters;
  /** The schedule's period (DRIFT_SCHEDULE), ms. */
  readonly periodMs: number;
  /** Flex Consumption instance memory (function-app.bicep: 2048 MB). */
  readonly instanceMemoryMb: number;
  /** Executions and table/queue work a month outside the runs (the sweep and digest timers), and emails. */
  readonly fixed: { readonly executions: number; readonly tableTransactions: number; readonly queueClass2: number; readonly emails: number };
  /** Scale the month to this many tenants (the run's counts are per tenant but for `fixed`). */
  readonly perTenants: number;
  /** Subtract the monthly free grant (one app in the subscription). */
  readonly freeGrant: boolean;
}

export interface MonthCost {
  readonly runsPerMonth: number;
  readonly usage: {
    readonly executions: number;
    readonly gbSeconds: number;
    readonly tableTransactions: number;
    readonly queueClass1: number;
    readonly queueClass2: number;
    readonly emails: number;
  };
  /** USD per line, and the total, rounded to the cent. */
  readonly usd: {
    readonly executions: number;
    readonly gbSeconds: number;
    readonly tables: number;
    readonly queues: number;
    readonly email: number;
    readonly total: number;
  };
  readonly pricesReadAt: string;
}

const cents = (n: number): number => Math.round(n * 100) / 100;

export function monthCost(input: MonthInput, prices: Prices = PRICES): MonthCost {
  const { run, perTenants } = input;
  if (run.tenants <= 0 || input.periodMs <= 0 || perTenants <= 0) throw new RangeError("tenants, the period and perTenants must be positive");
  const runsPerMonth = (HOURS_PER_MONTH * 3_600_000) / input.periodMs;
  // The run's work grows with the tenants; the scheduler's one execution per run does not, but is noise beside the checks.
  const scale = (perRun: number): number => (perRun / run.tenants) * perTenants * runsPerMonth;
  const usage = {
    executions: scale(run.executions) + input.fixed.executions,
    gbSeconds: scale(run.instanceSeconds) * (input.instanceMemoryMb / 1024),
    tableTransactions: scale(run.tableTransactions) + input.fixed.tableTransactions,
    queueClass1: scale(run.queueClass1),
    queueClass2: scale(run.queueClass2) + input.fixed.queueClass2,
    emails: input.fixed.emails,
  };
  const billable = (used: number, free: number): number => Math.max(0, used - (input.freeGrant ? free : 0));
  const usd = {
    executions: (billable(usage.executions, prices.flexFreeExecutions) / 1_000_000) * prices.flexExecutionsPerMillion,
    gbSeconds: billable(usage.gbSeconds, prices.flexFreeGbSeconds) * prices.flexExecutionPerGbSecond,
    tables: (usage.tableTransactions / 10_000) * prices.tableTransactionsPer10k,
    queues: (usage.queueClass1 / 10_000) * prices.queueClass1Per10k + (usage.queueClass2 / 10_000) * prices.queueClass2Per10k,
    email: usage.emails * prices.emailPerMessage,
  };
  const total = usd.executions + usd.gbSeconds + usd.tables + usd.queues + usd.email;
  return {
    runsPerMonth,
    usage: Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, Math.round(v)])) as MonthCost["usage"],
    usd: {
      executions: cents(usd.executions),
      gbSeconds: cents(usd.gbSeconds),
      tables: cents(usd.tables),
      queues: cents(usd.queues),
      email: cents(usd.email),
      total: cents(total),
    },
    pricesReadAt: prices.readAt,
  };
}
