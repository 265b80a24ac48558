/**
 * The collector's side of the facts read only when due (lib/graph/facts/due.ts): which facts go
 * in the batches, which are decided once the batches are in, what a fact not read carries, and how
 * a fact read is folded with the value kept before. The decisions are the facts' own; this only
 * asks them, in the registry's order.
 */
import { PERIODIC_READ_DEFAULTS } from "../config/periodic-read-defaults.js";
import type { Fact, FactKey } from "../model/facts.js";
import { dependencyFailure } from "./errors.js";
import { markCarried, type DueRun, type Previous, type PreviousRead, type ReadPeriods } from "./facts/due.js";
import { FACTS, FACT_KEYS, type FactValue } from "./facts/index.js";

/** Without settings: the registration report on every run, the contexts at their defaults. */
export const DEFAULT_READ_PERIODS: ReadPeriods = {
  signInContextHours: PERIODIC_READ_DEFAULTS.signInContextHours,
  signInContextDays: PERIODIC_READ_DEFAULTS.signInContextDays,
};

type FactMap = { -readonly [K in FactKey]?: Fact<FactValue<K>> };

interface DueReads {
  /** Every fact read on every run, and the ones due before anything is read. */
  readonly batched: ReadonlySet<FactKey>;
  /** The others: read after the batches if `readAfter` says so, else carried. */
  readonly later: readonly FactKey[];
  /** Where the sign-in contexts read start (SIGNIN_CONTEXT_DAYS back). */
  readonly contextsSince: string;
  /** Whether a fact left out of the batches is due given what they read. */
  readAfter(key: FactKey, read: FactMap): boolean;
  /** Puts the value a fact not read this run carries in its place. */
  carry(key: FactKey, facts: FactMap): void;
  /** Folds every fact read only when due that was read this run with the value kept before. */
  fold(facts: FactMap): void;
}

const DUE_KEYS: readonly FactKey[] = FACT_KEYS.filter((k) => FACTS[k].readWhenDue);

export function dueReads(previous: Previous, at: Omit<DueRun, "read">): DueReads {
  const run = (read: FactMap): DueRun => ({ ...at, read });
  const later = DUE_KEYS.filter((k) => FACTS[k].readWhenDue?.due(previous, run({})) === "carry");
  const carried = new Set<FactKey>();
  return {
    batched: new Set(FACT_KEYS.filter((k) => !later.includes(k))),
    later,
    contextsSince: new Date(at.now.getTime() - at.periods.signInContextDays * 86_400_000).toISOString(),
    readAfter: (key, read) => {
      const rule = FACTS[key].readWhenDue;
      return rule?.after !== undefined && rule.due(previous, run(read)) === "read";
    },
    carry: (key, facts) => {
      carryInto(facts, key, previous, run(facts));
      carried.add(key);
    },
    fold: (facts) => {
      for (const key of DUE_KEYS) if (!carried.has(key)) foldInto(facts, key, previous, run(facts));
    },
  };
}

/** Generic over the key alone, so TypeScript pairs the key with its own fact type (see collect.ts setFailed). */
function carryInto<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, previous: Previous, run: DueRun): void {
  const rule = FACTS[key].readWhenDue;
  if (!rule) return;
  const last = previous?.reads[key] as PreviousRead<FactValue<K>> | undefined;
  const failed = rule.after?.find((dep) => run.read[dep]?.ok !== true);
  // Nothing kept, and what would have called for a read could not be read: this run cannot tell.
  if (!last && failed) {
    facts[key] = dependencyFailure(FACTS[key], `${FACTS[failed].subject} could not be read`);
    return;
  }
  const value = rule.carry ? rule.carry(last, run) : last?.fact;
  if (value === undefined) facts[key] = dependencyFailure(FACTS[key], "it is read only when due, and no earlier read is kept");
  else facts[key] = last ? markCarried(value, last.readAt) : value;
}

function foldInto<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, previous: Previous, run: DueRun): void {
  const rule = FACTS[key].readWhenDue;
  const read = facts[key];
  if (!rule?.fold || !read) return;
  facts[key] = rule.fold(read, previous?.reads[key] as PreviousRead<FactValue<K>> | undefined, run);
}
