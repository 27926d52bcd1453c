import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP, DEFAULT_STAFF, SECOND_STAFF, THIRD_STAFF, staffName, type StaffMember } from "../emulator/index";
import { adminRequest } from "../support/app-requests";
import { adminNavLink, appFrame, launchChromium } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

/**
 * Two agents on one ticket in Chromium, each in their own browser (context) and logged in to the
 * emulated admin as themselves (`adminUrl(…, { staff })`, which the first test checks): each sees the other on the ticket and
 * typing, a reply sent over the other's is stopped with the collision warning and "Send mine anyway"
 * sends it, and one leaving is noticed by the other's page after 45 s of its own clock. Another
 * shop's agent, on their own ticket, never shows up. Then the inbox's chime and notification for a
 * new storefront chat, on and off, kept through a reload.
 */

const A = DEFAULT_SHOP;
const B = "second-desk.myshopify.com";
const ALEX = staffName(DEFAULT_STAFF);
const PRIYA = staffName(SECOND_STAFF);
const KART = staffName(THIRD_STAFF);

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [A, B] });
  browser = await launchChromium();
  // Both shops install the app (the first admin request exchanges the token), so their storefronts write tickets.
  for (const shop of [A, B]) await (await adminRequest(stack.emulator, stack.app, shop, "/app/unread")).arrayBuffer();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/**
 * Runs in every frame before the page's own scripts. It keeps every text the ticket page's status
 * lines showed (`window.__said`), so a name that came and went is still caught, and records the
 * inbox's chime and notifications (`window.__alerts`): AudioContext is the browser's own, watched;
 * Notification is a stand-in that records (the permission is still the browser's); and the page can
 * be made hidden (`window.__hidden = true`), as when the merchant is on another tab.
 */
const RECORDER = `(() => {
  if (window.__said) return;
  const said = (window.__said = []);
  const alerts = (window.__alerts = []);
  const look = () => {
    for (const el of document.querySelectorAll('p[role="status"], span[role="status"]')) {
      const text = (el.textContent || "").trim();
      if (text && !said.includes(text)) said.push(text);
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });

  const RealAudioContext = window.AudioContext;
  if (RealAudioContext) {
    window.AudioContext = class extends RealAudioContext {
      constructor(...args) {
        super(...args);
        const chime = { kind: "chime", tones: [] };
        alerts.push(chime);
        const createOscillator = this.createOscillator.bind(this);
        this.createOscillator = () => {
          const tone = createOscillator();
          const start = tone.start.bind(tone);
          tone.start = (...when) => {
            start(...when);
            chime.tones.push(tone.frequency.value);
          };
          return tone;
        };
      }
    };
  }

  const RealNotification = window.Notification;
  const Notification = function (title, options) {
    alerts.push({ kind: "notification", title: String(title), body: options && options.body, tag: options && options.tag });
  };
  Object.defineProperty(Notification, "permission", { get: () => (RealNotification ? RealNotification.permission : "denied") });
  Notification.requestPermission = () => {
    alerts.push({ kind: "permission asked" });
    return RealNotification ? RealNotification.requestPermission() : Promise.resolve("denied");
  };
  Notification.prototype.close = function () {};
  window.Notification = Notification;

  const visibility = Object.getOwnPropertyDescriptor(Document.prototype, "visibilityState");
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get() {
      return window.__hidden ? "hidden" : visibility.get.call(this);
    },
  });
  Object.defineProperty(Document.prototype, "hidden", {
    configurable: true,
    get() {
      return this.visibilityState !== "visible";
    },
  });
})();`;

/** A person's own browser: Chrome's user agent (not HeadlessChrome's), with the recorder. */
async function agentBrowser(options: { notifications?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
    ...(options.notifications ? { permissions: ["notifications"] } : {}),
  });
  await context.addInitScript({ content: RECORDER });
  return context;
}

interface Agent {
  page: Page;
  frame: Frame;
}

/** `staff` opens the ticket in the emulated admin; with `clock`, their page's time is the test's to move. */
async function openTicket(context: BrowserContext, shop: string, ticketId: string, staff: StaffMember, options: { clock?: boolean } = {}): Promise<Agent> {
  const page = await context.newPage();
  if (options.clock) await page.clock.install();
  await page.goto(stack.emulator.adminUrl(shop, `/inbox/${ticketId}`, { staff }));
  const frame = await appFrame(page);
  await frame.getByLabel("Reply", { exact: true }).waitFor({ timeout: 20_000 });
  // The emulated admin says who is logged in to it.
  expect(await page.locator(".staff").textContent()).toBe(staffName(staff));
  return { page, frame };
}

/** Loads (or reloads) the page and waits until the app is hydrated: its layout's effect has opened the live stream. */
async function loaded(page: Page, load: () => Promise<unknown>): Promise<Frame> {
  const live = page.waitForRequest((request) => new URL(request.url()).pathname === "/app/live", { timeout: 20_000 });
  await load();
  await live;
  return appFrame(page);
}

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

/** A shopper's question through the emulated App Proxy's contact form, each shopper from their own address. */
async function contact(shop: string, email: string, message: string, address: string): Promise<string> {
  const response = await fetch(`${stack.emulator.url}/storefront/${handle(shop)}/apps/support/contact`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Emulator-Client-Ip": address },
    body: JSON.stringify({ name: "Amina Juma", email, message }),
  });
  expect(response.status, await response.text()).toBe(200);
  return stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND customerEmail = ? ORDER BY createdAt DESC LIMIT 1`, shop, email)[0].id;
}

/** A new shopper's first chat message from the storefront's help panel, through the App Proxy. */
async function startChat(shop: string, body: string, email: string): Promise<void> {
  const response = await fetch(`${stack.emulator.url}/storefront/${handle(shop)}/apps/support/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      intent: "send",
      visitor: crypto.randomBytes(32).toString("base64url"),
      clientId: crypto.randomBytes(9).toString("base64url"),
      body,
      email,
      name: "Kadri Kask",
    }),
  });
  expect(response.status, await response.text()).toBe(200);
}

type Alert = { kind: "chime"; tones: number[] } | { kind: "notification"; title: string; body?: string; tag?: string } | { kind: "permission asked" };
const alerts = (frame: Frame) => frame.evaluate(() => (window as unknown as { __alerts: Alert[] }).__alerts);
const said = (frame: Frame) => frame.evaluate(() => (window as unknown as { __said: string[] }).__said);
/** What the page said about who else is on the ticket and who is typing, in order. */
const presenceLines = async (frame: Frame) => (await said(frame)).filter((text) => /^Also on this ticket: | is typing a reply…$/.test(text));

/** Marks the document, so a test can tell a revalidation (the mark stays) from a reload (it goes). */
const mark = (frame: Frame) => frame.evaluate(() => ((window as unknown as { __kept?: boolean }).__kept = true));
const marked = (frame: Frame) => frame.evaluate(() => (window as unknown as { __kept?: boolean }).__kept === true);

const replies = (ticketId: string) =>
  stack.query<{ authorName: string; body: string }>(
    `SELECT authorName, body FROM "TicketMessage" WHERE ticketId = ? AND kind = 'reply' ORDER BY createdAt, id`,
    ticketId,
  );

describe("the emulated admin's staff members", () => {
  it(
    "keeps a page opened as another staff member theirs through the app's navigation and a reload, and refuses an unknown one",
    { timeout: 60_000 },
    async () => {
      const context = await agentBrowser();
      try {
        const page = await context.newPage();
        let frame = await loaded(page, () => page.goto(stack.emulator.adminUrl(A, "/inbox", { staff: SECOND_STAFF })));
        await adminNavLink(page, "Customers").click();
        await page.waitForURL(new RegExp(`/customers\\?staff=${SECOND_STAFF.id}$`));
        frame = await loaded(page, () => page.reload());
        expect(await page.locator(".staff").textContent()).toBe(PRIYA);
        // App Bridge's user and session token name her; the app stores her name from the online token exchange.
        const seen = await frame.evaluate(async () => {
          const shopify = (
            window as unknown as {
              shopify: { user(): Promise<{ id: number; name: string; email: string; accountAccess: string }>; idToken(): Promise<string> };
            }
          ).shopify;
          const token = await shopify.idToken();
          return { user: await shopify.user(), sub: JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub };
        });
        expect(seen).toEqual({ user: { id: SECOND_STAFF.id, name: PRIYA, email: SECOND_STAFF.email, accountAccess: "Staff" }, sub: String(SECOND_STAFF.id) });
        expect(stack.query(`SELECT name FROM "StaffMember" WHERE shop = ? AND userId = ?`, A, String(SECOND_STAFF.id))).toEqual([{ name: PRIYA }]);
        // Someone the emulator does not know cannot open a page or get a token.
        expect((await fetch(`${stack.emulator.adminUrl(A, "/inbox")}?staff=99999`)).status).toBe(404);
        expect((await fetch(`${stack.emulator.url}/store/${handle(A)}/session-token?staff=99999`, { method: "POST" })).status).toBe(404);
        expect(() => stack.emulator.adminUrl(A, "/inbox", { staff: 99999 })).toThrow(/No staff member 99999/);
      } finally {
        await context.close();
      }
    },
  );
});

describe("two agents on one ticket", () => {
  it(
    "each sees the other there and typing, the second reply meets the collision warning and goes with Send mine anyway, one leaving is noticed; another shop's agent never shows",
    { timeout: 150_000 },
    async () => {
      const ticket = await contact(A, "amina@example.com", "The parcel came without the scarf I ordered.", "203.0.113.10");
      const otherTicket = await contact(B, "juma@example.com", "A question for the other shop only.", "203.0.113.11");
      const alexBrowser = await agentBrowser();
      const priyaBrowser = await agentBrowser();
      const kartBrowser = await agentBrowser();
      try {
        // Alex opens the ticket first; his page's clock is the test's, so his 45 s can pass at once later.
        const alex = await openTicket(alexBrowser, A, ticket, DEFAULT_STAFF, { clock: true });
        // Kärt works in the other shop, on its ticket.
        const kart = await openTicket(kartBrowser, B, otherTicket, THIRD_STAFF);
        const priya = await openTicket(priyaBrowser, A, ticket, SECOND_STAFF);

        // Each sees the other by the name Shopify gives (the online token exchange), never themselves.
        // At once, not at the next 20 s repeat: a page says it is viewing again when its stream connects,
        // and answers a newcomer.
        const alexSeesPriya = alex.frame.getByText(`Also on this ticket: ${PRIYA}`, { exact: true });
        await alexSeesPriya.waitFor({ timeout: 10_000 });
        await priya.frame.getByText(`Also on this ticket: ${ALEX}`, { exact: true }).waitFor({ timeout: 10_000 });
        await mark(alex.frame);
        await mark(priya.frame);
        expect(stack.query(`SELECT userId, name FROM "StaffMember" WHERE shop = ? ORDER BY userId`, A)).toEqual([
          { userId: String(DEFAULT_STAFF.id), name: ALEX },
          { userId: String(SECOND_STAFF.id), name: PRIYA },
        ]);
        expect(stack.query(`SELECT name FROM "StaffMember" WHERE shop = ? AND userId = ?`, B, String(THIRD_STAFF.id))).toEqual([{ name: KART }]);

        // Kärt cannot say he views or types on the first shop's ticket.
        const refused = await kart.frame.evaluate(
          (id) =>
            Promise.all(
              [{ ticketId: id, what: "viewing" }, { ticketId: id } as Record<string, string>].map((fields) =>
                fetch("/app/typing", { method: "POST", body: new URLSearchParams(fields) }).then((r) => r.status),
              ),
            ),
          ticket,
        );
        expect(refused).toEqual([404, 404]);

        // Priya starts her answer: Alex sees her typing. Kärt types on his own ticket. Then Alex starts his: Priya sees it.
        const priyaReply = priya.frame.getByLabel("Reply", { exact: true });
        await priyaReply.pressSequentially("Sorry about", { delay: 20 });
        await alex.frame.getByText(`${PRIYA} is typing a reply…`, { exact: true }).waitFor({ timeout: 10_000 });
        await kart.frame.getByLabel("Reply", { exact: true }).pressSequentially("Thanks for", { delay: 20 });
        const alexReply = alex.frame.getByLabel("Reply", { exact: true });
        await alexReply.pressSequentially("So sorry", { delay: 20 });
        await priya.frame.getByText(`${ALEX} is typing a reply…`, { exact: true }).waitFor({ timeout: 10_000 });

        // Alex sends first; Priya's page shows his reply where it is, without a reload.
        const alexText = "So sorry! The scarf is on its way today, tracking follows by email.";
        await alexReply.fill(alexText);
        await alex.frame.getByRole("button", { name: "Send reply" }).click();
        await alex.page.locator(".toast", { hasText: "Reply sent" }).waitFor({ timeout: 10_000 });
        await priya.frame.getByText(alexText).waitFor({ timeout: 10_000 });

        // Priya sends hers, begun before his arrived: stopped and told who answered meanwhile; nothing of hers is stored.
        const priyaText = "Sorry about the missing scarf: we have sent it separately, and a voucher for the trouble.";
        await priyaReply.fill(priyaText);
        await priya.frame.getByRole("button", { name: "Send reply" }).click();
        await priya.frame.getByText("Someone else answered meanwhile").waitFor({ timeout: 10_000 });
        await priya.frame.getByText(`${ALEX} replied while you were writing. Read it above, then send yours or change it.`).waitFor();
        expect(replies(ticket)).toEqual([{ authorName: ALEX, body: alexText }]);
        // She sends it anyway: both replies are on the ticket, each once, and each page shows both.
        await priya.frame.getByRole("button", { name: "Send mine anyway" }).click();
        await priya.page.locator(".toast", { hasText: "Reply sent" }).waitFor({ timeout: 10_000 });
        await waitFor(
          () => replies(ticket),
          (rows) => rows.length === 2,
          10_000,
          "Priya's reply",
        );
        expect(replies(ticket)).toEqual([
          { authorName: ALEX, body: alexText },
          { authorName: PRIYA, body: priyaText },
        ]);
        await alex.frame.getByText(priyaText).waitFor({ timeout: 10_000 });
        await priya.frame.getByText("Someone else answered meanwhile").waitFor({ state: "hidden" });
        expect(await marked(alex.frame)).toBe(true);
        expect(await marked(priya.frame)).toBe(true);

        // All that time each page named only the other, and Kärt's page nobody (he types to his own shop alone).
        const priyaSaid = await presenceLines(priya.frame);
        expect(priyaSaid).toEqual([`Also on this ticket: ${ALEX}`, `${ALEX} is typing a reply…`]);
        expect(await presenceLines(kart.frame)).toEqual([]);

        // Priya closes her page. Five seconds on (Alex's clock), she has not been gone 45 s: still shown.
        await priyaBrowser.close();
        await alex.page.clock.fastForward(5_000);
        await alex.frame.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
        expect(await alexSeesPriya.isVisible()).toBe(true);
        // 45 s more without a word from her page: the banner goes.
        await alex.page.clock.fastForward(45_000);
        await alexSeesPriya.waitFor({ state: "hidden", timeout: 5_000 });
        expect(await alex.frame.getByText("Also on this ticket:").count()).toBe(0);

        expect(await presenceLines(alex.frame)).toEqual([`Also on this ticket: ${PRIYA}`, `${PRIYA} is typing a reply…`]);
        expect((await said(alex.frame)).join("\n")).not.toContain(KART);
        expect(priyaSaid.join("\n")).not.toContain(KART);
        expect((await said(kart.frame)).join("\n")).not.toMatch(new RegExp(`${ALEX}|${PRIYA}`));
      } finally {
        await alexBrowser.close();
        await priyaBrowser.close();
        await kartBrowser.close();
      }
    },
  );
});

describe("the inbox's sound and notification for new chats", () => {
  it(
    "chimes for a new storefront chat when ticked (and notifies when the page is hidden), stays silent when unticked, and keeps the choice through a reload",
    { timeout: 90_000 },
    async () => {
      const context = await agentBrowser({ notifications: true });
      try {
        const page = await context.newPage();
        let inbox = await loaded(page, () => page.goto(stack.emulator.adminUrl(A, "/inbox")));
        const box = () => inbox.getByRole("checkbox", { name: "Sound and notification for new chats" });
        await box().waitFor({ timeout: 20_000 });
        expect(await box().isChecked()).toBe(false);
        await box().check();
        expect(await alerts(inbox)).toEqual([]); // the permission is granted already: nothing to ask

        // A reload keeps it ticked (this browser's choice).
        inbox = await loaded(page, () => page.reload());
        await waitFor(
          () => box().isChecked(),
          (checked) => checked,
          10_000,
          "the box ticked after the reload",
        );

        // A contact-form ticket arrives (so the page's live stream listens): not a chat, no chime.
        await contact(A, "probe@example.com", "A question by the contact form, not a chat.", "203.0.113.20");
        await inbox.getByText("A question by the contact form, not a chat.").first().waitFor({ timeout: 10_000 });
        expect(await alerts(inbox)).toEqual([]);

        // A new chat while the merchant looks at the page: the two-note chime, no notification.
        await startChat(A, "Hello! Do you ship to Tartu?", "kadri@example.com");
        await waitFor(
          () => alerts(inbox),
          (recorded) => recorded.length > 0 && (recorded[0] as { tones?: number[] }).tones?.length === 2,
          10_000,
          "the chime",
        );
        expect(await alerts(inbox)).toEqual([{ kind: "chime", tones: [660, 880] }]);

        // The merchant is on another tab: the chime and the browser's notification.
        await inbox.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
        await startChat(A, "Is the wool blanket back in stock?", "mari@example.com");
        await waitFor(
          () => alerts(inbox),
          (recorded) => recorded.length >= 3,
          10_000,
          "the second chime and the notification",
        );
        expect(await alerts(inbox)).toEqual([
          { kind: "chime", tones: [660, 880] },
          { kind: "chime", tones: [660, 880] },
          { kind: "notification", title: "New chat", body: "A shopper started a chat on the storefront.", tag: "support-desk-chat" },
        ]);

        // Unticked: a new chat reaches the inbox and nothing sounds or shows.
        await box().uncheck();
        await startChat(A, "Can I pick up my order in store?", "liis@example.com");
        await inbox.getByText("Can I pick up my order in store?").first().waitFor({ timeout: 10_000 });
        expect(await alerts(inbox)).toHaveLength(3);

        // A reload keeps it unticked.
        inbox = await loaded(page, () => page.reload());
        expect(await inbox.evaluate(() => localStorage.getItem("sd-chat-alerts"))).toBe("off");
        expect(await box().isChecked()).toBe(false);
      } finally {
        await context.close();
      }
    },
  );
});
