/** The next time the scheduler fires (DRIFT_SCHEDULE, NCRONTAB with seconds, UTC): every enabled tenant is queued then. */
import { CronExpressionParser } from "cron-parser";

export function nextRunAfter(expression: string, now: Date): string | null {
  try {
    return CronExpressionParser.parse(expression, { currentDate: now, tz: "UTC" }).next().toDate().toISOString();
  } catch {
    // A bad expression is the settings' error to report (lib/config/schedule.ts); the page just shows no time.
    return null;
  }
}
