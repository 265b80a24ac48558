/**
 * Portal links in the customer's tenant. A partner (GDAP) administrator who opens a plain
 * `https://entra.microsoft.com/#view/…` lands in their own tenant, where the policy or user does
 * not exist; each portal takes the directory in the URL instead. The checks stay tenant-agnostic
 * (their links are the same for every tenant); the tenant is added here, when an alert is rendered.
 *
 * - Azure portal: `https://portal.azure.com/#@{tenant}/…`, the directory before the view in the
 *   fragment (the form the portal's own "copy link" writes, `#@{domain}/resource/…`).
 * - Entra admin center (the same portal shell): the directory as the first path segment,
 *   `https://entra.microsoft.com/{tenant}/#view/…`.
 * - Microsoft 365 admin center: a partner opens a customer's through Partner Center's client
 *   session, `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID={tenant}&CSDEST=o365admincenter`;
 *   the original page follows in the fragment.
 * These forms could not be checked against Microsoft's documentation when this was written (no
 * page in the reference search held them); confirm them from a GDAP partner account before
 * relying on them, and change them here only (test/unit/alerts/tenant-links.test.ts lists them).
 * Any other URL (Learn, aka.ms, the dashboard) is returned as it was, and so is every URL when the
 * tenant id is not a GUID (nothing from a tenant's text ends up in a URL).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `url` opened in tenant `tenantId` (a GUID); unchanged for other hosts, or when it already names a tenant. */
export function inTenant(url: string, tenantId: string): string {
  if (!GUID.test(tenantId)) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.protocol !== "https:") return url;
  const tenant = tenantId.toLowerCase();
  switch (u.hostname.toLowerCase()) {
    case "portal.azure.com": {
      if (u.hash.startsWith("#@")) return url;
      const rest = u.hash.replace(/^#\/?/, "");
      return `https://portal.azure.com${u.pathname}${u.search}#@${tenant}${rest ? `/${rest}` : ""}`;
    }
    case "entra.microsoft.com": {
      if (GUID.test(u.pathname.split("/")[1] ?? "")) return url;
      return `https://entra.microsoft.com/${tenant}${u.pathname === "/" ? "/" : u.pathname}${u.search}${u.hash}`;
    }
    case "admin.microsoft.com": {
      if (/^\/Partner\/BeginClientSession\.aspx$/i.test(u.pathname)) return url;
      return `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${tenant}&CSDEST=o365admincenter${u.hash}`;
    }
    default:
      return url;
  }
}

/** Every portal URL in a line of text (remediation steps name them inline) opened in the tenant. */
export function inTenantText(text: string, tenantId: string): string {
  return text.replace(/https:\/\/(?:entra\.microsoft\.com|portal\.azure\.com|admin\.microsoft\.com)(?:[/?#][^\s)<>"]*)?/gi, (url) => inTenant(url, tenantId));
}
