/**
 * The operator's connection-account pattern, `svc-connect@*`: `*` stands for any run of
 * characters, the rest is literal, case-insensitive (UPNs are). Graph filters by the literal
 * prefix before the first `*` (`startswith(userPrincipalName,'svc-connect@')`, a default query
 * on users); the whole pattern is then matched here. A pattern starting with `*` would need an
 * advanced query (`endsWith`), so it is refused.
 */
export interface AccountPattern {
  readonly source: string;
  readonly prefix: string;
  matches(upn: string): boolean;
}

export function parseAccountPattern(raw: string): AccountPattern | { readonly error: string } {
  const source = raw.trim();
  const prefix = source.split("*")[0] ?? "";
  if (prefix === "") return { error: `--account-pattern must start with literal characters, e.g. 'svc-connect@*' (got "${source}")` };
  if (/[\s,;'"]/.test(source)) return { error: `--account-pattern holds a character no UPN has (space, comma, semicolon or quote): "${source}"` };
  const body = source
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const re = new RegExp(`^${body}$`, "i");
  return { source, prefix, matches: (upn) => re.test(upn) };
}
