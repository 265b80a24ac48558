/** How an acknowledged or excepted finding is shown wherever findings are listed (status, API, digest, dashboard). */
import type { FindingStanding, TrackedFinding } from "../model/state.js";

const day = (iso: string): string => iso.slice(0, 10);
const minute = (iso: string): string => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** `accountRef`: the finding's account, named when the exception covers it alone ("this account" without it). */
export function standingText(s: FindingStanding | undefined, accountRef?: string): string | null {
  if (!s) return null;
  if (s.kind === "acknowledged") return `acknowledged by ${s.by} until ${minute(s.until)}: ${s.reason}`;
  const only = s.accountKey !== undefined ? ` for ${accountRef ?? "this account"} only` : "";
  return `excepted${only} until ${day(s.until)}, ${s.reason}, owner ${s.owner} (${s.reference})`;
}

/** The findings worth listing: open ones (acknowledged included) and excepted ones, which are no drift but still shown. */
export const listedFindings = (findings: readonly TrackedFinding[]): TrackedFinding[] => findings.filter((f) => f.status === "open" || f.state === "excepted");
