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
  /**
   * R2: which Global Administrator assignment passes. `active`: any active one (an activated PIM
   * eligibility too, while it lasts); `permanent-active`: active and not an activation of a PIM
   * eligibility that ends.
   */
  readonly adminRole: "active" | "permanent-active";
  /**
   * R8: `before-expiry`: the password must not be expired, and warns within the warning window;
   * `never`: the password must never expire (an expiry date at all fails).
   */
  readonly passwordExpiry: "before-expiry" | "never";
  /**
   * R17: the authentication methods the account must have. `not-judged`: the rule does not apply
   * (skipped); `phishing-resistant`: a phishing-resistant method and no weaker one besides the password.
   */
  readonly authMethods: "not-judged" | "phishing-resistant";
  /**
   * Which of the account's sign-ins are security notices: `none`, or `every` (an emergency access
   * account: each sign-in, successful or failed, mailed once; lib/drift/emergency-sign-ins.ts).
   */
  readonly signInNotices: "none" | "every";
  /** R5: how Conditional Access findings are judged for this kind of account. */
  readonly conditionalAccess: ConditionalAccessExpectation;
}

export interface ConditionalAccessExpectation {
  /**
   * Whether the account's observed sign-in contexts replace the profile's assumed one. A busy
   * service account's sign-ins say where it signs in; an account used only in an emergency may
   * sign in from anywhere, so its few sign-ins must not narrow what could block it.
   */
  readonly judgeObservedSignIns: boolean;
  /** A policy that applies only under a condition (location, platform, risk…): a warning, or a failure when any lockout is one. */
  readonly conditional: "warn" | "fail";
  /** A policy that only sets session controls (sign-in frequency, token protection…): a warning, or a failure where restricting sign-in is one. */
  readonly sessionOnly: "warn" | "fail";
  /** A report-only policy that would apply: a warning (it may be enforced), or nothing (it blocks no one). */
  readonly reportOnly: "warn" | "pass";
  /**
   * Grant controls the account satisfies by itself: `none` (a non-interactive account satisfies
   * none), or `phishing-resistant-strength` (a policy whose only grant is an authentication
   * strength of phishing-resistant methods the account has registered does not block it).
   */
  readonly satisfies: "none" | "phishing-resistant-strength";
}
