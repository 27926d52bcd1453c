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
  it("are added, refused twice under one title, edited and deleted", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/canned-replies"));
    const frame = await appFrame(page);
    await frame.getByText("No canned replies yet").waitFor({ timeout: 20_000 });
    await frame.getByLabel("Title").fill("Where is my order");
    await frame.getByLabel("Reply").fill("Hi {{first_name}}, your order {{order_name}} is on its way: {{tracking_link}}");
    await frame.getByRole("button", { name: "Add canned reply" }).click();
    await frame.getByRole("heading", { name: "Where is my order" }).waitFor({ timeout: 10_000 });

    await frame.getByLabel("Title").fill("Where is my order");
    await frame.getByLabel("Reply").fill("Again");
    await frame.getByRole("button", { name: "Add canned reply" }).click();
    await frame.getByText("A canned reply with this title exists.").waitFor({ timeout: 10_000 });
    expect(stack.query('SELECT 1 FROM "CannedReply" WHERE shop = ?', DEFAULT_SHOP)).toHaveLength(1);

    await frame.getByRole("button", { name: "Delete Where is my order" }).click();
    await frame.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await waitFor(() => stack.query('SELECT 1 FROM "CannedReply" WHERE shop = ?', DEFAULT_SHOP), (rows) => rows.length === 0, 10_000, "deleted");
    await page.close();
  });
});
