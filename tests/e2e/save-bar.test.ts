import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { adminNavLink, appFrame, launchChromium, leaveDialog, newPage, saveBar } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA } from "../support/wait";

/**
 * The contextual save bar and the unsaved-changes guard on Settings, the delay-notice rules and the FAQ editor,
 * in Chromium through the emulated admin. Every test works in a shop of its own, so none reads another's rows.
 */

interface EditorCase {
  name: string;
  /** An in-app page from which the merchant reaches the editor (the way back for browser back). */
  from: string;
  /** Reaches the editor from `from`, in the app's own navigation. */
  open: (page: Page, frame: Frame, shop: string) => Promise<void>;
  /** The editor's own address, for a direct visit. */
  path: (shop: string) => string;
  field: string;
  edit: string;
  /** Fills what else a save needs besides the field (a new article's answer). */
  complete?: (frame: Frame) => Promise<void>;
  /** What the database holds for the field. */
  stored: (shop: string) => string | null;
  toast: string;
  /** A Remix link of the editor's own page that leaves it (its back action). */
  backLink?: string;
}

let stack: Stack;
let browser: Browser;
const articles = new Map<string, number>();
const CASES: EditorCase[] = [
  {
    name: "Settings",
    from: "/outbox",
    open: async (page) => adminNavLink(page, "Settings").click(),
    path: () => "/settings",
    field: "Sender name",
    edit: "Duka la Asha support",
    stored: (shop) =>
      stack.query<{ fromName: string }>(`SELECT fromName FROM "SupportSettings" WHERE shop = ?`, shop)[0]?.fromName ??
      null,
    toast: "Settings saved",
  },
  {
    name: "delay-notice rules",
    from: "/delay-notices",
    open: async (_page, frame) => frame.getByRole("link", { name: "Rules and wording" }).click(),
    path: () => "/delay-notices/rules",
    field: "Wait before notifying (minutes)",
    edit: "45",
    stored: (shop) => {
      const row = stack.query<{ minDelayMinutes: number }>(
        `SELECT minDelayMinutes FROM "DelayNoticeSettings" WHERE shop = ?`,
        shop,
      )[0];
      return row ? String(row.minDelayMinutes) : null;
    },
    toast: "Rules saved",
    backLink: "Delay notices",
  },
  {
    name: "FAQ editor, an existing article",
    from: "/faq",
    // A row of the article list opens the editor.
    open: async (_page, frame) => frame.getByRole("link", { name: "Do you sell gift cards?" }).click(),
    path: (shop) => `/faq/${articles.get(shop)}`,
    field: "Question (English)",
    edit: "Do you sell e-gift cards?",
    stored: (shop) =>
      stack.query<{ question: string }>(
        `SELECT question FROM "FaqTranslation" WHERE shop = ? AND locale = 'en'`,
        shop,
      )[0]?.question ?? null,
    toast: "Article saved",
    backLink: "FAQ",
  },
  {
    name: "FAQ editor, a new article",
    from: "/faq",
    open: async (_page, frame) => frame.getByRole("link", { name: "New article" }).first().click(),
    path: () => "/faq/new",
    field: "Question (English)",
    edit: "Do you gift-wrap?",
    complete: async (frame) => frame.getByLabel("Answer (English)").fill("Yes, for free."),
    stored: (shop) =>
      stack.query<{ question: string }>(
        `SELECT question FROM "FaqTranslation" WHERE shop = ? AND locale = 'en'`,
        shop,
      )[0]?.question ?? null,
    toast: "Article saved",
    backLink: "FAQ",
  },
];
const shopFor = (c: EditorCase, purpose: "guard" | "save") =>
  `${c.name.replace(/[^a-z]+/gi, "-").toLowerCase()}-${purpose}.myshopify.com`;
const SHOPS = CASES.flatMap((c) => [shopFor(c, "guard"), shopFor(c, "save")]);

beforeAll(async () => {
  stack = await startStack({ shops: SHOPS });
  browser = await launchChromium();
  // The existing article's shops get their article through the editor's own action (which installs the shop).
  for (const shop of SHOPS.filter((s) => s.startsWith("faq-editor-an-existing"))) {
    const res = await fetch(`${stack.app.url}/app/faq/new`, {
      method: "POST",
      redirect: "manual",
      headers: {
        Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`,
        "User-Agent": BROWSER_UA,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        published: "on",
        question_en: "Do you sell gift cards?",
        answer_en: "Yes, from 10 €.",
      }),
    });
    articles.set(shop, Number(/\/app\/faq\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]));
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The admin's address ends with the app page's path (the admin mirrors the app's location). */
const at = (path: string) => new RegExp(`/apps/[^/]+${path.replace(/[/?]/g, (c) => `\\${c}`)}$`);

describe.each(CASES)("$name", (c) => {
  it("shows the save bar for an edit and keeps it behind the leave confirmation until discarded or left", async () => {
    const shop = shopFor(c, "guard");
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(shop, c.from));
    const frame = await appFrame(page);
    await adminNavLink(page, "Customers").waitFor({ timeout: 20_000 });
    await frame.locator("body").waitFor();
    await c.open(page, frame, shop);
    const field = frame.getByLabel(c.field, { exact: true });
    await field.waitFor({ timeout: 20_000 });
    await page.waitForURL(at(c.path(shop)));
    const original = await field.inputValue();
    expect(await saveBar(page).count()).toBe(0);

    await field.fill(c.edit);
    await saveBar(page).waitFor();

    // The admin's own navigation asks first; staying keeps the page and the edit.
    await adminNavLink(page, "Customers").click();
    await leaveDialog(page).waitFor();
    await leaveDialog(page).getByRole("button", { name: "Stay" }).click();
    await leaveDialog(page).waitFor({ state: "hidden" });
    expect(await field.inputValue()).toBe(c.edit);
    expect(page.url()).toMatch(at(c.path(shop)));
    await saveBar(page).waitFor();

    // So does the browser's back button inside the app,
    await frame.evaluate(() => history.back());
    await leaveDialog(page).waitFor();
    await leaveDialog(page).getByRole("button", { name: "Stay" }).click();
    await leaveDialog(page).waitFor({ state: "hidden" });
    await page.waitForURL(at(c.path(shop)));
    expect(await field.inputValue()).toBe(c.edit);

    // and the page's own links.
    if (c.backLink) {
      await frame.getByRole("link", { name: c.backLink, exact: true }).first().click();
      await leaveDialog(page).waitFor();
      await leaveDialog(page).getByRole("button", { name: "Stay" }).click();
      await leaveDialog(page).waitFor({ state: "hidden" });
      expect(await field.inputValue()).toBe(c.edit);
    }

    // A reload gets the browser's own question; declining keeps the edit.
    const asked = page.waitForEvent("dialog");
    void frame.evaluate(() => location.reload()).catch(() => undefined);
    const prompt = await asked;
    expect(prompt.type()).toBe("beforeunload");
    await prompt.dismiss();
    expect(await field.inputValue()).toBe(c.edit);

    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    await saveBar(page).waitFor({ state: "hidden" });
    expect(await field.inputValue()).toBe(original);

    // Leaving for good: the admin goes where it was asked to, and nothing was stored.
    const before = c.stored(shop);
    await field.fill(c.edit);
    await saveBar(page).waitFor();
    await adminNavLink(page, "Customers").click();
    await leaveDialog(page).getByRole("button", { name: "Leave page" }).click();
    await page.waitForURL(at("/customers"), { timeout: 10_000 });
    await frame.getByLabel("Search customers").waitFor({ timeout: 10_000 });
    expect(await saveBar(page).count()).toBe(0);
    expect(c.stored(shop)).toBe(before);
    await page.close();
  }, 60_000);

  it("leaves freely with nothing edited, and Save in the bar stores an edit that a reload shows", async () => {
    const shop = shopFor(c, "save");
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(shop, c.path(shop)));
    const frame = await appFrame(page);
    const field = frame.getByLabel(c.field, { exact: true });
    await field.waitFor({ timeout: 20_000 });
    await adminNavLink(page, "Customers").click();
    await page.waitForURL(at("/customers"), { timeout: 10_000 });
    await frame.getByLabel("Search customers").waitFor({ timeout: 10_000 });
    expect(await leaveDialog(page).isVisible()).toBe(false);

    await page.goto(stack.emulator.adminUrl(shop, c.path(shop)));
    const editor = await appFrame(page);
    const input = editor.getByLabel(c.field, { exact: true });
    await input.waitFor({ timeout: 20_000 });
    await input.fill(c.edit);
    await c.complete?.(editor);
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText(c.toast).waitFor({ timeout: 10_000 });
    await saveBar(page).waitFor({ state: "hidden" });
    expect(c.stored(shop)).toBe(c.edit);
    expect(await input.inputValue()).toBe(c.edit);

    await page.reload();
    const reloaded = await appFrame(page);
    const again = reloaded.getByLabel(c.field, { exact: true });
    await again.waitFor({ timeout: 20_000 });
    expect(await again.inputValue()).toBe(c.edit);
    expect(await saveBar(page).count()).toBe(0);
    await page.close();
  }, 60_000);
});
