import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** The synced customers in the embedded admin, in Chromium: the home page's sync card, the list, a customer. */

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // Exports pause 600 ms per 250 objects, so a full sync lasts long enough to watch.
  stack = await startStack({ bulkDelayMs: 600, appEnv: { SYNC_POLL_INTERVAL_MS: "100" } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Changes the app's database behind its back, as a corrupted or hostile sync would. */
const count = (table: string) => stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE shop = ?`, DEFAULT_SHOP)[0].n;
const bulkRuns = () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk' ORDER BY startedAt`, DEFAULT_SHOP);

interface Pick {
  id: string;
  firstName: string;
  lastName: string;
  locale: string;
  orderName: string;
  tracking: string;
}

/** A synced customer in Turkish or Tamil with a shipped order that has a tracking link. */
function customerWithTracking(): Pick {
  const rows = stack.query<Pick>(
    `SELECT c.id, c.firstName, c.lastName, c.locale, o.name AS orderName, f.tracking
       FROM "Customer" c JOIN "Order" o ON o.shop = c.shop AND o.customerShopifyId = c.shopifyId
       JOIN "Fulfillment" f ON f.shop = o.shop AND f.orderShopifyId = o.shopifyId
      WHERE c.shop = ? AND (c.locale LIKE 'tr%' OR c.locale LIKE 'ta%') AND f.tracking LIKE '%http%'
      ORDER BY c.locale DESC, c.id LIMIT 1`,
    DEFAULT_SHOP,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe("customers in the embedded admin", () => {
  it("shows the sync card with the synced counts once the first sync is done", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    const frame = await appFrame(page);
    await frame.getByRole("heading", { name: "Customers and orders" }).waitFor({ timeout: 20_000 });
    await waitFor(bulkRuns, (runs) => runs[0]?.status === "succeeded", 30_000, "the first sync");
    const store = stack.emulator.store.shop(DEFAULT_SHOP)!;
    expect(count("Customer")).toBe(store.customers.length);
    expect(count("Order")).toBe(store.orders.length);
    // The card follows the run, or shows it finished on the next visit.
    await page.reload();
    const reloaded = await appFrame(page);
    await reloaded.getByText(`${store.customers.length} customers · ${store.orders.length} orders`).waitFor({ timeout: 20_000 });
    await reloaded.getByText(/Last full sync/).waitFor();
    await page.close();
  });

  it("finds a customer by name and opens their orders with fulfillment status and tracking", async () => {
    const customer = customerWithTracking();
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    const frame = await appFrame(page);
    await page.getByRole("link", { name: "Customers" }).click();
    await frame.getByPlaceholder("Search by name, email or phone").waitFor({ timeout: 20_000 });
    await frame.getByPlaceholder("Search by name, email or phone").fill(customer.lastName);
    const link = frame.getByRole("link", { name: `${customer.firstName} ${customer.lastName}` });
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toContain(`q=${encodeURIComponent(customer.lastName)}`);
    await link.waitFor({ timeout: 10_000 });
    await link.click();

    await frame.getByRole("heading", { name: "Orders" }).waitFor({ timeout: 10_000 });
    expect(frame.url()).toContain(`/app/customers/${customer.id}`);
    await frame.getByRole("heading", { name: customer.orderName }).waitFor();
    await frame.getByText(customer.locale.startsWith("tr") ? "Turkish" : "Tamil").first().waitFor();
    const [tracking] = JSON.parse(customer.tracking) as { url: string }[];
    const anchor = frame.locator(`a[href="${new URL(tracking.url).toString()}"]`).first();
    await anchor.waitFor();
    expect(await anchor.getAttribute("target")).toBe("_blank");
    expect(await anchor.getAttribute("rel")).toContain("noopener");
    await page.close();
  });

  it("renders a hostile name and tracking link inert", async () => {
    const customer = customerWithTracking();
    const payload = `<img src=x onerror="window.__xss=1">`;
    stack.execute(`UPDATE "Customer" SET firstName = ? WHERE id = ?`, payload, customer.id);
    stack.execute(
      `UPDATE "Fulfillment" SET tracking = ? WHERE shop = ? AND orderShopifyId = (SELECT shopifyId FROM "Order" WHERE shop = ? AND name = ?)`,
      JSON.stringify([{ company: "Evil", number: "X1", url: "javascript:window.__xss=2" }]),
      DEFAULT_SHOP,
      DEFAULT_SHOP,
      customer.orderName,
    );
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/customers/${customer.id}`));
    const frame = await appFrame(page);
    await frame.getByText(`${payload} ${customer.lastName}`).first().waitFor({ timeout: 20_000 });
    await frame.getByText("Evil X1").waitFor();
    expect(await frame.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await frame.locator("img[src=x]").count()).toBe(0);
    expect(await frame.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });

  it("answers 404 for a customer of another shop", async () => {
    stack.execute(
      `INSERT INTO "Customer" (id, shop, shopifyId, firstName, lastName, tags, numberOfOrders, syncedAt) VALUES ('foreign-customer', 'someone-else.myshopify.com', 'gid://shopify/Customer/1', 'Foreign', 'Person', '', 0, CURRENT_TIMESTAMP)`,
    );
    const response = await fetch(`${stack.app.url}/app/customers/foreign-customer`, {
      headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Foreign");

    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/customers/foreign-customer"));
    const frame = await appFrame(page);
    await frame.getByText("This customer is not in your store").waitFor({ timeout: 20_000 });
    await page.close();
  });

  it("starts a new full sync from Sync now and follows it with a progress bar until it is done", async () => {
    const before = bulkRuns().length;
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    const frame = await appFrame(page);
    await frame.getByRole("button", { name: "Sync now" }).click();
    await page.getByText(/Sync started|already running/).waitFor({ timeout: 10_000 });
    // While it runs: a progress bar and what is being synced, refreshed without reloading.
    await frame.locator("progress").waitFor({ timeout: 10_000 });
    await frame.getByText(/Starting the sync|Syncing (customers|orders)…/).waitFor();
    await frame.getByRole("button", { name: "Syncing…" }).waitFor();
    const runs = await waitFor(bulkRuns, (r) => r.length === before + 1 && r[r.length - 1].status === "succeeded", 30_000, "the second sync");
    expect(runs).toHaveLength(before + 1);
    await frame.getByRole("button", { name: "Sync now" }).waitFor({ timeout: 10_000 });
    expect(await frame.locator("progress").count()).toBe(0);
    await page.close();
  });
});

describe("a customer's tickets", () => {
  /** The first sync done (the first open of the admin starts it), so customers and orders are there. */
  async function synced(page: Page) {
    if (bulkRuns()[0]?.status !== "succeeded") {
      await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
      await appFrame(page);
      await waitFor(bulkRuns, (runs) => runs.some((r) => r.status === "succeeded"), 30_000, "the first sync");
    }
  }
  function insertTicket(number: number, subject: string, customer: { shopifyId: string; email: string }, order?: { shopifyId: string; name: string }) {
    const id = `t-customer-page-${number}`;
    const now = new Date().toISOString();
    stack.execute(
      `INSERT INTO "Ticket" (id, shop, number, subject, status, priority, channel, tags, customerEmail, customerShopifyId, orderShopifyId, orderName, replyToken, createdAt, updatedAt, lastMessageAt, unread)
       VALUES (?, ?, ?, ?, 'open', 'normal', 'storefront', '', ?, ?, ?, ?, ?, ?, ?, ?, true)`,
      id,
      DEFAULT_SHOP,
      number,
      subject,
      customer.email.toLowerCase(),
      customer.shopifyId,
      order?.shopifyId ?? null,
      order?.name ?? null,
      crypto.randomBytes(9).toString("base64url"),
      now,
      now,
      now,
    );
    stack.execute(`INSERT INTO "TicketMessage" (id, shop, ticketId, kind, body, createdAt) VALUES (?, ?, ?, 'customer', ?, ?)`, `m-${id}`, DEFAULT_SHOP, id, `${subject}, please.`, now);
    return id;
  }

  it("lists the customer's tickets, opens a new one with their email filled in, and links only their own orders", { timeout: 60_000 }, async () => {
    const page = await newPage(browser);
    await synced(page);
    type Row = { id: string; shopifyId: string; email: string; orderShopifyId: string; orderName: string };
    // Each customer's first order, of the first two customers that have one.
    const owners = stack
      .query<Row>(
        `SELECT c.id, c.shopifyId, c.email, o.shopifyId AS orderShopifyId, o.name AS orderName FROM "Customer" c
           JOIN "Order" o ON o.shop = c.shop AND o.customerShopifyId = c.shopifyId
          WHERE c.shop = ? AND c.email IS NOT NULL AND (o.email IS NULL OR o.email = c.email) ORDER BY c.id, o.shopifyId`,
        DEFAULT_SHOP,
      )
      .filter((row, i, rows) => i === 0 || rows[i - 1].id !== row.id)
      .slice(0, 2);
    expect(owners).toHaveLength(2);
    const [mine, theirs] = owners;
    const own = insertTicket(9001, "Mug arrived chipped", mine);
    // A ticket that claims another customer's order (an older row, or a mistyped number).
    const wrong = insertTicket(9002, "Question about someone's order", mine, { shopifyId: theirs.orderShopifyId, name: theirs.orderName });
    insertTicket(9003, "Not this customer's ticket", theirs);

    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/customers/${mine.id}`));
    const frame = await appFrame(page);
    await frame.getByRole("heading", { name: "Tickets" }).waitFor({ timeout: 20_000 });
    await frame.getByRole("link", { name: "#9001 Mug arrived chipped" }).waitFor();
    await frame.getByRole("link", { name: "#9002 Question about someone's order" }).waitFor();
    expect(await frame.getByText("Not this customer's ticket").count()).toBe(0);
    expect(await frame.getByText(/^Updated /).count()).toBeGreaterThanOrEqual(2);

    // The ticket about another customer's order does not claim it.
    await frame.getByRole("link", { name: "#9002 Question about someone's order" }).click();
    await frame.getByText(`Mentions order ${theirs.orderName}, which is not one of this customer's orders.`).waitFor({ timeout: 15_000 });
    expect(await frame.getByText("About order").count()).toBe(0);
    expect(frame.url()).toContain(wrong);

    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/customers/${mine.id}`));
    const again = await appFrame(page);
    await again.getByRole("link", { name: "#9001 Mug arrived chipped" }).waitFor({ timeout: 20_000 });
    await again.getByRole("button", { name: "New ticket" }).or(again.getByRole("link", { name: "New ticket" })).first().click();
    await again.getByLabel("Customer email").waitFor({ timeout: 15_000 });
    expect(await again.getByLabel("Customer email").inputValue()).toBe(mine.email);
    await again.getByLabel("Subject").fill("Phoned about a refund");
    await again.getByLabel("What the customer asked").fill("Wants to know when the refund lands.");
    // Another customer's order is refused, field by field.
    await again.getByLabel("Order number").fill(theirs.orderName);
    await again.getByRole("button", { name: "Create ticket" }).click();
    await again.getByText(`${theirs.orderName} is not one of this customer's orders.`).waitFor({ timeout: 15_000 });
    expect(stack.query(`SELECT 1 FROM "Ticket" WHERE shop = ? AND subject = 'Phoned about a refund'`, DEFAULT_SHOP)).toEqual([]);
    await again.getByLabel("Order number").fill(mine.orderName);
    await again.getByRole("button", { name: "Create ticket" }).click();
    await again.getByText(`About order`).waitFor({ timeout: 15_000 });
    const [created] = stack.query<{ customerShopifyId: string; orderShopifyId: string }>(
      `SELECT customerShopifyId, orderShopifyId FROM "Ticket" WHERE shop = ? AND subject = 'Phoned about a refund'`,
      DEFAULT_SHOP,
    );
    expect(created).toEqual({ customerShopifyId: mine.shopifyId, orderShopifyId: mine.orderShopifyId });
    expect(own).toBeTruthy();
    await page.close();
  });
});
