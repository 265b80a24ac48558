/**
 * A profile is a named set of expectations, as data: the rules read it, they never branch on
 * its name. `strict` is the design's required state; others relax or change a requirement.
 */
export interface Profile {
  readonly name: string;
  readonly description: string;
  /** Checks the profile turns off (their ids): they report `skipped`. */
  readonly disabledChecks: readonly string[];
  /** R3: what Security Defaults must be. `any` = either state passes. */
  readonly securityDefaults: "disabled" | "enabled" | "any";
  /**
   * R6: what MFA registration must be.
   * `none`: no method but the password (registered methods and a targeting campaign warn);
   * `required`: at least one MFA method (none fails).
   */
  readonly mfaRegistration: "none" | "required";
  /** Resource app ids the account signs in to (Conditional Access clause 2). */
  readonly signInApps: readonly string[];
  /** Client app types the account signs in with (Conditional Access clause 3). */
  readonly clientAppTypes: readonly string[];
}
