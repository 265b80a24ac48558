/**
 * The schedule period, from DRIFT_SCHEDULE (the NCRONTAB expression, with seconds, that the
 * Functions host's timer fires on). A tenant not checked for two periods is itself an alert, so
 * the product must know how long a period is. cron-parser reads the expression the way the host
 * does (six fields, seconds first); an irregular schedule (weekdays only) has the longest gap as
 * its period, so "two periods" is never shorter than two real gaps.
 */
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { errorMessage } from "../errors/text.js";

/** NCRONTAB (with seconds): every 30 minutes. The host has no default for a `%DRIFT_SCHEDULE%` binding. */
export const DEFAULT_DRIFT_SCHEDULE = "0 */30 * * * *";

/** How many upcoming occurrences are read to find the longest gap: covers a week of hourly ticks. */
const OCCURRENCES = 200;

/** The longest gap between consecutive firings, in milliseconds; throws with what to fix on a bad expression. */
export function schedulePeriodMs(expression: string, from = new Date(Date.UTC(2026, 0, 5))): number {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`"${expression}" is not an NCRONTAB expression with six fields (second minute hour day month weekday)`);
  const times = CronExpressionParser.parse(expression, { currentDate: from, tz: "UTC" });
  let previous = times.next().getTime();
  let longest = 0;
  for (let i = 0; i < OCCURRENCES; i++) {
    const next = times.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest;
}

/** DRIFT_SCHEDULE as a setting: the expression in, its period out, or a message that says what to fix. */
export const driftSchedulePeriod = z
  .string()
  .default(DEFAULT_DRIFT_SCHEDULE)
  .transform((v, ctx) => {
    try {
      return schedulePeriodMs(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `DRIFT_SCHEDULE: ${errorMessage(error)}; e.g. "0 */30 * * * *" (every 30 minutes)` });
      return z.NEVER;
    }
  });
