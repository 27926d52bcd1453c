import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Frame, Locator, Page, WebSocketRoute } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStorefront, type Storefront } from "../emulator/storefront/server";
import { adminRequest } from "../support/app-requests";
import { appFrame, launchChromium } from "../support/browser";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

/**
 * The storefront chat in Chromium: a shopper in the help panel of the emulator's storefront and an
 * agent in the emulated admin (two browser contexts). They write both ways with typing and "Seen";
 * the conversation stays through a reload and another page; a dropped socket comes back with nothing
 * lost or doubled; with the socket blocked the App Proxy carries it; with nobody online the message
 * becomes a ticket acknowledged by email. All of it at a phone's 360 px.
 */

const A = DEFAULT_SHOP;
// Nobody ever opens this shop's admin: nobody is online there.
const B = "quiet-chat.myshopify.com";
const ALL_DAY = JSON.stringify(Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])));

let stack: Stack;
let storefront: Storefront;
let quietStorefront: Storefront;
let browser: Browser;
let smtp: CapturingSmtp;

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ shops: [A, B], appEnv: { SMTP_URL: smtp.url } });
  for (const shop of [A, B]) await (await adminRequest(stack.emulator, stack.app, shop, "/app/unread")).arrayBuffer();
  // Shop A's desk is open all day, so whether it is available depends only on an agent being online.
  stack.execute(`INSERT INTO "SupportSettings" (shop, businessHours, updatedAt) VALUES (?, ?, ?)`, A, ALL_DAY, new Date().toISOString());
  const metafields = (shop: string) => () => stack.emulator.appMetafields(shop);
  storefront = await startStorefront({ shop: A, shopName: "Support Desk Demo", emulatorUrl: stack.emulator.url, appMetafields: metafields(A) });
  quietStorefront = await startStorefront({ shop: B, shopName: "Quiet Shop", emulatorUrl: stack.emulator.url, appMetafields: metafields(B) });
  // The socket takes only the shops' own storefronts as origins: these two, here.
  await stack.restartApp({ env: { STOREFRONT_ORIGINS: [new URL(stack.emulator.url).origin, storefront.url, quietStorefront.url].join(",") } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await quietStorefront?.close();
  await stack?.stop();
  await smtp?.stop();
});

/** A person's browser (Chrome's user agent, not HeadlessChrome's), at a phone's width for the shopper. */
const newContext = (phone = false): Promise<BrowserContext> =>
  browser.newContext({
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
    ...(phone ? { viewport: { width: 360, height: 740 } } : {}),
  });

/** An agent with the admin's inbox open: online while the page is. */
async function agentAtInbox(): Promise<{ page: Page; frame: Frame }> {
  const page = await (await newContext()).newPage();
  await page.goto(stack.emulator.adminUrl(A, "/inbox"));
  const frame = await appFrame(page);
  await frame.getByRole("heading", { name: "Inbox" }).first().waitFor({ timeout: 20_000 });
  return { page, frame };
}

/** The help panel's chat view, opened from its home the way a shopper does. */
async function openChat(page: Page, url: string, button: string | RegExp = "Chat with us", help = "Help"): Promise<Locator> {
  await page.goto(url);
  await page.getByRole("button", { name: help, exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: button }).click();
  return dialog;
}

/** The texts of the messages the panel shows, in order. */
const shown = (dialog: Locator) => dialog.locator(".sd-msg > span").allTextContents();

async function send(dialog: Locator, text: string) {
  const box = dialog.getByRole("textbox", { name: "Write a message" });
  await box.fill(text);
  await box.press("Enter");
}

const chatTicket = (shop: string, body: string) =>
  waitFor(
    () =>
      stack.query<{ id: string; number: number; customerEmail: string | null; customerName: string | null }>(
        `SELECT t.id, t.number, t.customerEmail, t.customerName FROM "Ticket" t JOIN "TicketMessage" m ON m.ticketId = t.id WHERE t.shop = ? AND t.channel = 'chat' AND m.body = ?`,
        shop,
        body,
      ),
    (rows) => rows.length === 1,
    20_000,
    `the chat ticket with "${body}"`,
  ).then((rows) => rows[0]);

const storedCount = (shop: string, body: string) => stack.query(`SELECT id FROM "TicketMessage" WHERE shop = ? AND body = ?`, shop, body).length;

describe("storefront chat", () => {
  it("chats both ways at 360 px with typing and seen, and keeps the conversation through a reload and another page", { timeout: 120_000 }, async () => {
    const agent = await agentAtInbox();
    const shopper = await (await newContext(true)).newPage();
    const intents: string[] = [];
    shopper.on("request", (request) => {
      if (request.url().endsWith("/apps/support/chat")) intents.push(JSON.parse(request.postData() ?? "{}").intent);
    });
    try {
      // Something in the cart first, the way a shopper adds it on the storefront.
      await shopper.goto(storefront.url);
      await shopper.getByRole("button", { name: "Add Linen overshirt to cart" }).click();
      await shopper.getByText("Cart (1)").waitFor();
      const dialog = await openChat(shopper, storefront.url);
      await dialog.getByText("We're online. Ask us anything.").first().waitFor();
      // The pre-chat step: a name, and an email the shopper may leave out while the team is there.
      await dialog.getByLabel("Name (optional)").fill("Amina Juma");
      await dialog.getByRole("button", { name: "Start chat" }).click();
      await send(dialog, "Hi! Does the linen shirt run large?");
      const ticket = await chatTicket(A, "Hi! Does the linen shirt run large?");
      expect(ticket.customerName).toBe("Amina Juma");
      await dialog.locator(".sd-msg--shopper small", { hasNotText: "Sending…" }).first().waitFor();

      // The panel fits the phone's screen, the composer within it.
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      expect(await dialog.getByRole("button", { name: "Send", exact: true }).isVisible()).toBe(true);

      // The agent opens the chat from the live inbox: the shopper's message is seen.
      await agent.frame.getByText("Hi! Does the linen shirt run large?").first().waitFor({ timeout: 20_000 });
      await agent.page.goto(stack.emulator.adminUrl(A, `/inbox/${ticket.id}`));
      const desk = await appFrame(agent.page);
      await desk.getByText("The shopper is in the chat").waitFor({ timeout: 20_000 });
      // The customer card: the page they are on and their cart, from the storefront's /cart.js.
      await desk.getByText("Cart: 1 item · €68.00").waitFor({ timeout: 10_000 });
      await desk.getByText("1 × Linen overshirt (M / Sand) · €68.00").waitFor();
      await dialog.getByText("Seen", { exact: true }).waitFor({ timeout: 10_000 });

      // Each sees the other typing.
      await dialog.getByRole("textbox", { name: "Write a message" }).pressSequentially("One more", { delay: 20 });
      await desk.getByText("The shopper is typing…").waitFor({ timeout: 10_000 });
      const reply = desk.getByLabel("Reply", { exact: true });
      await reply.pressSequentially("It runs true", { delay: 20 });
      const typing = dialog.getByText(/^.+ is typing…$/);
      await typing.waitFor({ timeout: 10_000 });
      const agentName = (await typing.textContent())!.replace(/ is typing…$/, "");
      await reply.fill("It runs true to size; take your usual.");
      await desk.getByRole("button", { name: "Send reply" }).click();
      await dialog.getByText("It runs true to size; take your usual.").waitFor({ timeout: 10_000 });
      // Their message carries their name; the typing line is gone with it.
      expect(await dialog.locator(".sd-msg--agent small").first().textContent()).toContain(agentName);
      await typing.waitFor({ state: "hidden" });
      expect(await shown(dialog)).toEqual(["Hi! Does the linen shirt run large?", "It runs true to size; take your usual."]);

      // A reload: the conversation is back, without the pre-chat step.
      await shopper.reload();
      await shopper.getByRole("button", { name: "Help", exact: true }).click();
      await dialog.getByRole("button", { name: "Chat with us" }).click();
      await dialog.getByText("It runs true to size; take your usual.").waitFor();
      expect(await dialog.getByRole("button", { name: "Start chat" }).count()).toBe(0);
      expect(await shown(dialog)).toEqual(["Hi! Does the linen shirt run large?", "It runs true to size; take your usual."]);

      // Another page, in Turkish, with a beanie added: the same conversation, and the shopper writes on.
      await shopper.goto(`${storefront.url}/tr`);
      await shopper.getByRole("button", { name: "Add Merino beanie to cart" }).click();
      await shopper.getByText("Cart (2)").waitFor();
      const turkish = await openChat(shopper, `${storefront.url}/tr`, "Bizimle sohbet edin", "Yardım");
      await turkish.getByText("It runs true to size; take your usual.").waitFor();
      await turkish.getByRole("textbox", { name: "Mesajınızı yazın" }).fill("Teşekkürler!");
      await turkish.getByRole("button", { name: "Gönder", exact: true }).click();
      await desk.getByText("Teşekkürler!").waitFor({ timeout: 10_000 });
      // The agent's page follows the cart and the page without a reload.
      await desk.getByText("Cart: 2 items · €97.00").waitFor({ timeout: 10_000 });
      await desk.getByText("/tr", { exact: true }).waitFor();
      expect(await shown(turkish)).toEqual(["Hi! Does the linen shirt run large?", "It runs true to size; take your usual.", "Teşekkürler!"]);
      // All of it went over the socket: the proxy gave only each page's first state and the socket's token.
      expect(intents.filter((intent) => intent !== "state" && intent !== "token")).toEqual([]);
      expect(intents.filter((intent) => intent === "state")).toHaveLength(3);
      const stored = stack.query<{ cart: string }>(`SELECT cart FROM "ChatConversation" WHERE shop = ? AND ticketId = ?`, A, ticket.id)[0];
      expect(JSON.parse(stored.cart)).toMatchObject({ count: 2, total: 9700, currency: "EUR" });

      // The agent solves it: the open panel asks for a rating (no email to send a survey to), and takes it.
      const solved = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, { intent: "status", status: "solved" });
      expect(solved.status).toBe(200);
      await solved.arrayBuffer();
      const rate = turkish.getByRole("group", { name: "Bu sohbet nasıldı?" });
      await rate.waitFor({ timeout: 10_000 });
      await rate.getByRole("button", { name: "Mükemmel" }).click();
      await turkish.getByText("Bize 5 üzerinden 5 puan verdiğiniz için teşekkürler.").waitFor();
      expect(await rate.getByRole("button", { name: "Mükemmel" }).getAttribute("aria-pressed")).toBe("true");
      expect(stack.query(`SELECT rating FROM "SatisfactionSurvey" WHERE shop = ? AND ticketId = ?`, A, ticket.id)).toEqual([{ rating: 5 }]);
      // The transcript by email: the shopper gave none, so the panel asks for it first.
      await turkish.getByLabel("E-posta", { exact: true }).fill("amina@example.com");
      await turkish.getByRole("button", { name: "Bu sohbeti bana e-postayla gönderin" }).click();
      await turkish.getByText("Gönderildi. Gelen kutunuzu kontrol edin.").waitFor();
      const transcript = await waitFor(
        () => smtp.received.find((m) => JSON.stringify(m.to ?? "").includes("amina@example.com")),
        Boolean,
        20_000,
        "the transcript email",
      );
      expect(transcript!.text).toContain("It runs true to size; take your usual.");
      expect(transcript!.text).toContain("Teşekkürler!");
    } finally {
      await shopper.context().close();
      await agent.page.context().close();
    }
  });

  it("resumes a dropped socket: what each side wrote meanwhile arrives once", { timeout: 90_000 }, async () => {
    const agent = await agentAtInbox();
    const context = await newContext(true);
    let blocked = false;
    const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await context.routeWebSocket(/\/chat\/socket/, (ws) => {
      if (blocked) return ws.close();
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
    const shopper = await context.newPage();
    try {
      const dialog = await openChat(shopper, storefront.url);
      await dialog.getByLabel("Email (optional)").fill("juma@example.com");
      await dialog.getByRole("button", { name: "Start chat" }).click();
      await send(dialog, "Is the beanie machine washable?");
      const ticket = await chatTicket(A, "Is the beanie machine washable?");
      await waitFor(
        () => sockets.length,
        (n) => n === 1,
        10_000,
        "the socket",
      );

      // The first message is acknowledged before the drop (under load its ack can lag the ticket).
      await dialog.locator(".sd-msg--shopper small", { hasText: "Sending…" }).waitFor({ state: "detached", timeout: 20_000 });
      // The connection drops, and stays down a moment: the agent answers and the shopper writes meanwhile.
      blocked = true;
      await sockets[0].server.close();
      await sockets[0].page.close();
      const reply = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, {
        intent: "reply",
        body: "Yes, at 30 °C.",
        status: "pending",
      });
      expect(reply.status).toBe(200);
      await reply.arrayBuffer();
      await send(dialog, "And the socks?");
      await dialog.locator(".sd-msg--shopper small", { hasText: "Sending…" }).waitFor();
      blocked = false;

      // Back on a new socket: the reply once, the queued message sent once.
      await dialog.getByText("Yes, at 30 °C.").waitFor({ timeout: 20_000 });
      await dialog.locator(".sd-msg--shopper small", { hasText: "Sending…" }).waitFor({ state: "detached", timeout: 20_000 });
      expect(sockets.length).toBeGreaterThanOrEqual(2);
      expect(await shown(dialog)).toEqual(["Is the beanie machine washable?", "Yes, at 30 °C.", "And the socks?"]);
      await waitFor(
        () => storedCount(A, "And the socks?"),
        (n) => n === 1,
        10_000,
        "the queued message",
      );
      // A second reply comes over the resumed socket.
      const again = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, {
        intent: "reply",
        body: "Socks too.",
        status: "solved",
      });
      await again.arrayBuffer();
      await dialog.getByText("Socks too.").waitFor({ timeout: 10_000 });
      await dialog.getByText("This conversation is marked as solved. Write again if you need anything else.").waitFor({ timeout: 10_000 });
      expect(await shown(dialog)).toEqual(["Is the beanie machine washable?", "Yes, at 30 °C.", "And the socks?", "Socks too."]);
      expect(storedCount(A, "And the socks?")).toBe(1);
    } finally {
      await context.close();
      await agent.page.context().close();
    }
  });

  it("falls back to the App Proxy when the socket cannot connect", { timeout: 90_000 }, async () => {
    const agent = await agentAtInbox();
    const context = await newContext(true);
    // Every socket is refused, as a network that blocks WebSockets would.
    await context.routeWebSocket(/\/chat\/socket/, (ws) => ws.close());
    const shopper = await context.newPage();
    const intents: string[] = [];
    shopper.on("request", (request) => {
      if (request.url().endsWith("/apps/support/chat")) intents.push(JSON.parse(request.postData() ?? "{}").intent);
    });
    try {
      const dialog = await openChat(shopper, storefront.url);
      await dialog.getByRole("button", { name: "Start chat" }).click();
      await send(dialog, "Can I pick up my order in Tallinn?");
      const ticket = await chatTicket(A, "Can I pick up my order in Tallinn?");
      await dialog.locator(".sd-msg--shopper small", { hasText: "Sending…" }).waitFor({ state: "detached", timeout: 20_000 });
      const reply = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, {
        intent: "reply",
        body: "Yes, from our shop on Telliskivi.",
        status: "pending",
      });
      await reply.arrayBuffer();
      await dialog.getByText("Yes, from our shop on Telliskivi.").waitFor({ timeout: 15_000 });
      expect(intents).toContain("send");
      expect(intents.filter((i) => i === "state").length).toBeGreaterThan(1);
      expect(await shown(dialog)).toEqual(["Can I pick up my order in Tallinn?", "Yes, from our shop on Telliskivi."]);
      expect(storedCount(A, "Can I pick up my order in Tallinn?")).toBe(1);
    } finally {
      await context.close();
      await agent.page.context().close();
    }
  });

  it("with nobody online: asks for an email, and the message becomes a ticket acknowledged by email", { timeout: 90_000 }, async () => {
    const shopper = await (await newContext(true)).newPage();
    try {
      const dialog = await openChat(shopper, quietStorefront.url, "Leave a message");
      const offline = dialog.getByText(/^Our team is offline right now\. Leave a message and we'll reply by email within (\d+) hours\.$/);
      await offline.waitFor();
      const hours = /within (\d+) hours/.exec((await offline.textContent())!)![1];
      await dialog.getByRole("button", { name: "Start chat" }).click();
      await dialog.getByText("Please fill in this field.").waitFor();
      await dialog.getByLabel("Name (optional)").fill("Kadri Tamm");
      await dialog.getByLabel("Email", { exact: true }).fill("kadri@example.ee");
      await dialog.getByRole("button", { name: "Start chat" }).click();
      await send(dialog, "Do you ship to Tartu before Christmas?");
      const ticket = await chatTicket(B, "Do you ship to Tartu before Christmas?");
      expect(ticket).toMatchObject({ customerEmail: "kadri@example.ee", customerName: "Kadri Tamm" });
      await dialog.getByText(`Your ticket number is ${ticket.number}. We'll reply by email within ${hours} hours.`).waitFor({ timeout: 10_000 });
      const ack = await waitFor(
        () => smtp.received.find((m) => JSON.stringify(m.to ?? "").includes("kadri@example.ee")),
        Boolean,
        20_000,
        "the acknowledgement email",
      );
      expect(ack!.subject).toContain("Do you ship to Tartu");
      expect(ack!.text).toContain(`#${ticket.number}`);
    } finally {
      await shopper.context().close();
    }
  });

  it("skips the pre-chat step for a logged-in customer", { timeout: 60_000 }, async () => {
    const context = await newContext(true);
    // Shopify's Liquid knows the logged-in customer; the emulator's pages have none, so this page's data names one.
    await context.route(`${quietStorefront.url}/`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('"customer": null', '"customer": { "name": "Mari Tamm", "email": "mari@example.ee" }');
      await route.fulfill({ response, body: html });
    });
    const shopper = await context.newPage();
    try {
      const dialog = await openChat(shopper, `${quietStorefront.url}/`, "Leave a message");
      await dialog.getByRole("textbox", { name: "Write a message" }).waitFor();
      expect(await dialog.getByRole("button", { name: "Start chat" }).count()).toBe(0);
      await send(dialog, "Where is my order?");
      expect(await chatTicket(B, "Where is my order?")).toMatchObject({ customerEmail: "mari@example.ee", customerName: "Mari Tamm" });
    } finally {
      await context.close();
    }
  });
});
