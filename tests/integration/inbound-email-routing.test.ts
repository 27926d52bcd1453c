import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";
import { startStack, type Stack } from "../support/stack";

/**
 * Inbound email stays in the shop that received it, in process over a real SQLite file: a
 * support address belongs to one shop (any case), the app-assigned routing address is unique,
 * and a reply reaches a ticket only in the receiving shop and only from the ticket's shopper.
 */

type Prisma = (typeof import("../../app/db.server"))["default"];
type Inbound = typeof import("../../app/services/email/inbound.server");
type Settings = typeof import("../../app/models/support-settings.server");

const A = "routing-a.myshopify.com";
const B = "routing-b.myshopify.com";
const DOMAIN = "in.support-desk.test";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-inbound-"));
const database = await createTestDatabase("inbound");
const databaseUrl = database.url;
let prisma: Prisma;
let inbound: Inbound;
let settings: Settings;

const form = (fromEmail: string) => ({
  fromEmail,
  fromName: "Support",
  responseTimeHours: "24",
  timeZone: "UTC",
  businessHours: JSON.stringify({ mon: [["09:00", "17:00"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }),
  signature: "",
  autoAcknowledge: true,
});

let sequence = 0;
const rawEmail = (headers: Record<string, string>, body: string) =>
  Object.entries({ "MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", Date: new Date().toUTCString(), "Message-ID": `<m-${++sequence}@mail.test>`, ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n") + `\r\n\r\n${body}`;

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "inbound-key",
    SHOPIFY_API_SECRET: "inbound-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    SMTP_URL: "",
    INBOUND_EMAIL_DOMAIN: DOMAIN,
  });
  prisma = (await import("../../app/db.server")).default;
  // Both shops' Shopify email is the same owner's: that alone must route nowhere.
  for (const shop of [A, B]) await prisma.shop.create({ data: { shop, name: shop.split(".")[0], email: "Owner@Example.com" } });
  inbound = await import("../../app/services/email/inbound.server");
  settings = await import("../../app/models/support-settings.server");
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe("a shop's support address", () => {
  it("is stored in lower case, and no other shop can save it in any case", async () => {
    expect(await settings.saveSupportSettings(A, form("  Help@Shop-A.Example "))).toEqual({ ok: true });
    expect(await prisma.supportSettings.findUniqueOrThrow({ where: { shop: A } })).toMatchObject({ fromEmail: "help@shop-a.example" });
    const taken = { errors: { fromEmail: "Another shop already uses this address. Enter your own support address." } };
    expect(await settings.saveSupportSettings(B, form("help@shop-a.example"))).toEqual(taken);
    expect(await settings.saveSupportSettings(B, form("HELP@SHOP-A.EXAMPLE"))).toEqual(taken);
    expect(await settings.saveSupportSettings(B, form("help+b@shop-a.example"))).toMatchObject({ errors: { fromEmail: expect.stringContaining("+tag") } });
    // Nothing of B was stored by the refusals; its own address saves, and A can save its own again.
    expect(await prisma.supportSettings.findUnique({ where: { shop: B } })).toBeNull();
    expect(await settings.saveSupportSettings(B, form("care@shop-b.example"))).toEqual({ ok: true });
    expect(await settings.saveSupportSettings(A, form("help@shop-a.example"))).toEqual({ ok: true });
  });

  it("gets an app-assigned routing address, unique per shop, which no shop may save as its own", async () => {
    const a = await settings.inboundAddress(A);
    const b = await settings.inboundAddress(B);
    expect(a).toMatch(new RegExp(`^routing-a\\.[a-z2-7]{10}@${DOMAIN.replace(/\./g, "\\.")}$`));
    expect(b).not.toBe(a);
    expect(await settings.inboundAddress(A)).toBe(a);
    expect(await settings.saveSupportSettings(B, form(a!))).toMatchObject({ errors: { fromEmail: expect.stringContaining("your own support address") } });
  });
});

describe("a new email", () => {
  it("becomes a ticket of the shop whose address received it, whatever its case", async () => {
    const result = await inbound.receiveInboundEmail(rawEmail({ From: "Mai <Mai@Example.org>", To: "Shop A <HELP@Shop-A.example>", Subject: "Sizes" }, "Do you have a 38?"));
    expect(result).toMatchObject({ outcome: "created", shop: A });
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: "ticketId" in result ? result.ticketId : "" } });
    expect(ticket).toMatchObject({ shop: A, customerEmail: "mai@example.org", channel: "email" });
  });

  it("routes by the envelope's recipient (the routing address a support mailbox forwards to) before To", async () => {
    const b = (await settings.inboundAddress(B))!;
    // Forwarded from B's mailbox: the original To names A, the delivery names B's routing address in capitals.
    const result = await inbound.receiveInboundEmail(rawEmail({ "Delivered-To": b.toUpperCase(), From: "kim@example.org", To: "help@shop-a.example", Subject: "Hello B" }, "Hi"));
    expect(result).toMatchObject({ outcome: "created", shop: B });
  });

  it("to an address no single shop owns is unroutable, and stored nowhere", async () => {
    const before = await prisma.ticket.count();
    expect(await inbound.receiveInboundEmail(rawEmail({ From: "x@example.org", To: "owner@example.com", Subject: "?" }, "?"))).toMatchObject({ outcome: "unroutable" });
    expect(await inbound.receiveInboundEmail(rawEmail({ From: "x@example.org", To: `nobody.abcdefghij@${DOMAIN}`, Subject: "?" }, "?"))).toMatchObject({ outcome: "unroutable" });
    expect(await prisma.ticket.count()).toBe(before);
  });
});

describe("a reply quoting A's Message-ID", () => {
  let ticketId: string;
  let messageId: string;
  let replyToken: string;

  beforeAll(async () => {
    const created = await inbound.receiveInboundEmail(rawEmail({ From: "Zawadi <zawadi@example.org>", To: "help@shop-a.example", Subject: "Where is my order?" }, "Order #1001"));
    if (!("ticketId" in created)) throw new Error(JSON.stringify(created));
    ticketId = created.ticketId;
    // The acknowledgement the app wrote to the shopper: its Message-ID is what a reply quotes.
    const ack = await prisma.outboundEmail.findFirstOrThrow({ where: { shop: A, ticketId } });
    messageId = ack.messageId;
    replyToken = (await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).replyToken;
    await prisma.ticket.update({ where: { id: ticketId }, data: { status: "solved", solvedAt: new Date() } });
  });

  const messagesOnA = () => prisma.ticketMessage.count({ where: { shop: A, ticketId } });

  it("from a stranger, lands nowhere on A's ticket and does not reopen it: a new ticket of its own", async () => {
    const before = await messagesOnA();
    const attempts: Record<string, string>[] = [
      { "In-Reply-To": messageId, References: messageId, To: "help@shop-a.example" },
      { To: `help+t.${replyToken}@shop-a.example` },
    ];
    for (const headers of attempts) {
      const result = await inbound.receiveInboundEmail(rawEmail({ From: "Mallory <mallory@evil.example>", Subject: "Re: Where is my order?", ...headers }, "Refund me"));
      expect(result).toMatchObject({ outcome: "created", shop: A });
      expect("ticketId" in result && result.ticketId).not.toBe(ticketId);
    }
    expect(await messagesOnA()).toBe(before);
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: "solved" });
  });

  it("sent to B's address, never touches A, even from A's shopper", async () => {
    const before = await messagesOnA();
    const result = await inbound.receiveInboundEmail(
      rawEmail({ From: "zawadi@example.org", To: "care@shop-b.example", Subject: "Re: Where is my order?", "In-Reply-To": messageId, References: messageId }, "Hello?"),
    );
    expect(result).toMatchObject({ outcome: "created", shop: B });
    expect(await messagesOnA()).toBe(before);
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: "solved" });
  });

  it("from the ticket's shopper (in other case), to A's address, lands on the ticket and reopens it", async () => {
    const result = await inbound.receiveInboundEmail(
      rawEmail({ From: "Zawadi <Zawadi@EXAMPLE.org>", To: "Help@Shop-A.example", Subject: "Re: Where is my order?", "In-Reply-To": messageId, References: messageId }, "Still waiting"),
    );
    expect(result).toEqual({ outcome: "appended", shop: A, ticketId });
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: "open", unread: true });
    const last = await prisma.ticketMessage.findFirstOrThrow({ where: { shop: A, ticketId, kind: "customer" }, orderBy: { createdAt: "desc" } });
    expect(last).toMatchObject({ body: "Still waiting", authorEmail: "zawadi@example.org" });
  });
});

describe("POST /inbound/email, over HTTP through the built app", () => {
  const SECRET = "inbound-routing-secret-0123456789";
  let stack: Stack;
  const post = (raw: string) =>
    fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" }, body: raw });

  beforeAll(async () => {
    stack = await startStack({ appEnv: { INBOUND_EMAIL_SECRET: SECRET, INBOUND_EMAIL_DOMAIN: DOMAIN } });
    for (const [shop, address] of [[A, "help@shop-a.example"], [B, "care@shop-b.example"]]) {
      stack.execute(`INSERT INTO "SupportSettings" (shop, fromEmail, updatedAt) VALUES (?, ?, CURRENT_TIMESTAMP)`, shop, address);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("routes by the receiving address in any case, keeps strangers off a ticket, and drops mail for no shop with a 200", async () => {
    const created = await post(rawEmail({ From: "Ana <ana@example.ro>", To: "HELP@SHOP-A.EXAMPLE", Subject: "Mărimi" }, "Aveți 38?"));
    expect(created.status).toBe(200);
    const { outcome, ticketId } = await created.json();
    expect(outcome).toBe("created");
    expect(stack.query(`SELECT shop, customerEmail FROM "Ticket" WHERE id = ?`, ticketId)).toEqual([{ shop: A, customerEmail: "ana@example.ro" }]);
    const [{ messageId }] = stack.query<{ messageId: string }>(`SELECT messageId FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`, A, ticketId);
    stack.execute(`UPDATE "Ticket" SET status = 'solved' WHERE id = ?`, ticketId);

    const stranger = await post(rawEmail({ From: "mallory@evil.example", To: "help@shop-a.example", Subject: "Re: Mărimi", "In-Reply-To": messageId }, "Refund me"));
    expect(stranger.status).toBe(200);
    expect((await stranger.json()).ticketId).not.toBe(ticketId);
    const toB = await post(rawEmail({ From: "ana@example.ro", To: "care@shop-b.example", Subject: "Re: Mărimi", "In-Reply-To": messageId }, "Hello B"));
    expect(await toB.json()).toMatchObject({ outcome: "created" });
    expect(stack.query(`SELECT status FROM "Ticket" WHERE id = ?`, ticketId)).toEqual([{ status: "solved" }]);
    expect(stack.query(`SELECT COUNT(*) AS n FROM "TicketMessage" WHERE ticketId = ? AND kind = 'customer'`, ticketId)).toEqual([{ n: 1 }]);

    const shopper = await post(rawEmail({ From: "ANA@example.ro", To: "help@shop-a.example", Subject: "Re: Mărimi", "In-Reply-To": messageId }, "Still there?"));
    expect(await shopper.json()).toEqual({ outcome: "appended", ticketId });
    expect(stack.query(`SELECT status FROM "Ticket" WHERE id = ?`, ticketId)).toEqual([{ status: "open" }]);

    const tickets = stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Ticket"`)[0].n;
    const nowhere = await post(rawEmail({ From: "x@example.org", To: "nobody@unknown.example", Subject: "Hi" }, "Hello"));
    expect(nowhere.status).toBe(200);
    expect(await nowhere.json()).toEqual({ outcome: "dropped", reason: "No shop receives mail at this address." });
    expect(stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Ticket"`)[0].n).toBe(tickets);
  });
});
