import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage, saveBar } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** The delay-notice rules (wording, live preview, field errors) and the log, in Chromium. */

const OTHER_SHOP = "other-notices.myshopify.com";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  browser = await launchChromium();
  for (const shop of [DEFAULT_SHOP, OTHER_SHOP]) {
    await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
  }
  await waitFor(() => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`), (rows) => rows.length === 2, 60_000, "both shops synced");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("delay notice rules", () => {
  it("previews the wording with a real order in each language, refuses old-style, unknown placeholders and a message without the order, and saves", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/delay-notices/rules"));
    const frame = await appFrame(page);
    const preview = frame.getByTestId("notice-preview");
    await preview.waitFor({ timeout: 20_000 });
    const latest = stack.query<{ name: string }>(`SELECT name FROM "Order" WHERE shop = ? AND cancelledAt IS NULL ORDER BY processedAt DESC LIMIT 1`, DEFAULT_SHOP)[0];
    expect(await preview.textContent()).toContain(`parcel with your order ${latest.name} is running late`);

    await frame.getByLabel("Notice", { exact: true }).selectOption("on_hold");
    await frame.getByRole("tab", { name: "Turkish" }).click();
    await preview.getByText("bir ürün stokta kalmadı").waitFor();

    await frame.getByRole("tab", { name: "English" }).click();
    // The old single-brace style, then an unknown placeholder, then no order: each refused by name.
    await frame.getByLabel("Message (English)").fill("Hello {first_name}, your order {{order_name}} is late.");
    await frame.getByLabel("Order tags").fill("wholesale, pre-order");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText("Write placeholders with double braces: {{first_name}}.").waitFor({ timeout: 10_000 });
    await frame.getByLabel("Message (English)").fill("Hello {{first_name}}, your order {{order_name}} is late. Code: {{discount_code}}");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText(/^Unknown placeholder: \{\{discount_code\}\}\. Use \{\{first_name\}\}/).waitFor({ timeout: 10_000 });
    await frame.getByLabel("Message (English)").fill("Hello {{first_name}}, your parcel is late.");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await frame.getByText("Name the order: include {{order_name}}.").waitFor({ timeout: 10_000 });
    expect(stack.query(`SELECT 1 FROM "DelayNoticeSettings" WHERE shop = ?`, DEFAULT_SHOP)).toEqual([]);
    await saveBar(page).waitFor();

    await frame.getByLabel("Message (English)").fill("Hello {{first_name}}, your order {{order_name}} is on hold: {{reason}}.\n\nTracking: {{tracking_link}}");
    await preview.getByText(`your order ${latest.name} is on hold: an item is out of stock`).waitFor();
    await frame.getByLabel("Wait before notifying (minutes)").fill("15");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("Rules saved").waitFor({ timeout: 10_000 });
    await saveBar(page).waitFor({ state: "hidden" });
    const [saved] = stack.query<{ excludedOrderTags: string; minDelayMinutes: number; templates: string }>(`SELECT excludedOrderTags, minDelayMinutes, templates FROM "DelayNoticeSettings" WHERE shop = ?`, DEFAULT_SHOP);
    expect(saved.excludedOrderTags).toBe("wholesale, pre-order");
    expect(saved.minDelayMinutes).toBe(15);
    // Only the changed wording is stored; the other 35 follow the defaults.
    expect(JSON.parse(saved.templates)).toEqual({
      on_hold: { en: { subject: "An update on your order {{order_name}}", body: "Hello {{first_name}}, your order {{order_name}} is on hold: {{reason}}.\n\nTracking: {{tracking_link}}" } },
    });
    await page.close();
  });
});

describe("delay notice log", () => {
  it("lists a notice with its status and opens the order's thread; another shop sees none", async () => {
    // No waiting time, whether or not the rules test ran (and saved 15 minutes) before: this notice goes at once.
    stack.execute(`INSERT INTO "DelayNoticeSettings" (shop, minDelayMinutes, updatedAt) VALUES (?, 0, CURRENT_TIMESTAMP) ON CONFLICT(shop) DO UPDATE SET minDelayMinutes = 0`, DEFAULT_SHOP);
    const order = stack.emulator.store.shop(DEFAULT_SHOP)!.orders.find((o) => o.email && !o.cancelledAt && o.fulfillments.length > 0 && !o.fulfillments[0].deliveredAt)!;
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    await waitFor(() => stack.query<{ status: string }>(`SELECT status FROM "DelayNotice" WHERE shop = ?`, DEFAULT_SHOP), (rows) => rows[0]?.status === "sent");

    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/delay-notices"));
    const frame = await appFrame(page);
    await frame.getByText(order.name).first().waitFor({ timeout: 20_000 });
    await frame.getByText("Carrier reports a delay").waitFor();
    await frame.getByText("Sent", { exact: true }).first().waitFor();
    await frame.getByRole("link", { name: "Open ticket" }).click();
    await frame.getByText("Delay notice", { exact: true }).first().waitFor({ timeout: 10_000 });
    // The notice itself, in the shopper's language, on the thread.
    const [{ body }] = stack.query<{ body: string }>(`SELECT body FROM "TicketMessage" WHERE shop = ? AND kind = 'notice'`, DEFAULT_SHOP);
    await frame.getByText(body.split("\n")[2]).first().waitFor();
    await page.close();

    const other = await newPage(browser);
    await other.goto(stack.emulator.adminUrl(OTHER_SHOP, "/delay-notices"));
    const otherFrame = await appFrame(other);
    await otherFrame.getByText("No delays yet").waitFor({ timeout: 20_000 });
    await other.close();
  }, 60_000);
});
