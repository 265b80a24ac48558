import type { Report } from "../../lib/model/index.js";

/** `drift-monitor check` exit codes, as the design fixes them. */
export const EXIT = { compliant: 0, drifted: 1, unknown: 2, usage: 64 } as const;

export function exitCodeFor(report: Report): number {
  return EXIT[report.status];
}
