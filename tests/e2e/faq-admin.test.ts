import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** The FAQ editor in Chromium: writing an article in two languages, preview, categories, insights, isolation. */

const OTHER_SHOP = "other-faq.myshopify.com";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const translations = () => stack.query<{ locale: string; question: string; answerHtml: string }>(`SELECT locale, question, answerHtml FROM "FaqTranslation" WHERE shop = ? ORDER BY locale`, DEFAULT_SHOP);

describe("FAQ editor", () => {
  it("writes an article in English and Turkish with field errors, a safe preview and the list", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq"));
    const frame = await appFrame(page);
    await frame.getByText("Answer your most common questions once").waitFor({ timeout: 20_000 });
    await frame.getByRole("link", { name: "Write the first article" }).click();

    await frame.getByLabel("Question (English)").waitFor({ timeout: 10_000 });
    await frame.getByRole("button", { name: "Save" }).click();
    await frame.getByText("Write the question in the shop's language.").waitFor({ timeout: 10_000 });
    expect(translations()).toEqual([]);

    await frame.getByLabel("Question (English)").fill("Do you gift-wrap <b>orders</b>?");
    await frame.getByLabel("Answer (English)").fill('Yes, **for free**.\n\n- Choose it at checkout\n- Add a note\n\n<img src=x onerror="window.__xss=1">');
    const preview = frame.getByTestId("faq-preview");
    await preview.locator("strong", { hasText: "for free" }).waitFor();
    expect(await preview.locator("li").count()).toBe(2);
    expect(await preview.locator("img").count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x onerror="window.__xss=1">');

    await frame.getByRole("tab", { name: /Turkish/ }).click();
    await frame.getByLabel("Question (Turkish)").fill("Hediye paketi yapıyor musunuz?");
    await frame.getByRole("button", { name: "Save" }).click();
    await frame.getByText("Write the answer, or clear the question to leave this language out.").waitFor({ timeout: 10_000 });
    await frame.getByLabel("Answer (Turkish)").fill("Evet, **ücretsiz**.");
    await frame.getByRole("button", { name: "Save" }).click();
    await page.getByText("Article saved").waitFor({ timeout: 10_000 });
    const saved = translations();
    expect(saved.map((t) => t.locale)).toEqual(["en", "tr"]);
    expect(saved[0].answerHtml).toContain("&lt;img src=x");
    expect(await frame.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    await frame.getByRole("link", { name: "FAQ" }).first().click().catch(() => page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq")));
    const list = await appFrame(page);
    await list.getByRole("link", { name: "Do you gift-wrap <b>orders</b>?" }).waitFor({ timeout: 10_000 });
    await list.getByText("EN · TR").waitFor();
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
    const [category] = stack.query<{ id: number; handle: string }>(`SELECT id, handle FROM "FaqCategory" WHERE shop = ?`, DEFAULT_SHOP);
    expect(category.handle).toBe("gifts-wrapping");
    await frame.getByRole("cell", { name: "Gifts & wrapping" }).waitFor();
    await page.close();
  });

  it("shows what shoppers look for: unanswered searches, views and votes, deflection", async () => {
    const storefront = (path: string, init?: RequestInit) => fetch(`${stack.emulator.url}/storefront/support-desk-demo/apps/support${path}`, init);
    const json = (body: unknown) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await storefront("/visit", json({ visit: "visit-insights-1", locale: "tr" }));
    await storefront("/visit", json({ visit: "visit-insights-2", locale: "en" }));
    await storefront(`/faq/search?q=${encodeURIComponent("kapıda ödeme")}&locale=tr&record=1&visit=visit-insights-1`);
    const [{ id }] = stack.query<{ id: number }>(`SELECT id FROM "FaqArticle" WHERE shop = ?`, DEFAULT_SHOP);
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
    const [{ id }] = stack.query<{ id: number }>(`SELECT id FROM "FaqArticle" WHERE shop = ?`, DEFAULT_SHOP);
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(OTHER_SHOP, `/faq/${id}`));
    const frame = await appFrame(page);
    await frame.getByText("This article is not in your FAQ").waitFor({ timeout: 20_000 });
    await page.close();
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.app.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Authorization: `Bearer ${stack.emulator.sessionToken(OTHER_SHOP)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    expect((await post(`/app/faq/${id}`, { intent: "delete" })).status).toBe(404);
    expect((await post(`/app/faq/${id}`, { question_en: "Hijacked", answer_en: "x", published: "on" })).status).toBe(404);
    expect((await post(`/app/faq?index`, { intent: "delete_article", id: String(id) })).status).toBe(404);
    await waitFor(() => translations(), (rows) => rows.length === 2);
    expect(translations()[0].question).toBe("Do you gift-wrap <b>orders</b>?");
  });
});
