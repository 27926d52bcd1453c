import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The Privacy requests page in Chromium through the emulated admin: a double click on "Email to
 * customer" sends one email and the row follows it to "Sent to customer on …"; a request without
 * an address has the button disabled with the reason beside it, and "Mark as delivered" records
 * who did; an address carrying markup is shown as text.
 */

let stack: Stack;
let smtp: CapturingSmtp;
let browser: Browser;

/** A customers/data_request from Shopify, processed: the request's id once its export is ready. */
async function dataRequest(input: { customer?: string; payload?: unknown }): Promise<string> {
  const delivered = await stack.emulator.deliverWebhook({
    shop: DEFAULT_SHOP,
    topic: "customers/data_request",
    ...input,
  });
  expect(delivered.status).toBe(200);
  const [row] = await waitFor(
    () =>
      stack.query<{ id: string }>(
        `SELECT r.id FROM "DataRequest" r JOIN "WebhookEvent" e ON e.id = r.webhookEventId
         WHERE e.eventId = ? AND r.status = 'ready'`,
        delivered.eventId,
      ),
    (rows) => rows.length === 1,
    20_000,
    "the data request's export",
  );
  return row.id;
}

const HOSTILE = `<img src=x onerror="window.__privacyXss=1">@example.com`;

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ appEnv: { SMTP_URL: smtp.url } });
  browser = await launchChromium();
  const opened = await fetch(`${stack.app.url}/app`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA },
  });
  expect(opened.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await smtp?.stop();
});

describe("Privacy requests in the admin", () => {
  it("emails once for a double click, follows it to sent, explains a disabled button, marks as delivered", async () => {
    const customer = stack.emulator.store.shop(DEFAULT_SHOP)!.customers.find((c) => c.email)!;
    const withEmail = await dataRequest({ customer: customer.email! });
    const withoutEmail = await dataRequest({
      payload: {
        shop_domain: DEFAULT_SHOP,
        orders_requested: [],
        customer: { id: 5550001, email: null, phone: null },
        data_request: { id: 7001 },
      },
    });
    await dataRequest({
      payload: { shop_domain: DEFAULT_SHOP, customer: { id: 5550002, email: HOSTILE }, data_request: { id: 7002 } },
    });

    const page = await newPage(browser);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/privacy"));
    const frame = await appFrame(page);
    const row = (text: string) => frame.getByRole("row").filter({ hasText: text });
    await row(customer.email!).waitFor({ timeout: 20_000 });
    await row(customer.email!).getByText("Export ready to download").waitFor();

    // Two clicks as fast as a person's double click: one email.
    await row(customer.email!).getByRole("button", { name: "Email to customer" }).dblclick();
    await row(customer.email!)
      .getByText(/^Sent to customer on /)
      .waitFor({ timeout: 20_000 });
    await row(customer.email!).getByText(`To ${customer.email} by Alex Moreau`).waitFor();
    expect(stack.query(`SELECT 1 FROM "OutboundEmail" WHERE dataRequestId = ?`, withEmail)).toHaveLength(1);
    const sent = smtp.received.filter(
      (m) => JSON.stringify(m.to).toLowerCase().includes(customer.email!.toLowerCase()) && m.attachments.length === 1,
    );
    expect(sent).toHaveLength(1);
    // Sending again is a button of its own now.
    expect(await row(customer.email!).getByRole("button", { name: "Send again" }).isEnabled()).toBe(true);
    expect(await row(customer.email!).getByRole("button", { name: "Mark as delivered" }).count()).toBe(0);

    // No address: the button is disabled and says why, for sighted and screen-reader users alike.
    const noAddress = row("Customer 5550001");
    const button = noAddress.getByRole("button", { name: "Email to customer" });
    expect(await button.isDisabled()).toBe(true);
    const reason = noAddress.getByText(
      "Shopify sent no email address with this request: download the export and deliver it another way.",
    );
    expect(await reason.isVisible()).toBe(true);
    expect(await button.getAttribute("aria-describedby")).toBe(await reason.getAttribute("id"));
    await noAddress.getByRole("button", { name: "Mark as delivered" }).click();
    await noAddress.getByText("Delivered another way, recorded by Alex Moreau").waitFor({ timeout: 10_000 });
    await noAddress.getByText(/^Delivered on /).waitFor();
    expect(stack.query(`SELECT deliveredVia, deliveredBy FROM "DataRequest" WHERE id = ?`, withoutEmail)).toEqual([
      { deliveredVia: "other", deliveredBy: "Alex Moreau" },
    ]);

    // An address with markup in it is text on the page, and not one to send to.
    const hostile = row(HOSTILE);
    await hostile.waitFor();
    expect(await hostile.getByRole("button", { name: "Email to customer" }).isDisabled()).toBe(true);
    expect(await frame.evaluate(() => (window as unknown as { __privacyXss?: number }).__privacyXss)).toBeUndefined();
    expect(await frame.locator("img[src=x]").count()).toBe(0);

    // At 1280 px every heading and every cell, buttons included, is inside the viewport (boxes, not text widths).
    for (const title of ["Requested", "Customer", "Status", "Delivery"]) {
      const box = await frame.locator("th", { hasText: title }).first().boundingBox();
      expect(box!.x + box!.width, title).toBeLessThanOrEqual(1280);
    }
    const cells = frame.locator("tbody td");
    for (let i = 0; i < (await cells.count()); i++) {
      const box = await cells.nth(i).boundingBox();
      expect(box!.x + box!.width, `cell ${i}`).toBeLessThanOrEqual(1280);
    }
    await page.close();
  }, 90_000);
});
