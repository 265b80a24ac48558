/** A clock the pacing tests move by hand, and the small budgets they pace under. */
import type { PacingClock, PacingLimits } from "../../../lib/graph/pacing.js";

export class FakeClock implements PacingClock {
  t = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.sleepers.push({ until: this.t + ms, resolve }));
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
      const due = this.sleepers.filter((x) => x.until <= end).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.until);
      this.sleepers = this.sleepers.filter((x) => x !== due);
      due.resolve();
    }
    this.t = end;
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  }
}

export const LIMITS: PacingLimits = {
  caPerTenant: { limit: 1, windowMs: 1_000 },
  reportsPerTenant: { limit: 5, windowMs: 10_000 },
  reportsPerApp: { limit: 1_000, windowMs: 10_000 },
  marginMs: 0,
};
