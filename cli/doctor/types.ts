/** What `drift-monitor doctor` finds, as plain data (`--json` prints it as is). */
import type { Licence } from "../../lib/graph/facts/index.js";
import type { FactKey } from "../../lib/model/facts.js";

/** One Graph request's answer, as far as permissions go. */
export type ProbeOutcome =
  | "granted" // 2xx, or 404: Graph authorised the request and found nothing at the id
  | "missing" // 401/403 without a licence message: the permission is not granted or not consented
  | "unlicensed" // the tenant lacks the licence the endpoint needs (P1, or P2 for PIM), so Graph cannot say whether the permission is granted
  | "error"; // throttled, unavailable, no token: could not tell

export interface ProbeResult {
  readonly fact: FactKey;
  /** What the request reads, in words ("the Conditional Access policies"). */
  readonly reads: string;
  readonly permission: string;
  /** `GET /v1.0/identity/conditionalAccess/policies`, as sent. */
  readonly request: string;
  readonly outcome: ProbeOutcome;
  readonly httpStatus?: number;
  readonly detail: string;
}

export type PermissionStatus =
  | "granted"
  | "missing"
  | "not-verifiable" // every request needing it hit the licence wall
  | "unknown"; // a request errored, or no token

export interface PermissionResult {
  readonly permission: string;
  /** False for a permission only an unused cross-check needs. */
  readonly required: boolean;
  readonly status: PermissionStatus;
  /** The facts that need it. */
  readonly reads: readonly string[];
  readonly detail: string;
  /** What to do, when something is to be done. */
  readonly fix?: string;
}

export interface LicenceResult {
  /** The licence as the fact definitions name it; `detail` names it as bought ("Entra ID P2 or Microsoft Entra ID Governance"). */
  readonly licence: Licence;
  readonly status: "present" | "absent" | "unknown";
  readonly detail: string;
}

export type TokenResult =
  | { readonly ok: true; /** The `roles` claim (application permissions consented), when the token is a readable JWT. */ readonly roles?: readonly string[] }
  | { readonly ok: false; readonly aadsts?: string; readonly message: string; readonly fix: string };

export interface DoctorReport {
  readonly schemaVersion: 1;
  readonly tenantId: string;
  readonly checkedAt: string;
  /** The account probed with, when one was given; `found: false` = Graph answered 404. */
  readonly account?: { readonly ref: string; readonly found: boolean | null; readonly id?: string };
  readonly token: TokenResult;
  readonly permissions: readonly PermissionResult[];
  readonly licences: readonly LicenceResult[];
  readonly probes: readonly ProbeResult[];
  /** The admin consent link for this tenant, when the app's client id is known. */
  readonly consentUrl?: string;
  /** True when the token came and every required permission is granted (a missing licence is not a fault). */
  readonly ok: boolean;
  readonly summary: string;
}
