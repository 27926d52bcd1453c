import fs from "node:fs";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); Playwright's own download cannot work here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page whose user agent is Chrome's, not "HeadlessChrome": Shopify's library answers
 * bots with 410 Gone, and a person's browser is what these tests stand in for.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
  const context = await browser.newContext({ userAgent });
  return context.newPage();
}

/** The app inside the emulated admin's iframe, once it is there. */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[name="app-iframe"]');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error("the app iframe has no frame");
  return frame;
}

/** App Bridge's contextual save bar, which the emulated admin draws in its top bar as Shopify's does. */
export function saveBar(page: Page) {
  return page.getByRole("region", { name: "Unsaved changes" });
}

/** The admin's "Leave page with unsaved changes?" confirmation. */
export function leaveDialog(page: Page) {
  return page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
}

/** A link of the app's navigation menu, as the admin's sidebar shows it. */
export function adminNavLink(page: Page, name: string) {
  return page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name, exact: true });
}
