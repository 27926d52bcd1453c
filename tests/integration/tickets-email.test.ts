import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { freePort } from "../support/processes";
import { waitFor } from "../support/wait";

/**
 * Tickets and their email, in process over a real SQLite file, the real job runner and a real
 * SMTP server (smtp-server): acknowledgement in the shopper's language, threaded replies,
 * an SMTP outage that delays mail without losing or doubling it, and shop isolation.
 */

type Tickets = typeof import("../../app/services/tickets/tickets.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const SHOP = "tickets-a.myshopify.com";
const OTHER = "tickets-b.myshopify.com";
const STAFF = { id: "staff-1", name: "Alex Moreau" };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-tickets-"));
const database = await createTestDatabase("tickets");
const databaseUrl = database.url;
let tickets: Tickets;
let prisma: Prisma;
let stopWorker: () => Promise<void>;
let smtpPort: number;
let smtp: SMTPServer | null = null;
const received: { raw: string; mail: ParsedMail; rcpt: string[] }[] = [];

function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({ raw, mail: await simpleParser(raw), rcpt: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  return new Promise((resolve) => smtp!.listen(smtpPort, "127.0.0.1", () => resolve()));
}

function stopSmtp(): Promise<void> {
  return new Promise((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
}

beforeAll(async () => {
  smtpPort = await freePort();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "tickets-key",
    SHOPIFY_API_SECRET: "tickets-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    JOB_BACKOFF_BASE_MS: "200",
    JOB_BACKOFF_MAX_MS: "400",
    JOB_POLL_INTERVAL_MS: "50",
  });
  prisma = (await import("../../app/db.server")).default;
  for (const shop of [SHOP, OTHER]) {
    await prisma.shop.create({ data: { shop, name: shop === SHOP ? "Duka la Asha" : "Other Store", email: `support@${shop.split(".")[0]}.example`, ianaTimezone: "Europe/Tallinn" } });
  }
  // Open around the clock, so due times are plain to check.
  const always = JSON.stringify(Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])));
  await prisma.supportSettings.create({ data: { shop: SHOP, responseTimeHours: 4, businessHours: always, signature: "Asha, Duka la Asha" } });
  await prisma.customer.create({
    data: { shop: SHOP, shopifyId: "gid://shopify/Customer/1", firstName: "Zawadi", lastName: "Mrema", email: "zawadi@example.org", locale: "sw" },
  });
  await prisma.order.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Order/1", name: "#1001", email: "zawadi@example.org", customerShopifyId: "gid://shopify/Customer/1" } });
  await startSmtp();
  tickets = await import("../../app/services/tickets/tickets.server");
  const worker = await import("../../app/services/worker.server");
  await worker.startWorker();
  stopWorker = worker.stopWorker;
});

afterAll(async () => {
  await stopWorker?.();
  await stopSmtp();
  (await import("../../app/services/email/mailer.server")).closeSmtpTransport();
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

/** No email job is waiting or running: every send asked for so far has happened (or was not asked for). */
const sendsSettled = () =>
  waitFor(() => prisma.job.count({ where: { kind: "email.send", status: { in: ["queued", "running"] } } }), (n) => n === 0, 15_000, "email jobs finished");
const mailsTo = (address: string) => received.filter((r) => r.rcpt.includes(address));

describe("a ticket from the storefront", () => {
  let ticketId: string;

  it("is numbered, matched to the synced customer and order, due in business hours, and acknowledged once in Swahili", async () => {
    const before = Date.now();
    const result = await tickets.createTicket(SHOP, {
      subject: "Oda yangu iko wapi?",
      body: "Habari, nimesubiri wiki mbili. <script>alert(1)</script>",
      channel: "storefront",
      customerEmail: "Zawadi@Example.org",
      orderName: "1001",
    });
    if (!("ticket" in result)) throw new Error(JSON.stringify(result.errors));
    ticketId = result.ticket.id;
    expect(result.ticket.number).toBe(1);
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(ticket).toMatchObject({
      status: "open",
      channel: "storefront",
      customerEmail: "zawadi@example.org",
      customerName: "Zawadi Mrema",
      customerShopifyId: "gid://shopify/Customer/1",
      locale: "sw",
      orderShopifyId: "gid://shopify/Order/1",
      orderName: "#1001",
    });
    const dueIn = ticket.slaDueAt!.getTime() - before;
    expect(dueIn).toBeGreaterThanOrEqual(4 * 3_600_000 - 1_000);
    expect(dueIn).toBeLessThan(4 * 3_600_000 + 5_000);

    const [ack] = await waitFor(() => mailsTo("zawadi@example.org"), (m) => m.length === 1, 10_000, "the acknowledgement");
    expect(ack.mail.subject).toBe("Tumepokea ujumbe wako: Oda yangu iko wapi?");
    expect(ack.mail.text).toContain("Habari Zawadi,");
    expect(ack.mail.text).toContain("#1");
    expect(ack.mail.text).toContain("Asha, Duka la Asha");
    expect(ack.mail.headers.get("content-language")).toBe("sw");
    expect(ack.mail.from?.text).toContain("Duka la Asha");
    expect(ack.mail.replyTo?.value[0].address).toMatch(/^support\+t\.[A-Za-z0-9_-]+@tickets-a\.example$/);
    expect(ack.mail.html).toBeTruthy();

    // Asking again sends nothing more.
    await tickets.sendAcknowledgement(SHOP, ticketId);
    await sendsSettled();
    expect(mailsTo("zawadi@example.org")).toHaveLength(1);
  });

  it("gets a staff reply by email, threaded under the acknowledgement, and waits on the shopper", async () => {
    const result = await tickets.replyToTicket(SHOP, ticketId, STAFF, { body: "Habari Zawadi,\nOda yako itafika kesho. Fuatilia: https://track.example/JD1?a=1&b=2\n\n<b>Asante</b>" });
    expect(result).toMatchObject({ ok: true });
    const mails = await waitFor(() => mailsTo("zawadi@example.org"), (m) => m.length === 2, 10_000, "the reply");
    const [ack, reply] = mails;
    expect(reply.mail.subject).toBe("Re: Oda yangu iko wapi?");
    expect(reply.mail.inReplyTo).toBe(ack.mail.messageId);
    expect(reply.mail.references).toEqual(ack.mail.messageId);
    expect(reply.mail.headers.get("content-language")).toBe("sw");
    expect(reply.mail.text).toContain("Oda yako itafika kesho.");
    // Staff text is escaped in the HTML part; links stay links.
    expect(reply.mail.html).toContain("&lt;b&gt;Asante&lt;/b&gt;");
    expect(reply.mail.html).toContain('<a href="https://track.example/JD1?a=1&amp;b=2">');

    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(ticket.status).toBe("pending");
    expect(ticket.firstResponseAt).not.toBeNull();
    expect(ticket.assigneeName).toBe("Alex Moreau");
    const thread = await tickets.ticketWithThread(SHOP, ticketId);
    expect(thread!.messages.map((m) => m.event ?? m.kind)).toEqual(["customer", "acknowledged", "reply", "status_changed"]);
    expect(JSON.parse(thread!.messages[1].eventData!)).toEqual({ language: "sw" });
    expect(JSON.parse(thread!.messages[3].eventData!)).toEqual({ from: "open", to: "pending", by: "Alex Moreau" });
  });

  it("is noted, tagged, assigned and solved, each on the timeline; bad input gets field errors", async () => {
    expect(await tickets.addNote(SHOP, ticketId, STAFF, { body: "Called the carrier." })).toEqual({ ok: true });
    expect(await tickets.setTicketTags(SHOP, ticketId, "Shipping, late ,shipping", STAFF)).toEqual({ ok: true });
    expect(await tickets.assignTicket(SHOP, ticketId, { id: "staff-2", name: "Kärt Tamm" }, STAFF)).toEqual({ ok: true });
    expect(await tickets.setTicketStatus(SHOP, ticketId, "solved", STAFF)).toEqual({ ok: true });
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(ticket).toMatchObject({ tags: "shipping,late", assigneeName: "Kärt Tamm", status: "solved" });
    expect(ticket.solvedAt).not.toBeNull();
    const thread = await tickets.ticketWithThread(SHOP, ticketId);
    expect(thread!.messages.map((m) => m.event ?? m.kind)).toEqual(["customer", "acknowledged", "reply", "status_changed", "note", "tagged", "assigned", "status_changed", "survey_sent"]);
    // A note is never emailed; solving sends the satisfaction survey (in Swahili).
    await waitFor(() => mailsTo("zawadi@example.org"), (m) => m.length === 3);
    expect(mailsTo("zawadi@example.org")[2].mail.subject).toBe("Tulifanyaje? Oda yangu iko wapi?");

    expect(await tickets.setTicketStatus(SHOP, ticketId, "done", STAFF)).toEqual({ errors: { status: "Choose open, pending, solved or closed." } });
    expect(await tickets.replyToTicket(SHOP, ticketId, STAFF, { body: "   " })).toEqual({ errors: { body: "Write a reply." } });
    expect(await tickets.setTicketTags(SHOP, ticketId, "<script>", STAFF)).toMatchObject({ errors: { tags: expect.stringContaining("is not a tag") } });
    const invalid = await tickets.createTicket(SHOP, { subject: "", body: "x", channel: "storefront", customerEmail: "not-an-email" });
    expect(invalid).toEqual({ errors: { subject: "Add a subject.", customerEmail: "Enter a valid email address." } });
  });

  it("cannot be read or changed from another shop", async () => {
    expect(await tickets.ticketWithThread(OTHER, ticketId)).toBeNull();
    expect(await tickets.replyToTicket(OTHER, ticketId, STAFF, { body: "hi" })).toEqual({ notFound: true });
    expect(await tickets.addNote(OTHER, ticketId, STAFF, { body: "hi" })).toEqual({ notFound: true });
    expect(await tickets.setTicketStatus(OTHER, ticketId, "closed", STAFF)).toEqual({ notFound: true });
    expect(await tickets.assignTicket(OTHER, ticketId, null, STAFF)).toEqual({ notFound: true });
    expect(await tickets.setTicketTags(OTHER, ticketId, "x", STAFF)).toEqual({ notFound: true });
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: "solved", tags: "shipping,late" });
    // The other shop numbers its own tickets, and an order of this shop is not theirs.
    const theirs = await tickets.createTicket(OTHER, { subject: "Hello", body: "Hi", channel: "storefront", customerEmail: "zawadi@example.org", orderName: "#1001" });
    expect(theirs).toMatchObject({ ticket: { number: 1 } });
    if ("ticket" in theirs) expect(await prisma.ticket.findUniqueOrThrow({ where: { id: theirs.ticket.id } })).toMatchObject({ orderShopifyId: null, customerShopifyId: null, locale: null });
  });
});

describe("email from shoppers", () => {
  const rawEmail = (headers: Record<string, string>, body: string) =>
    Object.entries({ "MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", Date: new Date().toUTCString(), ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n") + `\r\n\r\n${body}`;

  it("puts a reply on its ticket by In-Reply-To, without the quoted history, reopens it, and takes a second delivery once", async () => {
    const inbound = await import("../../app/services/email/inbound.server");
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { shop: SHOP, number: 1 } });
    const lastSent = await prisma.outboundEmail.findFirstOrThrow({ where: { shop: SHOP, ticketId: ticket.id, purpose: "reply" } });
    const raw = rawEmail(
      {
        From: "Zawadi Mrema <zawadi@example.org>",
        To: "support@tickets-a.example",
        Subject: "Re: Oda yangu iko wapi?",
        "Message-ID": "<reply-1@example.org>",
        "In-Reply-To": lastSent.messageId,
      },
      "Asante! Bado haijafika.\r\n\r\nOn Tue, 24 Nov 2026 at 10:00, Duka la Asha <support@tickets-a.example> wrote:\r\n> Oda yako itafika kesho.",
    );
    expect(await inbound.receiveInboundEmail(raw)).toEqual({ outcome: "appended", shop: SHOP, ticketId: ticket.id });
    expect(await inbound.receiveInboundEmail(raw)).toEqual({ outcome: "duplicate", shop: SHOP, ticketId: ticket.id });
    const messages = await prisma.ticketMessage.findMany({ where: { ticketId: ticket.id, kind: "customer" }, orderBy: { createdAt: "asc" } });
    expect(messages.map((m) => m.body)).toEqual([expect.stringContaining("nimesubiri wiki mbili"), "Asante! Bado haijafika."]);
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "open", unread: true });
  });

  it("finds the ticket by its reply address too, and makes a new email to the support address a ticket of its own", async () => {
    const inbound = await import("../../app/services/email/inbound.server");
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { shop: SHOP, number: 1 } });
    const byAddress = rawEmail(
      { From: "zawadi@example.org", To: `Duka <support+t.${ticket.replyToken}@tickets-a.example>`, Subject: "Re: x", "Message-ID": "<reply-2@example.org>" },
      "Imefika, asante!",
    );
    expect(await inbound.receiveInboundEmail(byAddress)).toMatchObject({ outcome: "appended", ticketId: ticket.id });

    const fresh = rawEmail(
      { From: "Ana Stoica <ana@example.ro>", To: "support@tickets-a.example", Subject: "Întrebare despre mărimi", "Message-ID": "<new-1@example.ro>" },
      "Bună ziua, aveți mărimea 38?",
    );
    const created = await inbound.receiveInboundEmail(fresh);
    expect(created).toMatchObject({ outcome: "created", shop: SHOP });
    const ticketId = "ticketId" in created ? created.ticketId : "";
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ channel: "email", customerEmail: "ana@example.ro", customerName: "Ana Stoica", subject: "Întrebare despre mărimi" });
    await waitFor(() => mailsTo("ana@example.ro"), (m) => m.length === 1, 10_000, "the acknowledgement of an emailed question");
    expect(await inbound.receiveInboundEmail(fresh)).toMatchObject({ outcome: "duplicate", ticketId });

    const stray = rawEmail({ From: "x@example.com", To: "nobody@unknown.example", Subject: "Hi", "Message-ID": "<stray@example.com>" }, "Hello");
    expect(await inbound.receiveInboundEmail(stray)).toMatchObject({ outcome: "unroutable" });
    expect(await inbound.receiveInboundEmail("just some text without headers")).toMatchObject({ outcome: "invalid" });
  });
});

describe("a stop between writing an email and queueing it", () => {
  it("is made good at the next start: the email is sent, once", async () => {
    const { queueUnsentEmails } = await import("../../app/services/email/send.server");
    await prisma.outboundEmail.create({
      data: {
        shop: SHOP,
        purpose: "reply",
        messageId: "<orphan@tickets-a.example>",
        fromAddress: "support@tickets-a.example",
        toAddress: "orphan@example.com",
        subject: "Written, never queued",
        text: "Hello",
        html: "<p>Hello</p>",
      },
    });
    expect(await queueUnsentEmails()).toBeGreaterThanOrEqual(1);
    await waitFor(() => mailsTo("orphan@example.com"), (m) => m.length === 1, 10_000, "the orphaned email");
    await queueUnsentEmails();
    await sendsSettled();
    expect(mailsTo("orphan@example.com")).toHaveLength(1);
  });
});

describe("privacy", () => {
  it("exports a shopper's tickets and erases them, keeping anonymous counts", async () => {
    const privacy = await import("../../app/models/ticket-personal-data.server");
    const subject = { customerId: null, email: "zawadi@example.org", phone: null, orderIds: [] };
    const exported = await privacy.ticketsOf(SHOP, subject);
    expect(exported).toHaveLength(1);
    expect(exported[0].messages.map((m) => m.kind)).toEqual(["customer", "reply", "customer", "customer"]);
    // The acknowledgement, the reply and the satisfaction survey.
    expect(exported[0].emails).toHaveLength(3);

    expect(await privacy.redactTickets(SHOP, subject)).toBe(1);
    const dump = JSON.stringify([
      await prisma.ticket.findMany({ where: { shop: SHOP } }),
      await prisma.ticketMessage.findMany({ where: { shop: SHOP } }),
      await prisma.outboundEmail.findMany({ where: { shop: SHOP } }),
    ]);
    for (const trace of ["zawadi@example.org", "Zawadi", "Mrema", "nimesubiri", "Oda yangu", "itafika kesho", "Bado haijafika", "Imefika", "Customer/1"]) expect(dump).not.toContain(trace);
    expect(await prisma.ticket.count({ where: { shop: SHOP, redactedAt: { not: null } } })).toBe(1);
    // The other shop's ticket for the same address is theirs to erase.
    expect(await prisma.ticket.count({ where: { shop: OTHER, customerEmail: "zawadi@example.org" } })).toBe(1);
  });
});

describe("SMTP down", () => {
  it("delays mail, then delivers it exactly once when the server is back", async () => {
    await stopSmtp();
    const result = await tickets.createTicket(SHOP, { subject: "Size question", body: "Do you have it in 44?", channel: "storefront", customerEmail: "emre@example.net", locale: "tr-TR", customerName: "Emre Demir" });
    if (!("ticket" in result)) throw new Error("not created");
    const failing = await waitFor(
      () => prisma.outboundEmail.findFirst({ where: { shop: SHOP, ticketId: result.ticket.id } }),
      (e) => Boolean(e && e.attempts >= 2 && e.lastError),
      10_000,
      "failed attempts",
    );
    expect(failing!.status).toBe("queued");
    expect(failing!.lastError).toMatch(/ECONNREFUSED|connect/i);

    await startSmtp();
    await waitFor(() => prisma.outboundEmail.findFirstOrThrow({ where: { id: failing!.id } }), (e) => e.status === "sent", 15_000, "delivery after the outage");
    await sendsSettled();
    const mails = mailsTo("emre@example.net");
    expect(mails).toHaveLength(1);
    expect(mails[0].mail.subject).toBe("Mesajınızı aldık: Size question");
    expect(mails[0].mail.text).toContain("Merhaba Emre,");
    expect(mails[0].mail.messageId).toBe(failing!.messageId);
  });
});
