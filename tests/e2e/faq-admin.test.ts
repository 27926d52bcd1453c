import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage, saveBar } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** The FAQ editor in Chromium: writing an article in two languages, preview, categories, insights, isolation. */

const OTHER_SHOP = "other-faq.myshopify.com";
// Each editor run writes into a shop of its own, so it starts from an empty FAQ whatever ran before.
const WIDE_SHOP = "faq-writer-wide.myshopify.com";
const NARROW_SHOP = "faq-writer-narrow.myshopify.com";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP, WIDE_SHOP, NARROW_SHOP] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const translations = (shop: string) => stack.query<{ locale: string; question: string; answerHtml: string }>(`SELECT locale, question, answerHtml FROM "FaqTranslation" WHERE shop = ? ORDER BY locale`, shop);

/** A page of a given size, with the user agent newPage gives. */
async function sizedPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await newPage(browser);
  await page.setViewportSize(viewport);
  return page;
}

/** The app's own action, as the admin's form posts it. */
const adminPost = (shop: string, path: string, fields: Record<string, string>) =>
  fetch(`${stack.app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

/** An article written through the editor's action; its id. */
async function createArticle(shop: string, fields: Record<string, string>): Promise<number> {
  const res = await adminPost(shop, "/app/faq/new", { published: "on", ...fields });
  const location = res.headers.get("location") ?? "";
  const id = Number(/\/app\/faq\/(\d+)/.exec(location)?.[1]);
  if (!(res.status >= 300 && res.status < 400 && id > 0)) throw new Error(`article not created: ${res.status} ${location}`);
  return id;
}

describe("FAQ editor", () => {
  it.each([
    { shop: WIDE_SHOP, viewport: { width: 1280, height: 800 } },
    { shop: NARROW_SHOP, viewport: { width: 360, height: 740 } },
  ])("writes an article in English and Turkish with field errors, a safe preview and the list ($viewport.width px)", async ({ shop, viewport }) => {
    const page = await sizedPage(viewport);
    await page.goto(stack.emulator.adminUrl(shop, "/faq"));
    const frame = await appFrame(page);
    await frame.getByText("Answer your most common questions once").waitFor({ timeout: 20_000 });
    await frame.getByRole("link", { name: "Write the first article" }).click();

    await frame.getByLabel("Question (English)").waitFor({ timeout: 10_000 });
    // A draft with no words at all: refused, and the bar stays with the unsaved change.
    await frame.getByLabel("Published").uncheck();
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText("Write the question in the shop's language.").waitFor({ timeout: 10_000 });
    expect(translations(shop)).toEqual([]);
    await saveBar(page).waitFor();
    await frame.getByLabel("Published").check();
    // Every language is one click away, each marked translated or missing; editing a field drops its error.
    for (const name of ["English", "Swahili", "Estonian", "Tamil", "Romanian", "Turkish"]) {
      await frame.getByRole("button", { name: new RegExp(`^${name}`) }).waitFor({ state: "visible" });
    }
    await frame.getByRole("button", { name: "Turkish: missing" }).waitFor();
    await frame.getByRole("button", { name: "English (required): needs a fix" }).waitFor();

    await frame.getByLabel("Question (English)").fill("Do you gift-wrap <b>orders</b>?");
    expect(await frame.getByText("Write the question in the shop's language.").count()).toBe(0);
    await frame.getByLabel("Answer (English)").fill('Yes, **for free**.\n\n- Choose it at checkout\n- Add a note\n\n<img src=x onerror="window.__xss=1">');
    const preview = frame.getByTestId("faq-preview");
    await preview.locator("strong", { hasText: "for free" }).waitFor();
    expect(await preview.locator("li").count()).toBe(2);
    expect(await preview.locator("img").count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x onerror="window.__xss=1">');

    await frame.getByRole("button", { name: "English (required): translated" }).waitFor();
    await frame.getByRole("button", { name: /^Turkish/ }).click();
    await frame.getByLabel("Question (Turkish)").fill("Hediye paketi yapıyor musunuz?");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText("Write the answer, or clear the question to leave this language out.").waitFor({ timeout: 10_000 });
    await frame.getByLabel("Answer (Turkish)").fill("Evet, **ücretsiz**.");
    expect(await frame.getByText("Write the answer, or clear the question to leave this language out.").count()).toBe(0);
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("Article saved").waitFor({ timeout: 10_000 });
    // Published with four languages left: the editor says which.
    await frame.getByText("Shoppers reading Swahili, Estonian, Tamil, Romanian see this article in English.").waitFor({ timeout: 10_000 });
    await frame.getByRole("button", { name: "Turkish: translated" }).waitFor();
    const saved = translations(shop);
    expect(saved.map((t) => t.locale)).toEqual(["en", "tr"]);
    expect(saved[0].answerHtml).toContain("&lt;img src=x");
    expect(await frame.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    await frame.getByRole("link", { name: "FAQ" }).first().click().catch(() => page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq")));
    const list = await appFrame(page);
    await list.getByRole("link", { name: "Do you gift-wrap <b>orders</b>?" }).waitFor({ timeout: 10_000 });
    await list.getByText("EN · TR").waitFor();
    await page.close();
  });

  it("shows the save bar while the article differs from what is saved: discard restores it, save stores it", async () => {
    const id = await createArticle(DEFAULT_SHOP, { question_en: "Do you sell gift cards?", answer_en: "Yes, from 10 €." });
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/faq/${id}`));
    const frame = await appFrame(page);
    const question = frame.getByLabel("Question (English)");
    await question.waitFor({ timeout: 20_000 });
    const bar = saveBar(page);
    expect(await bar.count()).toBe(0);
    await question.fill("Do you sell e-gift cards?");
    await bar.waitFor();
    await bar.getByRole("button", { name: "Discard" }).click();
    await bar.waitFor({ state: "hidden" });
    expect(await question.inputValue()).toBe("Do you sell gift cards?");
    await question.fill("Do you sell e-gift cards?");
    await bar.getByRole("button", { name: "Save" }).click();
    await page.getByText("Article saved").waitFor({ timeout: 10_000 });
    await bar.waitFor({ state: "hidden" });
    expect(stack.query<{ question: string }>(`SELECT question FROM "FaqTranslation" WHERE shop = ? AND articleId = ? AND locale = 'en'`, DEFAULT_SHOP, id)[0].question).toBe("Do you sell e-gift cards?");
    await page.close();
  });

  it("adds a category and files an article under it", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq?tab=categories"));
    const frame = await appFrame(page);
    await frame.getByRole("button", { name: "Add category" }).click({ timeout: 20_000 });
    await frame.getByLabel("Title in English (required)").fill("Gifts & wrapping");
    await frame.getByRole("button", { name: "Save category" }).click();
    await page.getByText("Category saved").waitFor({ timeout: 10_000 });
    const categories = stack.query<{ id: number; handle: string }>(`SELECT id, handle FROM "FaqCategory" WHERE shop = ?`, DEFAULT_SHOP);
    expect(categories.map((c) => c.handle)).toContain("gifts-wrapping");
    await frame.getByRole("cell", { name: "Gifts & wrapping" }).waitFor();
    await page.close();
  });

  it("shows what shoppers look for: unanswered searches, views and votes, deflection", async () => {
    const storefront = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${stack.emulator.url}/storefront/support-desk-demo/apps/support${path}`, init);
      expect(res.status, path).toBeLessThan(300);
      return res;
    };
    const json = (body: unknown) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    // The article first: the admin request behind it installs the shop, which the storefront routes need.
    const id = await createArticle(DEFAULT_SHOP, { question_en: "Can I pay by card?", answer_en: "Yes, every major card." });
    await storefront("/visit", json({ visit: "visit-insights-1", locale: "tr" }));
    await storefront("/visit", json({ visit: "visit-insights-2", locale: "en" }));
    await storefront(`/faq/search?q=${encodeURIComponent("kapıda ödeme")}&locale=tr&record=1&visit=visit-insights-1`);
    await storefront(`/faq/articles/${id}?locale=en&visit=visit-insights-2`);
    await storefront(`/faq/articles/${id}/vote`, json({ visit: "visit-insights-2", helpful: true }));
    await storefront("/contact", json({ email: "deniz@example.com.tr", message: "Kapıda ödeme var mı?", locale: "tr", visit: "visit-insights-1" }));

    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq?tab=insights"));
    const frame = await appFrame(page);
    await frame.getByText("kapıda ödeme").first().waitFor({ timeout: 20_000 });
    expect(await frame.getByText("kapıda ödeme").count()).toBe(2); // unanswered, and among the top searches
    await frame.getByText("50%").waitFor();
    await frame.getByText("1 yes · 0 no").waitFor();
    await frame.getByRole("link", { name: "Answer it" }).click();
    await frame.getByLabel("Question (Turkish)").waitFor({ timeout: 10_000 });
    expect(await frame.getByLabel("Question (Turkish)").inputValue()).toBe("kapıda ödeme");
    await page.close();
  });

  it("another shop's article is not found, and its actions are refused", async () => {
    const id = await createArticle(DEFAULT_SHOP, { question_en: "Do you ship abroad?", answer_en: "To 30 countries.", question_tr: "Yurt dışına gönderiyor musunuz?", answer_tr: "30 ülkeye." });
    const mine = () => stack.query<{ locale: string; question: string }>(`SELECT locale, question FROM "FaqTranslation" WHERE shop = ? AND articleId = ? ORDER BY locale`, DEFAULT_SHOP, id);
    expect(mine()).toHaveLength(2);
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(OTHER_SHOP, `/faq/${id}`));
    const frame = await appFrame(page);
    await frame.getByText("This article is not in your FAQ").waitFor({ timeout: 20_000 });
    await page.close();
    const post = (path: string, fields: Record<string, string>) => adminPost(OTHER_SHOP, path, fields);
    expect((await post(`/app/faq/${id}`, { intent: "delete" })).status).toBe(404);
    expect((await post(`/app/faq/${id}`, { question_en: "Hijacked", answer_en: "x", published: "on" })).status).toBe(404);
    expect((await post(`/app/faq?index`, { intent: "delete_article", id: String(id) })).status).toBe(404);
    await waitFor(() => mine(), (rows) => rows.length === 2);
    expect(mine().map((t) => t.question)).toEqual(["Do you ship abroad?", "Yurt dışına gönderiyor musunuz?"]);
  });
});
