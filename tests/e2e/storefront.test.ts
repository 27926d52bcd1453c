import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStorefront, type Storefront } from "../emulator/storefront/server";
import { launchChromium, newPage } from "../support/browser";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The demo storefront in Chromium: the theme extension's own Liquid with the app behind the
 * emulator's signed App Proxy. A shopper opens help with the keyboard, searches the FAQ, tracks
 * an order, and writes in (a ticket, and its acknowledgement over real SMTP); the page speaks
 * Turkish and Tamil; the FAQ block works without JavaScript; a forged proxy request is refused.
 */

let stack: Stack;
let storefront: Storefront;
let browser: Browser;
let smtp: CapturingSmtp;

async function createArticle(fields: Record<string, string>) {
  const response = await fetch(`${stack.app.url}/app/faq/new`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`,
      "User-Agent": BROWSER_UA,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ published: "on", ...fields }),
  });
  expect(response.status).toBe(302);
}

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ appEnv: { SMTP_URL: smtp.url } });
  const opened = await fetch(`${stack.app.url}/app`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA },
  });
  expect(opened.status).toBe(200);
  await waitFor(
    () => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`),
    (rows) => rows.length === 1,
    60_000,
    "the first sync",
  );
  await createArticle({
    question_en: "How long does delivery take?",
    answer_en: "We pack orders within **2 business days**; delivery in the EU takes 3–5 days.",
    question_tr: "Teslimat ne kadar sürer?",
    answer_tr: "Siparişleri **2 iş günü** içinde paketliyoruz.",
    question_ta: "டெலிவரிக்கு எவ்வளவு நேரம் ஆகும்?",
    answer_ta: "ஆர்டர்களை 2 வேலை நாட்களுக்குள் அனுப்புகிறோம்.",
  });
  await createArticle({ question_en: "Can I return an item <script>window.__xss=1</script>?", answer_en: "Yes, within 30 days." });
  await waitFor(
    () => JSON.stringify(stack.emulator.appMetafields(DEFAULT_SHOP)),
    (v) => v.includes("Can I return an item"),
    20_000,
    "the published FAQ",
  );
  storefront = await startStorefront({
    shop: DEFAULT_SHOP,
    shopName: "Support Desk Demo",
    emulatorUrl: stack.emulator.url,
    appMetafields: () => stack.emulator.appMetafields(DEFAULT_SHOP),
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.stop();
  await smtp?.stop();
});

async function openHelpWithKeyboard(page: Page) {
  const button = page.getByRole("button", { name: "Help", exact: true });
  await button.waitFor();
  await button.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  return dialog;
}

describe("storefront help", () => {
  it("renders the FAQ section server-side, with structured data and escaped text", async () => {
    const page = await newPage(browser);
    await page.goto(storefront.url);
    const block = page.locator("details", { hasText: "How long does delivery take?" });
    await block.waitFor();
    await block.locator("summary").click();
    await page.getByText("We pack orders within").first().waitFor();
    await page.getByText("Can I return an item <script>window.__xss=1</script>?").first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').first().textContent()) ?? "{}");
    expect(ld["@type"]).toBe("FAQPage");
    expect(ld.mainEntity.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(["How long does delivery take?"]));
    await page.close();
  });

  it("works without JavaScript: the FAQ answers are in the page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, userAgent: BROWSER_UA });
    const page = await context.newPage();
    await page.goto(storefront.url);
    await page.locator("summary", { hasText: "How long does delivery take?" }).click();
    await page.getByText("We pack orders within").first().waitFor();
    await context.close();
  });

  it("writes only the launcher and its data into the page; the panel's code, text and styles load when it first opens", async () => {
    const html = await (await fetch(storefront.url)).text();
    const start = html.indexOf('<link rel="stylesheet" href="/extension-assets/help.css" media="print"');
    const embed = html.slice(start, html.indexOf("</sd-help>") + "</sd-help>".length);
    expect(start).toBeGreaterThan(0);
    expect(Buffer.byteLength(embed)).toBeLessThanOrEqual(3 * 1024);
    expect(embed).not.toContain("<template");
    expect(embed).not.toContain("Search our help center");

    const page = await newPage(browser);
    const requested = new Set<string>();
    page.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/extension-assets/")) requested.add(pathname.slice("/extension-assets/".length));
    });
    await page.goto(storefront.url);
    await page.waitForLoadState("networkidle");
    expect([...requested].sort()).toEqual(["help.css", "help.js"]);
    expect(await page.locator("[role=dialog]").count()).toBe(0);
    await page.getByRole("button", { name: "Help", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect([...requested].sort()).toEqual(["chat.js", "help.css", "help.js", "panel.css", "panel.js", "strings-en.js"]);
    // The top questions come from the page's data, as text.
    await dialog.getByRole("button", { name: "Can I return an item <script>window.__xss=1</script>?" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Closing and opening again reuses the panel built the first time.
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Help", exact: true }).click();
    await dialog.waitFor();
    expect(await page.locator("[role=dialog]").count()).toBe(1);
    await page.close();
  });

  it("opens with the keyboard, keeps focus inside, and closes with Escape", async () => {
    const page = await newPage(browser);
    await page.goto(storefront.url);
    const dialog = await openHelpWithKeyboard(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 5 === 4 ? "Shift+Tab" : "Tab");
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toContain("Help");
    await page.close();
  });

  it("finds an answer as the shopper types, and takes a vote", async () => {
    const page = await newPage(browser);
    await page.goto(storefront.url);
    const dialog = await openHelpWithKeyboard(page);
    await dialog.getByLabel("Search our help center").pressSequentially("deliv", { delay: 30 });
    // The search's own result (the same question may be among the top questions too).
    const result = dialog.locator(".sd-results").getByRole("button", { name: /How long does delivery take\?/ });
    await result.waitFor();
    await result.click();
    await dialog.locator("strong", { hasText: "2 business days" }).waitFor();
    await dialog.getByRole("button", { name: "Yes", exact: true }).click();
    await dialog.getByText("Thanks for letting us know.").waitFor();
    await waitFor(
      () => stack.query(`SELECT helpful FROM "FaqVote"`),
      (rows) => rows.length === 1,
    );
    expect(stack.query<{ visits: number }>(`SELECT COUNT(*) AS visits FROM "HelpVisit"`)[0].visits).toBeGreaterThan(0);
    await page.close();
  });

  it("tracks a seeded order by number and email, and refuses a wrong email", async () => {
    const order = stack.emulator.store.shop(DEFAULT_SHOP)!.orders.find((o) => o.email && o.lineItems.length > 0)!;
    const page = await newPage(browser);
    await page.goto(storefront.url);
    const dialog = await openHelpWithKeyboard(page);
    await dialog.getByRole("button", { name: "Track my order" }).click();
    await dialog.getByLabel("Order number").fill(order.name);
    await dialog.getByLabel("Email").fill("wrong@example.com");
    await dialog.getByRole("button", { name: "Track", exact: true }).click();
    await dialog.getByText("We couldn't find an order with that number and email.").waitFor();
    await dialog.getByLabel("Email").fill(order.email!);
    await dialog.getByRole("button", { name: "Track", exact: true }).click();
    await dialog.getByText(`Order ${order.name}`).waitFor();
    await dialog.getByText(order.lineItems[0].title).first().waitFor();
    await page.close();
  });

  it("sends a question: a ticket in the inbox, and the acknowledgement by email", async () => {
    const page = await newPage(browser);
    await page.goto(storefront.url);
    const dialog = await openHelpWithKeyboard(page);
    await dialog.getByRole("button", { name: "Contact us" }).click();
    await dialog.getByRole("button", { name: "Send message" }).click();
    await dialog.getByText("Please fill in this field.").first().waitFor();
    await dialog.getByLabel("Name").fill("Mari Tamm");
    await dialog.getByLabel("Email").fill("mari@example.ee");
    await dialog.getByLabel("Message").fill("Can I change the delivery address of my order?");
    await dialog.getByRole("button", { name: "Send message" }).click();
    // One promise: the panel names the ticket's due time, which the acknowledgement repeats.
    const promise = (await dialog.getByText(/^We'll answer by .+\.$/).textContent())!;
    const answerBy = promise.replace(/^We'll answer by /, "").replace(/\.$/, "");
    expect(await dialog.getByText("We'll answer within 24 hours.").count()).toBe(0);
    const [ticket] = await waitFor(
      () =>
        stack.query<{ number: number; channel: string; subject: string }>(
          `SELECT number, channel, subject FROM "Ticket" WHERE customerEmail = ?`,
          "mari@example.ee",
        ),
      (rows) => rows.length === 1,
    );
    expect(ticket).toMatchObject({ channel: "storefront", subject: "Can I change the delivery address of my order?" });
    await dialog.getByText(`Your ticket number is ${ticket.number}.`).waitFor();
    const ack = await waitFor(
      () => smtp.received.find((m) => m.to && JSON.stringify(m.to).includes("mari@example.ee")),
      Boolean,
      20_000,
      "the acknowledgement email",
    );
    expect(ack!.subject).toContain("Can I change the delivery address");
    expect(ack!.text).toContain(`#${ticket.number}`);
    expect(ack!.text).toContain(`will answer by ${answerBy}.`);

    // The merchant sees it in the inbox.
    const admin = await newPage(browser);
    await admin.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox"));
    const frame = await (await admin.waitForSelector('iframe[name="app-iframe"]')).contentFrame();
    await frame!.getByText("Can I change the delivery address of my order?").first().waitFor({ timeout: 20_000 });
    await admin.close();
    await page.close();
  });

  it("speaks the shopper's language: Turkish and Tamil", async () => {
    const page = await newPage(browser);
    await page.goto(`${storefront.url}/tr`);
    expect(await page.locator("html").getAttribute("lang")).toBe("tr");
    await page.locator("summary", { hasText: "Teslimat ne kadar sürer?" }).waitFor();
    const button = page.locator("sd-help .sd-launch");
    await button.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Size nasıl yardımcı olabiliriz?").waitFor();
    await dialog.getByLabel(/Yardım merkezimizde ara/).pressSequentially("teslimat", { delay: 20 });
    await dialog.locator(".sd-results").getByRole("button", { name: /Teslimat ne kadar sürer\?/ }).waitFor();

    await page.goto(`${storefront.url}/ta`);
    expect(await page.locator("html").getAttribute("lang")).toBe("ta");
    await page.locator("summary", { hasText: "டெலிவரிக்கு எவ்வளவு நேரம் ஆகும்?" }).waitFor();
    await page.getByRole("heading", { name: "அடிக்கடி கேட்கப்படும் கேள்விகள்" }).waitFor();
    await page.getByRole("button", { name: "உதவி", exact: true }).click();
    await page.getByRole("dialog").getByText("நாங்கள் எப்படி உதவலாம்?").waitFor();
    // The untranslated article falls back to English.
    await page.locator("summary", { hasText: "Can I return an item" }).waitFor();
    await page.close();
  });

  it("refuses a forged proxy request", async () => {
    const forged = new URLSearchParams({
      q: "delivery",
      shop: DEFAULT_SHOP,
      timestamp: String(Math.floor(Date.now() / 1000)),
      path_prefix: "/apps/support",
      logged_in_customer_id: "",
      signature: "f".repeat(64),
    });
    const response = await fetch(`${stack.app.url}/proxy/faq/search?${forged}`);
    expect(response.status).toBe(401);
  });
});
