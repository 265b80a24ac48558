/**
 * A fact Graph cannot give, in the one line every view shows (the CLI report, the dashboard, the
 * email and webhook alerts): what is missing, what rests on it, why, and where to look.
 */
import type { MissingFact } from "../model/report.js";

/** `Missing fact: MFA trusted IPs (for "Require MFA off-site"): … Look it up: …` */
export function missingFactLine(m: MissingFact): string {
  const subjects = m.subjects.length > 0 ? ` (for ${m.subjects.map((s) => `"${s}"`).join(", ")})` : "";
  return `Missing fact: ${m.fact}${subjects}: ${m.why}. Look it up: ${m.where}`;
}

export function missingFactLines(facts: readonly MissingFact[] | undefined): string[] {
  return (facts ?? []).map(missingFactLine);
}
