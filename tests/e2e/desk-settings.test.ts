import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage, saveBar } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** Settings, the email outbox and canned replies, in Chromium through the emulated admin. */

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const settingsRow = () => stack.query<Record<string, unknown>>('SELECT * FROM "SupportSettings" WHERE shop = ?', DEFAULT_SHOP)[0];

describe("desk settings", () => {
  it("refuses a bad address with the field's error and saves good settings", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/settings"));
    const frame = await appFrame(page);
    const email = frame.getByLabel("Email address");
    await email.waitFor({ timeout: 20_000 });
    // Defaults come from the shop (its contact email, as Shopify reported it on install).
    expect(await email.inputValue()).toBe(stack.query<{ email: string }>('SELECT email FROM "Shop" WHERE shop = ?', DEFAULT_SHOP)[0].email);
    await email.fill("not an address");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText("Enter an email address, like support@yourstore.com.").waitFor({ timeout: 10_000 });
    expect(settingsRow()).toBeUndefined();
    // Refused: the edit is still unsaved, so the bar stays.
    await saveBar(page).waitFor();
    expect(await email.inputValue()).toBe("not an address");

    await email.fill("help@duka.example");
    await frame.getByLabel("Promised first response (business hours)").fill("8");
    await frame.getByLabel("Saturday", { exact: true }).check();
    await frame.getByLabel("Signature").fill("Asha\nDuka la Asha");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved").waitFor({ timeout: 10_000 });
    await saveBar(page).waitFor({ state: "hidden" });
    const saved = settingsRow();
    expect(saved).toMatchObject({ fromEmail: "help@duka.example", responseTimeHours: 8, signature: "Asha\nDuka la Asha" });
    expect(JSON.parse(saved.businessHours as string).sat).toEqual([["09:00", "17:00"]]);
    await page.close();
  });
});

describe("email outbox", () => {
  it("lists kept emails with the missing-server notice and shows one as inert text", async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    stack.execute(
      `INSERT INTO "OutboundEmail" (id, shop, purpose, messageId, fromAddress, toAddress, subject, text, html, status, createdAt)
       VALUES ('mail-1', ?, 'reply', '<m1@duka.example>', 'help@duka.example', 'asha@example.org', ?, ?, ?, 'outbox', CURRENT_TIMESTAMP)`,
      DEFAULT_SHOP,
      `Re: order ${payload}`,
      `Hello ${payload}`,
      `<p>Hello ${payload}</p>`,
    );
    stack.execute(
      `INSERT INTO "OutboundEmail" (id, shop, purpose, messageId, fromAddress, toAddress, subject, text, html, status, createdAt)
       VALUES ('mail-other', 'someone-else.myshopify.com', 'reply', '<m2@x>', 'a@x', 'b@x', 'Their mail', 'secret', 'secret', 'sent', CURRENT_TIMESTAMP)`,
    );
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/outbox"));
    const frame = await appFrame(page);
    await frame.getByText("No mail server is set (SMTP_URL)").waitFor({ timeout: 20_000 });
    await frame.getByText(`Re: order ${payload}`).waitFor();
    expect(await frame.getByText("Their mail").count()).toBe(0);
    await frame.getByText(`Re: order ${payload}`).click();
    await frame.getByText("<m1@duka.example>").waitFor({ timeout: 10_000 });
    await frame.getByText(`Hello ${payload}`).waitFor();
    expect(await frame.locator("img[src=x]").count()).toBe(0);
    expect(await frame.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const foreign = await fetch(`${stack.app.url}/app/outbox/mail-other`, {
      headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA },
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain("secret");
    await page.close();
  });
});

describe("canned replies", () => {
  const variants = () =>
    stack.query<{ title: string; locale: string; body: string }>(
      `SELECT r.title, v.locale, v.body FROM "CannedReply" r JOIN "CannedReplyVariant" v ON v.cannedReplyId = r.id AND v.shop = r.shop WHERE r.shop = ? ORDER BY v.locale`,
      DEFAULT_SHOP,
    );

  it("are written per language, refused field by field, refused twice under one title, edited and deleted", { timeout: 60_000 }, async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/canned-replies"));
    const frame = await appFrame(page);
    await frame.getByText("No canned replies yet").waitFor({ timeout: 20_000 });
    // The shop's default language is required; every language says whether it is written.
    await frame.getByRole("button", { name: "English (required): missing" }).waitFor();
    await frame.getByText("{{tracking_link}}").first().waitFor();
    await frame.getByLabel("Title").fill("Where is my order");
    await frame.getByRole("button", { name: "Swahili: missing" }).click();
    await frame.getByLabel("Reply (Swahili)").fill("Habari {{first_name}}, agizo lako {{order_name}} liko njiani. Msimbo: {{coupon}}");
    await frame.getByRole("button", { name: "Add canned reply" }).click();
    // Both refusals at once: the missing English text and the unknown placeholder, named.
    await frame.getByRole("button", { name: "Swahili: needs a fix" }).waitFor({ timeout: 10_000 });
    await frame.getByText(/^Unknown placeholder: \{\{coupon\}\}\./).waitFor();
    await frame.getByRole("button", { name: "English (required): needs a fix" }).click();
    await frame.getByText("Write the reply in your shop's default language: every canned reply has it.").waitFor();
    expect(stack.query('SELECT 1 FROM "CannedReply" WHERE shop = ?', DEFAULT_SHOP)).toHaveLength(0);

    await frame.getByLabel("Reply (English)").fill("Hi {{first_name}}, your order {{order_name}} is on its way: {{tracking_link}}");
    // An edited field drops its error at once.
    expect(await frame.getByText("Write the reply in your shop's default language: every canned reply has it.").count()).toBe(0);
    await frame.getByRole("button", { name: "Swahili: needs a fix" }).click();
    await frame.getByLabel("Reply (Swahili)").fill("Habari {{first_name}}, agizo lako {{order_name}} liko njiani: {{tracking_link}}");
    await frame.getByRole("button", { name: "Add canned reply" }).click();
    await frame.getByRole("heading", { name: "Where is my order" }).waitFor({ timeout: 10_000 });
    await frame.getByText("Missing: Estonian, Tamil, Romanian, Turkish", { exact: true }).waitFor();
    expect(variants()).toEqual([
      { title: "Where is my order", locale: "en", body: "Hi {{first_name}}, your order {{order_name}} is on its way: {{tracking_link}}" },
      { title: "Where is my order", locale: "sw", body: "Habari {{first_name}}, agizo lako {{order_name}} liko njiani: {{tracking_link}}" },
    ]);

    await frame.getByLabel("Title").fill("Where is my order");
    await frame.getByLabel("Reply (English)").fill("Again");
    await frame.getByRole("button", { name: "Add canned reply" }).click();
    await frame.getByText("A canned reply with this title exists.").waitFor({ timeout: 10_000 });
    expect(stack.query('SELECT 1 FROM "CannedReply" WHERE shop = ?', DEFAULT_SHOP)).toHaveLength(1);

    // Edit: an Estonian version added, the Swahili one removed by emptying it.
    await frame.getByRole("button", { name: "Edit Where is my order" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("button", { name: "Estonian: missing" }).click();
    await dialog.getByLabel("Reply (Estonian)").fill("Tere, {{first_name}}! Teie tellimus {{order_name}} on teel.");
    await dialog.getByRole("button", { name: "Swahili: written" }).click();
    await dialog.getByLabel("Reply (Swahili)").fill("");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Canned reply saved").waitFor({ timeout: 10_000 });
    await waitFor(() => variants().map((v) => v.locale), (locales) => locales.join() === "en,et", 10_000, "the edited languages");
    await frame.getByText("Missing: Swahili, Tamil, Romanian, Turkish", { exact: true }).waitFor({ timeout: 10_000 });

    await frame.getByRole("button", { name: "Delete Where is my order" }).click();
    await frame.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await waitFor(() => stack.query('SELECT 1 FROM "CannedReply" WHERE shop = ?', DEFAULT_SHOP), (rows) => rows.length === 0, 10_000, "deleted");
    expect(stack.query('SELECT 1 FROM "CannedReplyVariant" WHERE shop = ?', DEFAULT_SHOP)).toHaveLength(0);
    await page.close();
  });
});
