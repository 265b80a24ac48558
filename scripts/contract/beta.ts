/**
 * The beta requests Drift Monitor sends, each with Microsoft's documentation page that defines it.
 * Graph's beta metadata is not beside the repository, so a beta request is held to a page instead:
 * one that appears in a run without a line here fails the contract check.
 */
export const BETA_DOCS: ReadonlyMap<string, string> = new Map([
  // Per-user MFA state (strongAuthenticationRequirements): beta only.
  ["/users/{id}/authentication/requirements", "https://learn.microsoft.com/graph/api/authentication-get?view=graph-rest-beta"],
  // signInEventTypes (non-interactive sign-ins) is beta only; v1.0 lists interactive sign-ins.
  ["/auditLogs/signIns", "https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta"],
]);
