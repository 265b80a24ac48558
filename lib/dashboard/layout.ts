/**
 * The page around every view, and the headers every answer carries. The Content-Security-Policy
 * allows the page's own stylesheet and script (served by the same function) and nothing else: no
 * inline script or style, no other origin, no frames, forms posting only back to this origin.
 * The self-contained report (`drift-monitor report --html`) has no script at all and inlines its
 * stylesheet, allowed by its SHA-256 hash in a CSP meta tag.
 */
import { createHash } from "node:crypto";
import { DASHBOARD_CSS } from "./assets.js";
import { html, trusted, type Html } from "./html.js";

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Headers of every dashboard answer: the CSP, no sniffing, no framing, no caching of tenant data, no referrer to other sites. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with a form POST, which the CSRF check must refuse.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
  };
}

interface LayoutOptions {
  /** Where the dashboard lives (`/api/dashboard`): links and assets are below it. */
  readonly base: string;
  /** Inline the stylesheet and leave the script out (the self-contained report). */
  readonly standalone?: boolean;
}

const cssHash = (): string => `sha256-${createHash("sha256").update(DASHBOARD_CSS).digest("base64")}`;

/** Built outside the template: the element's content must be exactly what the CSP hash covers. */
const inlineStyle = trusted(`<style>${DASHBOARD_CSS}</style>`);

export function page(title: string, body: Html, options: LayoutOptions): string {
  const head = options.standalone
    ? html`<meta
          http-equiv="Content-Security-Policy"
          content="${`default-src 'none'; style-src '${cssHash()}'; img-src data:; base-uri 'none'; form-action 'none'`}"
        />
        ${inlineStyle}`
    : html`<link rel="stylesheet" href="${options.base}/assets/dashboard.css" />
        <script src="${options.base}/assets/dashboard.js" defer></script>`;
  const nav = options.standalone
    ? html`<header class="top"><span>Drift Monitor report</span></header>`
    : html`<header class="top"><a href="${options.base}/">Drift Monitor</a><span class="muted">estate dashboard</span></header>`;
  return (
    "<!doctype html>\n" +
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title}</title>
        ${head}
      </head>
      <body>
        ${nav}
        <main id="main">${body}</main>
      </body>
    </html> `.value
  );
}
