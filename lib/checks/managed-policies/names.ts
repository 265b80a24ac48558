/**
 * Which Conditional Access policies are Microsoft-managed, by their display name. Graph's
 * conditionalAccessPolicy carries no documented "managed" marker. In real tenants Microsoft names
 * them "Microsoft-managed: " followed by the name on Microsoft's page
 * (learn.microsoft.com/entra/identity/conditional-access/managed-policies), e.g.
 * "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals", and
 * administrators "can't rename or delete" them, so that prefix is the marker.
 *
 * The prefix must open the name: "Copy of Microsoft-managed: …" (a duplicate, which the customer
 * owns and Microsoft never switches on) and "CA01 - Block legacy authentication" do not count. A
 * bare page name without the prefix does not count either: Microsoft's Conditional Access
 * templates create customer policies with exactly those words ("Block legacy authentication"),
 * and no real managed policy lacks the prefix. After the prefix any name counts, not only the ones
 * the page lists today: Microsoft adds managed policies over time, and missing one would miss the
 * only warning before Microsoft switches it on.
 */

/** Typographic dashes (Microsoft's pages write "Microsoft‑managed" with U+2011) read as "-". */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const PREFIX = /^microsoft[-\s]?managed\s*:\s*(\S.*)$/;

/** The name as compared: Unicode-normalised, dashes unified, whitespace collapsed, lower case. */
function normalise(name: string): string {
  return name.normalize("NFKC").replace(DASHES, "-").replace(/\s+/g, " ").trim().toLowerCase();
}

/** Does the display name carry Microsoft's prefix, followed by a name? */
export function isMicrosoftManagedName(displayName: string): boolean {
  return PREFIX.test(normalise(displayName));
}
