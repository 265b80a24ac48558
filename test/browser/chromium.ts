/**
 * Debian's Chromium, driven by playwright-core (no browser download: `executablePath`). Where no
 * Chromium is installed the browser tests say so and skip; with CI=true they fail instead, since
 * .ci/run installs it. Chromium talks to 127.0.0.1 only: no background networking, no component
 * updates, and every request to another host is aborted by the test's route handler.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here; null when they can. Throws on CI, where skipping would hide a gap. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const why = `no Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`;
  if (process.env.CI === "true") throw new Error(`browser tests are required on CI: ${why}`);
  console.warn(`browser tests skipped: ${why}`);
  return why;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
  });
}

/** A context whose requests may go to 127.0.0.1 only. */
export async function localContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  return context;
}
