import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { adminNavLink, appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { adminRequest } from "../support/app-requests";

/**
 * The live admin in Chromium: two merchants' pages (two browser contexts) stay current while
 * shoppers write and another agent works, without a reload: the inbox list, the open ticket, and
 * the Inbox item's unread count on every other page. Another shop's ticket reaches none of them.
 */

const OTHER_SHOP = "other-live.myshopify.com";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  browser = await launchChromium();
  // The other shop installs the app (its first admin request exchanges its token), so its storefront writes tickets.
  await (await adminRequest(stack.emulator, stack.app, OTHER_SHOP, "/app/unread")).arrayBuffer();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

/** A shopper's question through the emulated App Proxy's contact form. */
async function contact(shop: string, email: string, message: string): Promise<string> {
  const response = await fetch(`${stack.emulator.url}/storefront/${handle(shop)}/apps/support/contact`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ name: "Amina Juma", email, message }),
  });
  expect(response.status, await response.text()).toBe(200);
  return stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND customerEmail = ? ORDER BY createdAt DESC LIMIT 1`, shop, email)[0].id;
}

/** Marks the document, so a test can tell a revalidation (the mark stays) from a reload (it goes). */
const mark = (frame: Frame) => frame.evaluate(() => ((window as unknown as { __kept?: boolean }).__kept = true));
const marked = (frame: Frame) => frame.evaluate(() => (window as unknown as { __kept?: boolean }).__kept === true);

describe("the live admin", () => {
  it("shows a new ticket in the open inbox, a note on the open ticket and the unread count on other pages, without a reload", { timeout: 90_000 }, async () => {
    expect(stack.query(`SELECT id FROM "Ticket" WHERE shop = ?`, DEFAULT_SHOP)).toHaveLength(0);

    // One merchant watches the inbox; another works on the FAQ.
    const inboxPage = await newPage(browser);
    await inboxPage.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox"));
    const inbox = await appFrame(inboxPage);
    await inbox.getByRole("heading", { name: "Inbox" }).first().waitFor({ timeout: 20_000 });
    const faqPage = await newPage(browser);
    await faqPage.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/faq"));
    const faq = await appFrame(faqPage);
    await faq.getByRole("heading", { name: "FAQ" }).first().waitFor({ timeout: 20_000 });
    await adminNavLink(faqPage, "Inbox").waitFor({ timeout: 10_000 });
    await mark(inbox);
    await mark(faq);

    // A shopper asks: the inbox lists it and the FAQ page's Inbox item counts it.
    const first = await contact(DEFAULT_SHOP, "amina@example.com", "My order #1042 says delivered but nothing came.");
    await inbox.getByText("My order #1042 says delivered but nothing came.").first().waitFor({ timeout: 10_000 });
    await adminNavLink(faqPage, "Inbox (1)").waitFor({ timeout: 10_000 });
    // Another shop's ticket counts nowhere here.
    await contact(OTHER_SHOP, "someone@example.com", "A question for the other shop only.");
    await contact(DEFAULT_SHOP, "juma@example.com", "Can I change the size on my order?");
    await adminNavLink(faqPage, "Inbox (2)").waitFor({ timeout: 10_000 });
    expect(await inbox.getByText("A question for the other shop only.").count()).toBe(0);

    // The first merchant opens the ticket: it is read, so the other page's count drops.
    await inboxPage.goto(stack.emulator.adminUrl(DEFAULT_SHOP, `/inbox/${first}`));
    const ticket = await appFrame(inboxPage);
    await ticket.getByText("My order #1042 says delivered but nothing came.").first().waitFor({ timeout: 20_000 });
    await adminNavLink(faqPage, "Inbox (1)").waitFor({ timeout: 10_000 });
    await mark(ticket);

    // Another agent writes a note on it: the open ticket shows it where it is.
    const note = await adminRequest(stack.emulator, stack.app, DEFAULT_SHOP, `/app/inbox/${first}?index`, {
      intent: "note",
      body: "Courier says it went to the neighbour at no. 12.",
    });
    expect(note.status).toBe(200);
    await note.arrayBuffer();
    await ticket.getByText("Courier says it went to the neighbour at no. 12.").waitFor({ timeout: 10_000 });

    expect(await marked(ticket)).toBe(true);
    expect(await marked(faq)).toBe(true);
    await inboxPage.context().close();
    await faqPage.context().close();
  });
});
