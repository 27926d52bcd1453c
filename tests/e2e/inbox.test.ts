import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { searchTextOf } from "../../app/utils/search-text";

/** The inbox in Chromium: a ticket from arrival to solved, the list's views and bulk actions, hostile text, another shop's ticket. */

const OTHER_SHOP = "other-inbox.myshopify.com";
/** A shop whose desk works in Auckland (UTC+12 in June, +13 in December). */
const AUCKLAND_SHOP = "auckland-inbox.myshopify.com";
/** A shop that set no desk zone: Shopify says it is in Los Angeles (UTC−7 in June). */
const LA_SHOP = "la-inbox.myshopify.com";
const INBOUND_SECRET = "inbound-secret-for-tests-0123456789";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP, AUCKLAND_SHOP, LA_SHOP], appEnv: { SYNC_POLL_INTERVAL_MS: "100", INBOUND_EMAIL_SECRET: INBOUND_SECRET } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A ticket written straight into the database, as the storefront form will make them. */
function insertTicket(
  shop: string,
  number: number,
  subject: string,
  body: string,
  extra: { status?: string; slaDueAt?: string; at?: string; firstResponseAt?: string; priority?: string; channel?: string; customerName?: string | null; customerShopifyId?: string; customerEmail?: string } = {},
) {
  const id = `t-${shop.split(".")[0]}-${number}`;
  const now = extra.at ?? new Date().toISOString();
  const email = extra.customerEmail ?? `shopper${number}@example.com`;
  const name = extra.customerName === undefined ? `Shopper ${number}` : extra.customerName;
  stack.execute(
    `INSERT INTO "Ticket" (id, shop, number, subject, status, priority, channel, tags, customerEmail, customerName, customerShopifyId, replyToken, createdAt, updatedAt, lastMessageAt, unread, slaDueAt, firstResponseAt, searchText)
     VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?)`,
    id,
    shop,
    number,
    subject,
    extra.status ?? "open",
    extra.priority ?? "normal",
    extra.channel ?? "storefront",
    email,
    name,
    extra.customerShopifyId ?? null,
    crypto.randomBytes(9).toString("base64url"),
    now,
    now,
    now,
    extra.slaDueAt ?? new Date(Date.now() + 3_600_000).toISOString(),
    extra.firstResponseAt ?? null,
    // What the app writes with every ticket (app/models/ticket.server.ts ticketSearchText).
    searchTextOf([subject, name, email, null]),
  );
  stack.execute(`INSERT INTO "TicketMessage" (id, shop, ticketId, kind, authorName, authorEmail, body, createdAt) VALUES (?, ?, ?, 'customer', ?, ?, ?, ?)`, `m-${id}`, shop, id, `Shopper ${number}`, `shopper${number}@example.com`, body, now);
  return id;
}

const ticketRow = (id: string) => stack.query<{ status: string; assigneeName: string | null; tags: string; firstResponseAt: string | null }>('SELECT * FROM "Ticket" WHERE id = ?', id)[0];

describe("the inbox", () => {
  it("works a ticket from arrival to solved: created, read with the customer's orders, answered by email, solved", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    await appFrame(page);
    // The first open syncs the store: the ticket can be matched to a customer and order.
    await waitFor(
      () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, DEFAULT_SHOP)[0],
      (r) => r?.status === "succeeded",
      30_000,
      "the first sync",
    );
    const [order] = stack.query<{ name: string; email: string; firstName: string; lastName: string }>(
      `SELECT o.name, c.email, c.firstName, c.lastName FROM "Order" o JOIN "Customer" c ON c.shop = o.shop AND c.shopifyId = o.customerShopifyId
        WHERE o.shop = ? AND c.locale LIKE 'et%' ORDER BY o.name LIMIT 1`,
      DEFAULT_SHOP,
    );

    await page.getByRole("link", { name: "Inbox" }).click();
    const frame = await appFrame(page);
    await frame.getByRole("link", { name: "New ticket" }).click();
    await frame.getByLabel("Customer email").fill(order.email);
    await frame.getByLabel("Order number").fill(order.name);
    await frame.getByLabel("Subject").fill("Kus mu pakk on?");
    await frame.getByLabel("What the customer asked").fill("Helistas poodi: pakk pole veel kohale jõudnud.");
    await frame.getByRole("button", { name: "Create ticket" }).click();

    await expect.poll(() => frame.url(), { timeout: 15_000 }).toMatch(/\/app\/inbox\/(?!new)[A-Za-z0-9]+/);
    await frame.getByText("Helistas poodi: pakk pole veel kohale jõudnud.").first().waitFor({ timeout: 15_000 });
    await frame.getByText(`${order.firstName} ${order.lastName}`).first().waitFor();
    await frame.getByText("Language: Estonian").waitFor();
    await frame.getByText(`About order`).waitFor();
    // The staff member is known by name (online token exchange), and created it.
    await frame.getByText("Alex Moreau created the ticket").waitFor();
    const [ticket] = stack.query<{ id: string; number: number; customerShopifyId: string | null; orderShopifyId: string | null }>(
      'SELECT id, number, customerShopifyId, orderShopifyId FROM "Ticket" WHERE shop = ? AND subject = ?',
      DEFAULT_SHOP,
      "Kus mu pakk on?",
    );
    expect(ticket.customerShopifyId).not.toBeNull();
    expect(ticket.orderShopifyId).not.toBeNull();
    // No acknowledgement for a ticket staff opened.
    expect(stack.query('SELECT 1 FROM "OutboundEmail" WHERE ticketId = ?', ticket.id)).toEqual([]);

    await frame.getByLabel("Reply", { exact: true }).fill("Tere! Pakk jõuab homme kohale.");
    await frame.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent").waitFor({ timeout: 10_000 });
    await frame.locator("p", { hasText: "Tere! Pakk jõuab homme kohale." }).waitFor();
    // No SMTP server in this stack: the email waits in the outbox, on the timeline too.
    await waitFor(() => stack.query<{ status: string }>('SELECT status FROM "OutboundEmail" WHERE ticketId = ?', ticket.id)[0], (e) => e?.status === "outbox", 10_000, "the outbox");
    await frame.getByText("In outbox").waitFor({ timeout: 10_000 });
    expect(ticketRow(ticket.id)).toMatchObject({ status: "pending", assigneeName: "Alex Moreau" });
    expect(ticketRow(ticket.id).firstResponseAt).not.toBeNull();

    await frame.getByRole("button", { name: "Internal note" }).click();
    await frame.getByLabel("Note (only your team sees it)").fill("Carrier confirmed tomorrow.");
    await frame.getByRole("button", { name: "Add note" }).click();
    await frame.locator("p", { hasText: "Carrier confirmed tomorrow." }).waitFor({ timeout: 10_000 });

    await frame.getByLabel("Status", { exact: true }).selectOption("solved");
    await waitFor(() => ticketRow(ticket.id), (t) => t.status === "solved", 10_000, "solved");
    await frame.getByText("Alex Moreau changed the status from Pending to Solved").waitFor({ timeout: 10_000 });
    await page.close();
  });

  it("lists tickets by view, searches and solves several at once", { timeout: 60_000 }, async () => {
    const overdue = insertTicket(DEFAULT_SHOP, 101, "Wrong size delivered", "I got a 42, ordered 44.", { slaDueAt: new Date(Date.now() - 3_600_000).toISOString() });
    const other = insertTicket(DEFAULT_SHOP, 102, "Gift wrapping?", "Can you wrap it?");
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox"));
    const frame = await appFrame(page);
    await frame.getByText("#101 Wrong size delivered").waitFor({ timeout: 15_000 });
    await frame.getByText("#102 Gift wrapping?").waitFor();
    // The solved ticket from the first test is not in the Open view.
    expect(await frame.getByText("Kus mu pakk on?").count()).toBe(0);

    await frame.getByRole("tab", { name: "Overdue tickets" }).click();
    await frame.getByText("#102 Gift wrapping?").waitFor({ state: "detached", timeout: 10_000 });
    await frame.getByText("#101 Wrong size delivered").waitFor();
    await frame.locator(".Polaris-Badge", { hasText: "Overdue" }).first().waitFor();

    await frame.getByRole("tab", { name: "Open tickets" }).click();
    await frame.getByPlaceholder("Search open tickets: subject, customer, email, order or #number").fill("#102");
    await frame.getByText("#101 Wrong size delivered").waitFor({ state: "detached", timeout: 10_000 });
    await frame.getByPlaceholder("Search open tickets: subject, customer, email, order or #number").fill("");
    await frame.getByText("#101 Wrong size delivered").waitFor({ timeout: 10_000 });

    // Select both (all the open tickets there are) and solve them.
    await frame.getByRole("checkbox", { name: /Select all/ }).first().check();
    await frame.getByRole("button", { name: "Solve" }).click();
    await page.getByText("Solved: 2 tickets.").waitFor({ timeout: 10_000 });
    expect([ticketRow(overdue).status, ticketRow(other).status]).toEqual(["solved", "solved"]);
    await page.close();
  });

  it("renders what shoppers write as inert text", async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    const id = insertTicket(DEFAULT_SHOP, 103, `Subject ${payload}`, `Body ${payload}`);
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/inbox/${id}`));
    const frame = await appFrame(page);
    await frame.getByText(`Body ${payload}`).waitFor({ timeout: 15_000 });
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox"));
    const list = await appFrame(page);
    await list.getByText(`#103 Subject ${payload}`).waitFor({ timeout: 15_000 });
    expect(await list.locator("img[src=x]").count()).toBe(0);
    expect(await list.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });

  it("never shows or changes another shop's ticket", async () => {
    const theirs = insertTicket(OTHER_SHOP, 1, "Their secret question", "Only for the other shop");
    const headers = { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA };
    const view = await fetch(`${stack.app.url}/app/inbox/${theirs}`, { headers });
    expect(view.status).toBe(404);
    expect(await view.text()).not.toContain("Their secret question");
    const forms: Record<string, string>[] = [{ intent: "reply", body: "hi" }, { intent: "status", status: "solved" }, { intent: "note", body: "x" }, { intent: "tags", tags: "a" }];
    for (const form of forms) {
      const response = await fetch(`${stack.app.url}/app/inbox/${theirs}?_data=routes%2Fapp.inbox.%24id`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });
      expect(response.status).toBe(404);
    }
    const bulk = await fetch(`${stack.app.url}/app/inbox?_data=routes%2Fapp.inbox._index`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "solve", ids: theirs }),
    });
    expect(bulk.status).toBe(404);
    const list = await fetch(`${stack.app.url}/app/inbox?view=all&_data=routes%2Fapp.inbox._index`, { headers });
    expect(await list.text()).not.toContain("Their secret question");
    expect(ticketRow(theirs).status).toBe("open");
    expect(stack.query('SELECT 1 FROM "TicketMessage" WHERE ticketId = ?', theirs)).toHaveLength(1);
  });

  it("answers bad input with field errors, not a crash", async () => {
    const headers = { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" };
    const id = insertTicket(DEFAULT_SHOP, 104, "Question", "Body");
    const post = (form: Record<string, string>) =>
      fetch(`${stack.app.url}/app/inbox/${id}?_data=routes%2Fapp.inbox.%24id`, { method: "POST", headers, body: new URLSearchParams(form) });
    const empty = await post({ intent: "reply", body: "  " });
    expect(empty.status).toBe(422);
    expect((await empty.json()).errors.body).toBe("Write a reply.");
    expect((await post({ intent: "status", status: "exploded" })).status).toBe(422);
    expect((await post({ intent: "assign", assignee: "someone-unknown" })).status).toBe(422);
    expect((await post({ intent: "teleport" })).status).toBe(422);
    const bulk = (form: Record<string, string>) =>
      fetch(`${stack.app.url}/app/inbox?_data=routes%2Fapp.inbox._index`, { method: "POST", headers, body: new URLSearchParams(form) });
    expect((await bulk({ intent: "assign", ids: id, assignee: "someone-unknown" })).status).toBe(422);
    expect((await bulk({ intent: "assign", ids: id, assignee: "70001" })).status).toBe(200);
    expect(ticketRow(id).assigneeName).toBe("Alex Moreau");
    expect((await bulk({ intent: "assign", ids: id, assignee: "none" })).status).toBe(200);
    expect(ticketRow(id).assigneeName).toBeNull();
    expect((await bulk({ intent: "explode", ids: id })).status).toBe(422);
    const created = await fetch(`${stack.app.url}/app/inbox/new?_data=routes%2Fapp.inbox.new`, { method: "POST", headers, body: new URLSearchParams({ customerEmail: "nope", subject: "", body: "" }) });
    expect(created.status).toBe(422);
    expect((await created.json()).errors).toMatchObject({ customerEmail: "Enter a valid email address.", subject: "Add a subject.", body: "Write the message." });
  });

  it("turns an email to the support address into a ticket, through the authorised inbound endpoint", async () => {
    const [shop] = stack.query<{ email: string }>('SELECT email FROM "Shop" WHERE shop = ?', DEFAULT_SHOP);
    const raw = [
      "From: Büşra Demir <busra@example.org>",
      `To: ${shop.email}`,
      "Subject: İade nasıl yapılır?",
      "Message-ID: <inbound-e2e@example.org>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Merhaba, ürünü nasıl iade edebilirim?",
    ].join("\r\n");
    const post = (secret: string) =>
      fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${secret}`, "Content-Type": "message/rfc822" }, body: raw });
    expect((await post("wrong-secret")).status).toBe(401);
    const accepted = await post(INBOUND_SECRET);
    expect(accepted.status).toBe(200);
    const { outcome, ticketId } = await accepted.json();
    expect(outcome).toBe("created");
    expect((await (await post(INBOUND_SECRET)).json()).outcome).toBe("duplicate");
    expect(stack.query('SELECT channel, customerEmail FROM "Ticket" WHERE id = ?', ticketId)).toEqual([{ channel: "email", customerEmail: "busra@example.org" }]);
    const empty = await fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${INBOUND_SECRET}` }, body: "" });
    expect(empty.status).toBe(400);
  });
});

/** Text as shown, with every kind of space (ICU puts a narrow no-break space before AM/PM) as one. */
const spaced = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

describe("the inbox in the shop's time zone", () => {
  it("shows every time of the list, the ticket card and the thread in the desk's zone, none in UTC", async () => {
    stack.execute(`INSERT INTO "SupportSettings" (shop, timeZone, updatedAt) VALUES (?, 'Pacific/Auckland', ?)`, AUCKLAND_SHOP, new Date().toISOString());
    // 22:30 UTC on 15 June is 10:30 the next morning in Auckland (NZST, UTC+12).
    const id = insertTicket(AUCKLAND_SHOP, 1, "Where is my kiwi jumper?", "Ordered last week.", {
      at: "2026-06-15T22:30:00.000Z",
      slaDueAt: "2026-06-16T03:00:00.000Z",
      firstResponseAt: "2026-06-16T01:15:00.000Z",
    });
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(AUCKLAND_SHOP, "/inbox?view=all"));
    const list = await appFrame(page);
    const row = list.locator("tr", { hasText: "#1 Where is my kiwi jumper?" });
    await row.waitFor({ timeout: 15_000 });
    expect(spaced(await row.locator("time").textContent({ timeout: 5_000 }))).toBe("Jun 16, 2026, 10:30 AM");

    await page.goto(stack.emulator.adminUrl(AUCKLAND_SHOP, `/inbox/${id}`));
    const ticket = await appFrame(page);
    const card = ticket.locator("p", { hasText: "First response due" });
    await card.waitFor({ timeout: 15_000 });
    expect(spaced(await card.textContent())).toBe("First response due Jun 16, 2026, 3:00 PM · answered Jun 16, 2026, 1:15 PM");
    // The thread comes first on the page: its first time is the shopper's message.
    await ticket.getByText("Ordered last week.").waitFor();
    expect(spaced(await ticket.locator("time").first().textContent({ timeout: 5_000 }))).toBe("Jun 16, 2026, 10:30 AM");

    // The Email page too: created and sent, in Auckland.
    stack.execute(
      `INSERT INTO "OutboundEmail" (id, shop, ticketId, purpose, messageId, "references", fromAddress, toAddress, subject, text, html, status, createdAt, sentAt)
       VALUES ('e-auckland-1', ?, ?, 'reply', '<auckland-1@example.com>', '', 'support@example.com', 'shopper1@example.com', 'Re: Where is my kiwi jumper?', 'On its way.', '<p>On its way.</p>', 'sent', ?, ?)`,
      AUCKLAND_SHOP,
      id,
      "2026-06-15T22:30:00.000Z",
      "2026-06-15T22:31:00.000Z",
    );
    await page.goto(stack.emulator.adminUrl(AUCKLAND_SHOP, "/outbox/e-auckland-1"));
    const email = await appFrame(page);
    await email.getByText("On its way.").first().waitFor({ timeout: 15_000 });
    expect((await email.locator("time").allTextContents()).map(spaced)).toEqual(["Jun 16, 2026, 10:30 AM", "Jun 16, 2026, 10:31 AM"]);

    // System health: a delivery's time.
    stack.execute(
      `INSERT INTO "WebhookEvent" (id, shop, topic, eventId, payload, receivedAt, status) VALUES ('w-auckland-1', ?, 'orders/updated', 'evt-auckland-1', '{}', ?, 'processed')`,
      AUCKLAND_SHOP,
      "2026-06-15T22:30:00.000Z",
    );
    await page.goto(stack.emulator.adminUrl(AUCKLAND_SHOP, "/health"));
    const health = await appFrame(page);
    const delivery = health.locator("tr", { hasText: "evt-auckland-1" });
    await delivery.waitFor({ timeout: 15_000 });
    expect(spaced(await delivery.locator("time").textContent({ timeout: 5_000 }))).toBe("Jun 16, 2026, 10:30 AM");
    await page.close();
  });

  it("without a desk zone, uses the shop's zone from Shopify", { timeout: 60_000 }, async () => {
    stack.emulator.store.shop(LA_SHOP)!.info.ianaTimezone = "America/Los_Angeles";
    const page = await newPage(browser);
    // The first open of the app reads the shop's profile from Shopify.
    await page.goto(stack.emulator.adminUrl(LA_SHOP));
    await appFrame(page);
    await waitFor(() => stack.query<{ ianaTimezone: string }>(`SELECT ianaTimezone FROM "Shop" WHERE shop = ?`, LA_SHOP)[0], (r) => r?.ianaTimezone === "America/Los_Angeles", 20_000, "the shop's profile");
    // 22:30 UTC on 15 June is 3:30 in the afternoon in Los Angeles (PDT, UTC−7).
    const id = insertTicket(LA_SHOP, 1, "Sunset delivery?", "Can it come before dusk?", { at: "2026-06-15T22:30:00.000Z", slaDueAt: "2026-06-16T16:00:00.000Z" });
    await page.goto(stack.emulator.adminUrl(LA_SHOP, `/inbox/${id}`));
    const ticket = await appFrame(page);
    const card = ticket.locator("p", { hasText: "First response due" });
    await card.waitFor({ timeout: 15_000 });
    expect(spaced(await card.textContent())).toBe("First response due Jun 16, 2026, 9:00 AM");
    await ticket.getByText("Can it come before dusk?").waitFor();
    expect(spaced(await ticket.locator("time").first().textContent({ timeout: 5_000 }))).toBe("Jun 15, 2026, 3:30 PM");
    await page.close();
  });
});

describe("the inbox list, as the admin's own index tables", () => {
  /** The store synced once (the first open of the admin does it), for names and orders. */
  async function syncedCustomer() {
    const run = () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, DEFAULT_SHOP)[0];
    if (run()?.status !== "succeeded") {
      const page = await newPage(browser);
      await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
      await appFrame(page);
      await waitFor(run, (r) => r?.status === "succeeded", 30_000, "the first sync");
      await page.close();
    }
    return stack.query<{ shopifyId: string; email: string; firstName: string; lastName: string }>(
      `SELECT shopifyId, email, firstName, lastName FROM "Customer" WHERE shop = ? AND firstName IS NOT NULL AND lastName IS NOT NULL ORDER BY shopifyId LIMIT 1`,
      DEFAULT_SHOP,
    )[0];
  }

  for (const width of [1440, 1280]) {
    it(`keeps every column on screen at ${width} px, with a preview line, and opens a ticket from anywhere on its row`, { timeout: 60_000 }, async () => {
      const customer = await syncedCustomer();
      const long = `Parcel ${"arrived damaged and the box was open ".repeat(8)}end`;
      const number = 300 + width / 10;
      const id = insertTicket(DEFAULT_SHOP, number, long, `The tape was cut and one mug is broken.\n\nPhotos attached. (${width})`, { priority: "high" });
      // A delay notice's ticket carries no name of its own: the synced customer's is shown.
      insertTicket(DEFAULT_SHOP, number + 1, "About your order", "Your parcel is delayed.", {
        channel: "delay_notice",
        status: "pending",
        customerName: null,
        customerShopifyId: customer.shopifyId,
        customerEmail: customer.email.toLowerCase(),
      });
      const page = await newPage(browser);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox"));
      const frame = await appFrame(page);
      const row = frame.locator("tr", { hasText: `#${number} Parcel` });
      await row.waitFor({ timeout: 15_000 });
      // Every heading and every cell of the row lies inside the viewport (boxes, not text widths).
      for (const title of ["Ticket", "Customer", "Status", "Priority", "Assignee", "Last activity"]) {
        const box = await frame.locator("th", { hasText: title }).first().boundingBox();
        expect(box, title).not.toBeNull();
        expect(box!.x + box!.width, `${title} at ${width} px`).toBeLessThanOrEqual(width);
      }
      const cells = row.locator("td");
      for (let i = 0; i < (await cells.count()); i++) {
        const box = await cells.nth(i).boundingBox();
        expect(box!.x + box!.width, `cell ${i} at ${width} px`).toBeLessThanOrEqual(width);
      }
      await expect.poll(() => row.locator(".Polaris-Badge", { hasText: "High" }).count()).toBe(1);
      // The preview line: channel and the start of the last message, on one line.
      expect(spaced(await row.locator("p").nth(1).textContent())).toContain("Storefront form · The tape was cut and one mug is broken. Photos attached.");
      const notice = frame.locator("tr", { hasText: `#${number + 1} About your order` });
      expect(spaced(await notice.locator("td").nth(2).textContent())).toBe(`${customer.firstName} ${customer.lastName}`);
      await expect.poll(() => notice.locator(".Polaris-Badge", { hasText: "Normal" }).count()).toBe(1);

      // A click on the empty right of the Status cell (no link, no text there) opens the ticket.
      const status = row.locator("td").nth(3);
      const box = (await status.boundingBox())!;
      await status.click({ position: { x: box.width - 3, y: box.height / 2 } });
      await expect.poll(() => frame.url(), { timeout: 10_000 }).toContain(`/app/inbox/${id}`);
      await frame.getByText("Photos attached.", { exact: false }).first().waitFor({ timeout: 10_000 });
      await page.close();
    });
  }

  it("opens a ticket by keyboard, shows filters as pills and says which view a search covers", { timeout: 60_000 }, async () => {
    const id = insertTicket(DEFAULT_SHOP, 401, "Keyboard user question", "Tab, tab, enter.", { status: "pending" });
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox?status=pending"));
    const frame = await appFrame(page);
    await frame.getByText("#401 Keyboard user question").waitFor({ timeout: 15_000 });
    // The applied filter is a pill; removing it drops it from the address.
    const pill = frame.getByRole("button", { name: "Status: Pending" }).first();
    await pill.waitFor();
    await pill.locator("xpath=..").getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => frame.url(), { timeout: 10_000 }).not.toContain("status=pending");
    await frame.getByRole("button", { name: "Status: Pending" }).waitFor({ state: "detached" });
    await frame.getByPlaceholder("Search open tickets: subject, customer, email, order or #number").fill("Keyboard user");
    await frame.getByText("Searching open tickets only.").waitFor({ timeout: 10_000 });
    await frame.getByRole("button", { name: "Search all tickets" }).click();
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toContain("view=all");
    await frame.getByPlaceholder("Search all tickets: subject, customer, email, order or #number").waitFor();
    expect(await frame.getByText("Searching open tickets only.").count()).toBe(0);
    // The row's link takes focus and Enter opens the ticket.
    await frame.getByRole("link", { name: "#401 Keyboard user question" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toContain(`/app/inbox/${id}`);
    await page.close();
  });
});

describe("the ticket page confirms every change", () => {
  it("shows a toast after a status, priority, assignee and tag change", { timeout: 60_000 }, async () => {
    const id = insertTicket(DEFAULT_SHOP, 501, "Toast me", "Please.");
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/inbox/${id}`));
    const frame = await appFrame(page);
    await frame.getByText("Please.").first().waitFor({ timeout: 15_000 });
    await frame.getByLabel("Status", { exact: true }).selectOption("pending");
    await page.locator(".toast", { hasText: "Status set to Pending" }).waitFor({ timeout: 10_000 });
    expect(ticketRow(id).status).toBe("pending");
    await frame.getByLabel("Priority", { exact: true }).selectOption("urgent");
    await page.locator(".toast", { hasText: "Priority set to Urgent" }).waitFor({ timeout: 10_000 });
    await frame.getByLabel("Assignee", { exact: true }).selectOption("70001");
    await page.locator(".toast", { hasText: "Assigned to Alex Moreau" }).waitFor({ timeout: 10_000 });
    expect(ticketRow(id).assigneeName).toBe("Alex Moreau");
    await frame.getByLabel("Assignee", { exact: true }).selectOption("none");
    await page.locator(".toast", { hasText: /^Unassigned$/ }).waitFor({ timeout: 10_000 });
    await frame.getByLabel("Tags").fill("fragile");
    await frame.getByRole("button", { name: "Save tags" }).click();
    await page.locator(".toast", { hasText: "Tags saved" }).waitFor({ timeout: 10_000 });
    expect(ticketRow(id).tags).toBe("fragile");
    await page.close();
  });
});

describe("canned replies on the ticket page", () => {
  it("inserts the Swahili version for a Swahili ticket, filled from its order; another language on request; English with a note where there is no Swahili", { timeout: 60_000 }, async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    await appFrame(page);
    await waitFor(() => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, DEFAULT_SHOP)[0], (r) => r?.status === "succeeded", 30_000, "the first sync");
    const [shopper] = stack.query<{ shopifyId: string; email: string; firstName: string; lastName: string; orderId: string; orderName: string }>(
      `SELECT c.shopifyId, c.email, c.firstName, c.lastName, o.shopifyId AS orderId, o.name AS orderName FROM "Customer" c
         JOIN "Order" o ON o.shop = c.shop AND o.customerShopifyId = c.shopifyId
        WHERE c.shop = ? AND c.locale LIKE 'sw%' AND c.firstName IS NOT NULL ORDER BY o.name LIMIT 1`,
      DEFAULT_SHOP,
    );
    const id = insertTicket(DEFAULT_SHOP, 601, "Oda yangu iko wapi?", "Habari, bado sijapokea kifurushi changu.", {
      customerShopifyId: shopper.shopifyId,
      customerEmail: shopper.email.toLowerCase(),
      customerName: `${shopper.firstName} ${shopper.lastName}`,
    });
    stack.execute(`UPDATE "Ticket" SET locale = 'sw', orderShopifyId = ?, orderName = ? WHERE id = ?`, shopper.orderId, shopper.orderName, id);
    const now = new Date().toISOString();
    const canned = (replyId: string, title: string, variants: Record<string, string>) => {
      stack.execute(`INSERT INTO "CannedReply" (id, shop, title, usageCount, createdAt, updatedAt) VALUES (?, ?, ?, 0, ?, ?)`, replyId, DEFAULT_SHOP, title, now, now);
      for (const [locale, body] of Object.entries(variants)) {
        stack.execute(
          `INSERT INTO "CannedReplyVariant" (id, shop, cannedReplyId, locale, body, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          `${replyId}-${locale}`, DEFAULT_SHOP, replyId, locale, body, now, now,
        );
      }
    };
    canned("canned-e2e-where", "Where is my parcel", {
      en: "Hi {{first_name}},\n\nYour order {{order_name}} is on its way.",
      sw: "Habari {{first_name}},\n\nAgizo lako {{order_name}} liko njiani.",
    });
    canned("canned-e2e-wrap", "Gift wrapping", { en: "We gift-wrap {{order_name}} for free, {{first_name}}." });

    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/inbox/${id}`));
    const frame = await appFrame(page);
    await frame.getByText("Language: Swahili").waitFor({ timeout: 15_000 });
    const box = frame.getByLabel("Reply", { exact: true });
    const swahili = `Habari ${shopper.firstName},\n\nAgizo lako ${shopper.orderName} liko njiani.`;
    const english = `Hi ${shopper.firstName},\n\nYour order ${shopper.orderName} is on its way.`;
    // The reply without Swahili says so in the list already.
    expect(await frame.getByLabel("Insert a canned reply").locator("option").allTextContents()).toEqual(["Choose…", "Gift wrapping (English)", "Where is my parcel"]);
    await frame.getByLabel("Insert a canned reply").selectOption({ label: "Where is my parcel" });
    await expect.poll(() => box.inputValue()).toBe(swahili);
    expect(await frame.getByText(/No Swahili version/).count()).toBe(0);
    const language = frame.getByLabel("Canned reply language");
    expect(await language.locator("option:checked").textContent()).toBe("Swahili (shopper's language)");
    // The agent picks English: the inserted text is replaced, not added to; then back to Swahili.
    await language.selectOption("en");
    await expect.poll(() => box.inputValue()).toBe(english);
    await language.selectOption("sw");
    await expect.poll(() => box.inputValue()).toBe(swahili);

    await frame.getByLabel("Insert a canned reply").selectOption({ label: "Gift wrapping (English)" });
    await frame.getByText("No Swahili version: inserted English.").waitFor();
    const both = `${swahili}\n\nWe gift-wrap ${shopper.orderName} for free, ${shopper.firstName}.`;
    await expect.poll(() => box.inputValue()).toBe(both);

    // A placeholder typed by hand is never sent as written.
    await box.fill(`${both} {{coupon}}`);
    await frame.getByRole("button", { name: "Send reply" }).click();
    await frame.getByText("Replace {{coupon}} with the words to send: placeholders are filled only in canned replies.").waitFor({ timeout: 10_000 });
    expect(stack.query(`SELECT 1 FROM "TicketMessage" WHERE ticketId = ? AND kind = 'reply'`, id)).toEqual([]);
    await box.fill(both);
    await frame.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent").waitFor({ timeout: 10_000 });
    await waitFor(() => stack.query<{ text: string }>(`SELECT text FROM "OutboundEmail" WHERE ticketId = ? AND purpose = 'reply'`, id)[0], Boolean, 10_000, "the reply's email");
    expect(stack.query<{ text: string }>(`SELECT text FROM "OutboundEmail" WHERE ticketId = ? AND purpose = 'reply'`, id)[0].text).toContain(swahili.split("\n\n")[1]);
    expect(stack.query<{ usageCount: number }>(`SELECT usageCount FROM "CannedReply" WHERE id = 'canned-e2e-wrap'`)[0].usageCount).toBe(1);
    await page.close();
  });
});
