/**
 * The sample estate is written the way Graph beta lists it (sim/estate/baseline/README.md), a
 * superset of v1.0, as are the tenant exports it was modelled on (`GET /beta/identity/…`). Graph
 * v1.0 serves only the properties its own schema defines, so on v1.0 the simulator leaves out the
 * beta-only ones, with their `name@odata.type` annotations: Drift Monitor reads these on v1.0 and
 * never sees a policy's agent-identity conditions or continuous access evaluation. The lists are
 * the properties Graph v1.0's metadata (Microsoft's CSDL) lacks on each type; the Graph contract
 * check (scripts/graph-contract.ts) holds the simulator's v1.0 answers to that metadata.
 */
import type { JsonObject, JsonValue } from "../types.js";
import type { GraphVersion } from "./context.js";

/** Beta-only properties of an answer, by the dotted path of the object that holds them ("" the answer itself). */
type BetaOnly = Readonly<Record<string, readonly string[]>>;

/** conditionalAccessPolicy (also the base of What If's whatIfAnalysisResult). */
export const CA_POLICY_BETA_ONLY: BetaOnly = {
  "": ["partialEnablementStrategy"],
  // `times` and `deviceStates` are retired beta conditions; agent identities are beta only.
  conditions: ["times", "deviceStates", "agentIdRiskLevels"],
  "conditions.devices": ["includeDeviceStates", "excludeDeviceStates", "includeDevices", "excludeDevices"],
  "conditions.clientApplications": ["includeAgentIdServicePrincipals", "excludeAgentIdServicePrincipals", "agentIdServicePrincipalFilter"],
  sessionControls: ["continuousAccessEvaluation"],
};

/** authenticationMethodsPolicy: v1.0's registration campaign has state, snooze and targets only. */
export const AUTH_METHODS_POLICY_BETA_ONLY: BetaOnly = {
  "registrationEnforcement.authenticationMethodsRegistrationCampaign": ["enforceRegistrationAfterAllowedSnoozes"],
};

/** userRegistrationDetails: v1.0 names the preferred method `userPreferredMethodForSecondaryAuthentication`. */
export const REGISTRATION_DETAILS_BETA_ONLY: BetaOnly = { "": ["defaultMfaMethod"] };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function without(body: JsonObject, path: readonly string[], names: readonly string[]): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) {
    const drop = new Set(names.flatMap((n) => [n, `${n}@odata.type`]));
    return Object.fromEntries(Object.entries(body).filter(([k]) => !drop.has(k)));
  }
  const inner = body[head];
  return isObject(inner) ? { ...body, [head]: without(inner, rest, names) } : body;
}

/** The answer as `version` serves it: on v1.0 without the beta-only properties; on beta unchanged. */
export function servedOn<T extends JsonObject>(version: GraphVersion, body: T, betaOnly: BetaOnly): T {
  if (version === "beta") return body;
  let out: JsonObject = body;
  for (const [path, names] of Object.entries(betaOnly)) out = without(out, path === "" ? [] : path.split("."), names);
  return out as T;
}
